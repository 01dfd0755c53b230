// parse_mode MarkdownV2 and legacy Markdown into plain text plus entities, with Telegram's error texts.
import { byteOffset, cantParse, type FormattedText } from './parse-common.js';
import type { TgMessageEntity } from './types.js';

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
