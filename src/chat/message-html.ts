// A received message's text back as Telegram HTML, so an edit that adds a line keeps the original's bold, italics
// and links (Message.text is plain; its formatting is in entities).
import { escapeHtml } from './texts/common.js';

/** The entity fields this needs (telegraf's MessageEntity has more). */
export interface TextEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

function tagsOf(entity: TextEntity): [string, string] | null {
  switch (entity.type) {
    case 'bold': return ['<b>', '</b>'];
    case 'italic': return ['<i>', '</i>'];
    case 'underline': return ['<u>', '</u>'];
    case 'strikethrough': return ['<s>', '</s>'];
    case 'spoiler': return ['<tg-spoiler>', '</tg-spoiler>'];
    case 'code': return ['<code>', '</code>'];
    case 'pre': return entity.language ? [`<pre><code class="language-${escapeHtml(entity.language)}">`, '</code></pre>'] : ['<pre>', '</pre>'];
    case 'text_link': return entity.url ? [`<a href="${escapeHtml(entity.url).replace(/"/g, '&quot;')}">`, '</a>'] : null;
    case 'blockquote': return ['<blockquote>', '</blockquote>'];
    case 'expandable_blockquote': return ['<blockquote expandable>', '</blockquote>'];
    // Mentions, hashtags, URLs and commands are found by Telegram again in the new text.
    default: return null;
  }
}

/**
 * `text` with its entities as HTML tags, the rest escaped. Offsets are UTF-16 code units, as JavaScript strings
 * count them. Telegram's entities nest (it sends them sorted by offset, the outer first), so tags close in reverse
 * order of opening at the same position.
 */
export function messageHtml(text: string, entities: readonly TextEntity[] = []): string {
  const opens = new Map<number, string[]>();
  const closes = new Map<number, string[]>();
  const ordered = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  for (const entity of ordered) {
    const tags = tagsOf(entity);
    if (!tags || entity.length <= 0) continue;
    const end = entity.offset + entity.length;
    opens.set(entity.offset, [...(opens.get(entity.offset) ?? []), tags[0]]);
    // Inner entities close first: later (inner) closing tags go before earlier (outer) ones at the same position.
    closes.set(end, [tags[1], ...(closes.get(end) ?? [])]);
  }
  let html = '';
  let from = 0;
  const cuts = [...new Set([...opens.keys(), ...closes.keys()])].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  for (const at of cuts) {
    html += escapeHtml(text.slice(from, at)) + (closes.get(at) ?? []).join('') + (opens.get(at) ?? []).join('');
    from = at;
  }
  return html + escapeHtml(text.slice(from));
}
