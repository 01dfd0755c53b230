// A message's text and entities as Telegram HTML: a message formatted in the Telegram app arrives as plain text plus
// entities. Announcements are composed from it, and an edit that adds a line to a received message keeps the
// original's bold, italics and links.
import type { MessageEntity } from 'telegraf/types';
import { escapeHtml } from './texts/common.js';

const OPEN: Partial<Record<MessageEntity['type'], (e: MessageEntity) => [string, string]>> = {
  bold: () => ['<b>', '</b>'],
  italic: () => ['<i>', '</i>'],
  underline: () => ['<u>', '</u>'],
  strikethrough: () => ['<s>', '</s>'],
  spoiler: () => ['<tg-spoiler>', '</tg-spoiler>'],
  code: () => ['<code>', '</code>'],
  pre: (e) => {
    const lang = 'language' in e && e.language ? e.language : null;
    return lang ? [`<pre><code class="language-${escapeHtml(lang)}">`, '</code></pre>'] : ['<pre>', '</pre>'];
  },
  text_link: (e) => ['url' in e ? `<a href="${escapeHtml(e.url).replace(/"/g, '&quot;')}">` : '<a>', '</a>'],
  text_mention: (e) => ['user' in e ? `<a href="tg://user?id=${e.user.id}">` : '<a>', '</a>'],
  blockquote: () => ['<blockquote>', '</blockquote>'],
};

/** True when the sender used Telegram's own formatting (bold, links…), not typed HTML tags. */
export function hasFormatting(entities: MessageEntity[] | undefined): boolean {
  return (entities ?? []).some((e) => OPEN[e.type] !== undefined);
}

/** `html` without the question it ends with, now answered; unchanged when it does not end with it. */
export function withoutQuestion(html: string, question: string | undefined): string {
  return question && html.endsWith(question) ? html.slice(0, -question.length).trimEnd() : html;
}

/** Plain text + formatting entities → Telegram HTML. Offsets are UTF-16 units, as JS strings index. */
export function entitiesToHtml(text: string, entities: MessageEntity[] = []): string {
  const spans = entities
    .filter((e) => OPEN[e.type] !== undefined && e.length > 0)
    .map((e) => ({ start: e.offset, end: e.offset + e.length, tags: OPEN[e.type]!(e) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const cuts = new Set<number>([0, text.length]);
  for (const s of spans) cuts.add(s.start).add(s.end);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  let out = '';
  const open: typeof spans = [];
  let next = 0;
  for (let i = 0; i < points.length; i++) {
    const at = points[i]!;
    // Close what ends here; anything opened inside it is closed first and reopened (HTML must nest).
    const endingIndex = open.findIndex((s) => s.end <= at);
    if (endingIndex !== -1) {
      const reopen = open.splice(endingIndex).reverse();
      for (const s of reopen) out += s.tags[1];
      for (const s of reopen.reverse()) if (s.end > at) {
        out += s.tags[0];
        open.push(s);
      }
    }
    while (next < spans.length && spans[next]!.start === at) {
      const s = spans[next++]!;
      out += s.tags[0];
      open.push(s);
    }
    const to = points[i + 1];
    if (to !== undefined) out += escapeHtml(text.slice(at, to));
  }
  for (const s of open.reverse()) out += s.tags[1];
  return out;
}

