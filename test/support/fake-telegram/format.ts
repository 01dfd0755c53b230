// Text formatting rules of the Bot API: parse_mode (HTML, MarkdownV2, Markdown) applied and trimmed into plain
// text plus entities, and length counting. Error texts follow Telegram's.
import { badRequest } from './http.js';
import type { FormattedText } from './parse-common.js';
import { parseHtml } from './parse-html.js';
import { parseMarkdown, parseMarkdownV2 } from './parse-markdown.js';
import type { TgMessageEntity } from './types.js';

export type { FormattedText } from './parse-common.js';

/** Number of Unicode code points (what the Bot API counts for text length limits). */
export function countChars(s: string): number {
  let count = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

const isTrimmable = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Telegram strips leading and trailing whitespace; entity offsets move accordingly. */
export function trimFormatted(f: FormattedText): FormattedText {
  let start = 0;
  let end = f.text.length;
  while (start < end && isTrimmable(f.text.charCodeAt(start))) start++;
  while (end > start && isTrimmable(f.text.charCodeAt(end - 1))) end--;
  if (start === 0 && end === f.text.length) return f;
  const text = f.text.slice(start, end);
  const entities: TgMessageEntity[] = [];
  for (const e of f.entities) {
    const from = Math.max(e.offset - start, 0);
    const to = Math.min(e.offset + e.length - start, text.length);
    if (to > from) entities.push({ ...e, offset: from, length: to - from });
  }
  return { text, entities };
}

/**
 * Applies parse_mode (or explicit entities) and trims. Throws 400 for an unknown parse_mode or
 * malformed markup.
 */
export function formatText(raw: string, parseMode: string | undefined, explicitEntities: unknown): FormattedText {
  let f: FormattedText;
  const mode = (parseMode ?? '').toLowerCase();
  if (mode === '') {
    f = { text: raw, entities: Array.isArray(explicitEntities) ? (explicitEntities as TgMessageEntity[]) : [] };
  } else if (mode === 'html') {
    f = parseHtml(raw);
  } else if (mode === 'markdownv2') {
    f = parseMarkdownV2(raw);
  } else if (mode === 'markdown') {
    f = parseMarkdown(raw);
  } else {
    throw badRequest(`unsupported parse_mode "${parseMode ?? ''}"`);
  }
  return trimFormatted(f);
}
