// parse_mode HTML: Telegram's tags and entities into plain text plus entities, with its error texts.
import { byteOffset, cantParse, type FormattedText } from './parse-common.js';
import type { TgMessageEntity } from './types.js';

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
