// Text formatting rules of the Bot API: parse_mode parsing (HTML, MarkdownV2, Markdown) into plain text
// plus entities, length counting, and reply_markup validation. Error texts follow Telegram's.
import { badRequest } from './http.js';
import type { TgMessageEntity } from './types.js';

export interface FormattedText {
  text: string;
  entities: TgMessageEntity[];
}

const byteOffset = (s: string, i: number): number => Buffer.byteLength(s.slice(0, i), 'utf8');
const cantParse = (why: string) => badRequest(`can't parse entities: ${why}`);

// ---------------------------------------------------------------- HTML

const HTML_TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';

function decodeHtmlEntity(s: string, i: number): { char: string; next: number } | undefined {
  // s[i] === '&'
  const semi = s.indexOf(';', i + 1);
  if (semi < 0 || semi - i > 12) return undefined;
  const name = s.slice(i + 1, semi);
  switch (name) {
    case 'lt':
      return { char: '<', next: semi + 1 };
    case 'gt':
      return { char: '>', next: semi + 1 };
    case 'amp':
      return { char: '&', next: semi + 1 };
    case 'quot':
      return { char: '"', next: semi + 1 };
  }
  let code: number | undefined;
  if (/^#\d+$/.test(name)) code = Number(name.slice(1));
  else if (/^#[xX][0-9a-fA-F]+$/.test(name)) code = parseInt(name.slice(2), 16);
  if (code === undefined || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) return undefined;
  return { char: String.fromCodePoint(code), next: semi + 1 };
}

function decodeHtmlAttr(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; ) {
    if (v[i] === '&') {
      const d = decodeHtmlEntity(v, i);
      if (d) {
        out += d.char;
        i = d.next;
        continue;
      }
    }
    out += v[i];
    i++;
  }
  return out;
}

interface OpenTag {
  name: string;
  type: string;
  start: number; // offset in output (UTF-16)
  attrs: Record<string, string>;
}

export function parseHtml(s: string): FormattedText {
  let out = '';
  const entities: TgMessageEntity[] = [];
  const stack: OpenTag[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (c === '&') {
      const d = decodeHtmlEntity(s, i);
      if (d) {
        out += d.char;
        i = d.next;
      } else {
        out += '&';
        i++;
      }
      continue;
    }
    if (c !== '<') {
      // fast path: copy up to the next special character
      let j = i + 1;
      while (j < n && s[j] !== '<' && s[j] !== '&') j++;
      out += s.slice(i, j);
      i = j;
      continue;
    }
    const begin = i;
    i++;
    if (s[i] !== '/') {
      let j = i;
      while (j < n && !isSpace(s[j]) && s[j] !== '>') j++;
      if (j >= n) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(s, begin)}`);
      const name = s.slice(i, j).toLowerCase();
      const type = HTML_TAGS[name];
      if (type === undefined) throw cantParse(`Unsupported start tag "${name}" at byte offset ${byteOffset(s, begin)}`);
      i = j;
      const attrs: Record<string, string> = {};
      for (;;) {
        while (i < n && isSpace(s[i])) i++;
        if (i >= n) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(s, begin)}`);
        if (s[i] === '>') {
          i++;
          break;
        }
        let k = i;
        while (k < n && !isSpace(s[k]) && s[k] !== '=' && s[k] !== '>') k++;
        const attrName = s.slice(i, k).toLowerCase();
        if (attrName === '') throw cantParse(`Empty attribute name in the tag "${name}" at byte offset ${byteOffset(s, begin)}`);
        i = k;
        while (i < n && isSpace(s[i])) i++;
        if (s[i] !== '=') {
          attrs[attrName] = '';
          continue;
        }
        i++;
        while (i < n && isSpace(s[i])) i++;
        if (i >= n) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(s, begin)}`);
        let value: string;
        const q = s[i];
        if (q === '"' || q === "'") {
          const close = s.indexOf(q, i + 1);
          if (close < 0) throw cantParse(`Unclosed start tag at byte offset ${byteOffset(s, begin)}`);
          value = s.slice(i + 1, close);
          i = close + 1;
        } else {
          let e = i;
          while (e < n && !isSpace(s[e]) && s[e] !== '>') e++;
          value = s.slice(i, e);
          i = e;
        }
        attrs[attrName] = decodeHtmlAttr(value);
      }
      if (name === 'span' && attrs.class !== 'tg-spoiler') {
        throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(s, begin)}`);
      }
      if (name === 'tg-emoji' && !/^\d+$/.test(attrs['emoji-id'] ?? '')) {
        throw cantParse(`Custom emoji entity must contain a tg://emoji URL at byte offset ${byteOffset(s, begin)}`);
      }
      stack.push({ name, type, start: out.length, attrs });
    } else {
      i++;
      let j = i;
      while (j < n && !isSpace(s[j]) && s[j] !== '>') j++;
      const name = s.slice(i, j).toLowerCase();
      while (j < n && isSpace(s[j])) j++;
      if (s[j] !== '>') throw cantParse(`Unclosed end tag at byte offset ${byteOffset(s, begin)}`);
      i = j + 1;
      const open = stack.pop();
      if (!open) throw cantParse(`Unexpected end tag at byte offset ${byteOffset(s, begin)}`);
      if (open.name !== name) {
        throw cantParse(`Unmatched end tag at byte offset ${byteOffset(s, begin)}, expected "</${open.name}>", found "</${name}>"`);
      }
      const length = out.length - open.start;
      if (length > 0) {
        const e: TgMessageEntity = { type: open.type, offset: open.start, length };
        if (open.type === 'text_link') {
          const href = open.attrs.href ?? '';
          const mention = /^tg:\/\/user\?id=(\d+)$/i.exec(href);
          if (mention) {
            e.type = 'text_mention';
            e.user = { id: Number(mention[1]) };
          } else if (href === '') {
            continue; // <a> without href is plain text
          } else {
            e.url = href;
          }
        } else if (open.type === 'code' && /^language-/.test(open.attrs.class ?? '')) {
          // <pre><code class="language-x"> becomes a pre entity with a language
          const parent = stack[stack.length - 1];
          if (parent?.type === 'pre') {
            parent.attrs['data-language'] = (open.attrs.class ?? '').slice('language-'.length);
            continue;
          }
        } else if (open.type === 'pre' && open.attrs['data-language']) {
          e.language = open.attrs['data-language'];
        } else if (open.type === 'blockquote' && 'expandable' in open.attrs) {
          e.type = 'expandable_blockquote';
        } else if (open.type === 'custom_emoji') {
          e.custom_emoji_id = open.attrs['emoji-id'] ?? '';
        }
        entities.push(e);
      }
    }
  }
  const open = stack[stack.length - 1];
  if (open) throw cantParse(`Can't find end tag corresponding to start tag "${open.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

// ---------------------------------------------------------------- MarkdownV2

const MDV2_RESERVED = new Set(['_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!']);
const ENTITY_NAMES: Record<string, string> = {
  bold: 'Bold',
  italic: 'Italic',
  underline: 'Underline',
  strikethrough: 'Strikethrough',
  spoiler: 'Spoiler',
  code: 'Code',
  pre: 'Pre',
  text_link: 'TextUrl',
  custom_emoji: 'CustomEmoji',
};

interface MdOpen {
  type: string;
  start: number; // output offset
  srcOffset: number; // source index, for error messages
  language?: string;
}

/** An approximation of TDLib's MarkdownV2 parser: same escaping rules and the common error texts. */
export function parseMarkdownV2(s: string): FormattedText {
  let out = '';
  const entities: TgMessageEntity[] = [];
  const stack: MdOpen[] = [];
  const n = s.length;
  let i = 0;
  let quoteStart = -1; // output offset where the current blockquote began
  const closeQuote = () => {
    if (quoteStart >= 0 && out.length > quoteStart) {
      entities.push({ type: 'blockquote', offset: quoteStart, length: out.length - quoteStart });
    }
    quoteStart = -1;
  };
  while (i < n) {
    const c = s[i]!;
    const top = stack[stack.length - 1];
    const inCode = top !== undefined && (top.type === 'code' || top.type === 'pre');
    if (c === '\\' && i + 1 < n) {
      const code = s.charCodeAt(i + 1);
      if (code > 0 && code <= 126) {
        out += s[i + 1];
        i += 2;
        continue;
      }
    }
    if (inCode) {
      if (top.type === 'code' && c === '`') {
        stack.pop();
        if (out.length > top.start) entities.push({ type: 'code', offset: top.start, length: out.length - top.start });
        i++;
        continue;
      }
      if (top.type === 'pre' && s.startsWith('```', i)) {
        stack.pop();
        if (out.length > top.start) {
          const e: TgMessageEntity = { type: 'pre', offset: top.start, length: out.length - top.start };
          if (top.language) e.language = top.language;
          entities.push(e);
        }
        i += 3;
        continue;
      }
      out += c;
      i++;
      continue;
    }
    if (c === '\n') {
      out += c;
      i++;
      if (quoteStart >= 0 && s[i] !== '>') closeQuote();
      continue;
    }
    if (!MDV2_RESERVED.has(c)) {
      out += c;
      i++;
      continue;
    }
    // end of the innermost entity?
    if (top !== undefined) {
      let endLen = 0;
      switch (top.type) {
        case 'bold':
          endLen = c === '*' ? 1 : 0;
          break;
        case 'italic':
          endLen = c === '_' ? 1 : 0;
          break;
        case 'underline':
          endLen = c === '_' && s[i + 1] === '_' ? 2 : 0;
          break;
        case 'strikethrough':
          endLen = c === '~' ? 1 : 0;
          break;
        case 'spoiler':
          endLen = c === '|' && s[i + 1] === '|' ? 2 : 0;
          break;
        case 'text_link':
        case 'custom_emoji':
          endLen = c === ']' ? 1 : 0;
          break;
      }
      if (endLen > 0) {
        stack.pop();
        i += endLen;
        const length = out.length - top.start;
        if (top.type === 'text_link' || top.type === 'custom_emoji') {
          let url = '';
          if (s[i] === '(') {
            let j = i + 1;
            while (j < n && s[j] !== ')') {
              if (s[j] === '\\' && j + 1 < n) {
                url += s[j + 1];
                j += 2;
              } else {
                url += s[j];
                j++;
              }
            }
            if (j >= n) throw cantParse(`Can't find end of a url at byte offset ${byteOffset(s, i)}`);
            i = j + 1;
          } else if (top.type === 'custom_emoji') {
            throw cantParse(`Custom emoji entity must contain a tg://emoji URL at byte offset ${byteOffset(s, top.srcOffset)}`);
          }
          if (length > 0 && url !== '') {
            const e: TgMessageEntity = { type: top.type, offset: top.start, length };
            if (top.type === 'custom_emoji') e.custom_emoji_id = url.replace(/^tg:\/\/emoji\?id=/, '');
            else e.url = url;
            entities.push(e);
          }
        } else if (length > 0) {
          entities.push({ type: top.type, offset: top.start, length });
        }
        continue;
      }
    }
    // start of an entity
    const srcOffset = i;
    switch (c) {
      case '_':
        if (s[i + 1] === '_') {
          stack.push({ type: 'underline', start: out.length, srcOffset });
          i += 2;
        } else {
          stack.push({ type: 'italic', start: out.length, srcOffset });
          i++;
        }
        continue;
      case '*':
        if (s.startsWith('**>', i) && (i === 0 || s[i - 1] === '\n')) {
          // expandable blockquote marker
          closeQuote();
          quoteStart = out.length;
          i += 3;
          continue;
        }
        stack.push({ type: 'bold', start: out.length, srcOffset });
        i++;
        continue;
      case '~':
        stack.push({ type: 'strikethrough', start: out.length, srcOffset });
        i++;
        continue;
      case '|':
        if (s[i + 1] === '|') {
          if (quoteStart >= 0 && (i + 2 >= n || s[i + 2] === '\n')) {
            i += 2; // "||" closing an expandable blockquote
            continue;
          }
          stack.push({ type: 'spoiler', start: out.length, srcOffset });
          i += 2;
          continue;
        }
        break;
      case '[':
        stack.push({ type: 'text_link', start: out.length, srcOffset });
        i++;
        continue;
      case '!':
        if (s[i + 1] === '[') {
          stack.push({ type: 'custom_emoji', start: out.length, srcOffset });
          i += 2;
          continue;
        }
        break;
      case '`':
        if (s.startsWith('```', i)) {
          i += 3;
          let language: string | undefined;
          const nl = s.indexOf('\n', i);
          if (nl >= 0) {
            const lang = s.slice(i, nl);
            if (lang !== '' && !/[\s`]/.test(lang)) language = lang;
            if (language !== undefined || lang === '') i = nl + 1;
          }
          const open: MdOpen = { type: 'pre', start: out.length, srcOffset };
          if (language !== undefined) open.language = language;
          stack.push(open);
        } else {
          stack.push({ type: 'code', start: out.length, srcOffset });
          i++;
        }
        continue;
      case '>':
        if (i === 0 || s[i - 1] === '\n') {
          if (quoteStart < 0) quoteStart = out.length;
          i++;
          continue;
        }
        break;
    }
    throw cantParse(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
  }
  const open = stack[stack.length - 1];
  if (open) {
    throw cantParse(`Can't find end of ${ENTITY_NAMES[open.type] ?? open.type} entity at byte offset ${byteOffset(s, open.srcOffset)}`);
  }
  closeQuote();
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

// ---------------------------------------------------------------- legacy Markdown

export function parseMarkdown(s: string): FormattedText {
  let out = '';
  const entities: TgMessageEntity[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < n && '_*`['.includes(s[i + 1]!)) {
      out += s[i + 1];
      i += 2;
      continue;
    }
    if (c !== '_' && c !== '*' && c !== '`' && c !== '[') {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    if (c === '[') {
      const close = s.indexOf(']', i + 1);
      if (close < 0) throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(s, begin)}`);
      const label = s.slice(i + 1, close);
      i = close + 1;
      if (s[i] === '(') {
        const end = s.indexOf(')', i + 1);
        if (end < 0) throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(s, begin)}`);
        const url = s.slice(i + 1, end);
        i = end + 1;
        if (label.length > 0) entities.push({ type: 'text_link', offset: out.length, length: label.length, url });
      }
      out += label;
      continue;
    }
    if (c === '`' && s.startsWith('```', i)) {
      const end = s.indexOf('```', i + 3);
      if (end < 0) throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(s, begin)}`);
      let body = s.slice(i + 3, end);
      let language: string | undefined;
      const nl = body.indexOf('\n');
      if (nl > 0 && !/\s/.test(body.slice(0, nl))) {
        language = body.slice(0, nl);
        body = body.slice(nl + 1);
      }
      if (body.length > 0) {
        const e: TgMessageEntity = { type: 'pre', offset: out.length, length: body.length };
        if (language) e.language = language;
        entities.push(e);
      }
      out += body;
      i = end + 3;
      continue;
    }
    const end = s.indexOf(c, i + 1);
    if (end < 0) throw cantParse(`Can't find end of the entity starting at byte offset ${byteOffset(s, begin)}`);
    const body = s.slice(i + 1, end);
    const type = c === '*' ? 'bold' : c === '_' ? 'italic' : 'code';
    if (body.length > 0) entities.push({ type, offset: out.length, length: body.length });
    out += body;
    i = end + 1;
  }
  return { text: out, entities };
}

// ---------------------------------------------------------------- text helpers

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

// ---------------------------------------------------------------- reply_markup

const INLINE_ACTIONS = [
  'callback_data',
  'url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'login_url',
  'web_app',
  'pay',
  'callback_game',
  'copy_text',
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loose validation of a reply_markup object, with Telegram's error texts for the common mistakes. */
export function validateReplyMarkup(markup: unknown): void {
  if (markup === undefined) return;
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ('inline_keyboard' in markup) {
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        if (!isObject(button)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton should be an Object");
        if (typeof button.text !== 'string') {
          throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
        }
        if (!INLINE_ACTIONS.some((k) => button[k] !== undefined)) {
          throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        if (button.callback_data !== undefined) {
          const data = button.callback_data;
          if (typeof data !== 'string') throw badRequest(`can't parse inline keyboard button: Field "callback_data" must be of type String`);
          const bytes = Buffer.byteLength(data, 'utf8');
          if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
        }
        if (button.url !== undefined) {
          if (typeof button.url !== 'string' || !/^(https?:\/\/|tg:\/\/)\S+$/i.test(button.url)) {
            throw badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
          }
        }
      }
    }
    return;
  }
  if ('keyboard' in markup) {
    const rows = markup.keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        if (typeof button === 'string') continue;
        if (!isObject(button) || typeof button.text !== 'string') {
          throw badRequest(`can't parse keyboard button: Field "text" must be of type String`);
        }
      }
    }
    return;
  }
  if ('remove_keyboard' in markup) {
    if (markup.remove_keyboard !== true) throw badRequest('field "remove_keyboard" of the ReplyKeyboardRemove must be true');
    return;
  }
  if ('force_reply' in markup) {
    if (markup.force_reply !== true) throw badRequest('field "force_reply" of the ForceReply must be true');
    return;
  }
  // Anything else (e.g. {}) is ignored by Telegram as "no markup".
}

/** The part of a reply_markup that a Message object carries (inline keyboards only). */
export function messageMarkup(markup: unknown): unknown {
  return isObject(markup) && Array.isArray(markup.inline_keyboard) && markup.inline_keyboard.length > 0 ? markup : undefined;
}
