// Unit: a received message's text and entities back as Telegram HTML (src/chat/message-html.ts), as the edit of a
// decided request keeps them.
import { describe, expect, it } from 'vitest';
import { entitiesToHtml } from '../../src/chat/message-html.js';

describe('entitiesToHtml', () => {
  it('wraps each entity in its tag and escapes the rest', () => {
    const text = '⭐ Penilaian kinerja\n\nPegawai: Anisa <Ns> & co';
    expect(entitiesToHtml(text, [{ type: 'bold', offset: 0, length: 19 }])).toBe('<b>⭐ Penilaian kinerja</b>\n\nPegawai: Anisa &lt;Ns&gt; &amp; co');
  });

  it('counts offsets in UTF-16 units (an emoji is two) and nests entities, the inner closing first', () => {
    // "📊 Rekap" — the emoji takes offsets 0–1.
    expect(entitiesToHtml('📊 Rekap kinerja', [{ type: 'bold', offset: 3, length: 5 }])).toBe('📊 <b>Rekap</b> kinerja');
    expect(
      entitiesToHtml('Umpan balik: bagus', [
        { type: 'bold', offset: 0, length: 18 },
        { type: 'italic', offset: 13, length: 5 },
      ]),
    ).toBe('<b>Umpan balik: <i>bagus</i></b>');
    expect(entitiesToHtml('abc', [{ type: 'italic', offset: 0, length: 3 }, { type: 'bold', offset: 0, length: 3 }])).toBe('<i><b>abc</b></i>');
  });

  it('keeps links and code, and leaves out what Telegram finds again (commands, mentions)', () => {
    const text = 'Ketik /cetak atau buka tautan, kode X1';
    expect(
      entitiesToHtml(text, [
        { type: 'bot_command', offset: 6, length: 6 },
        { type: 'text_link', offset: 23, length: 6, url: 'https://example.test/?a=1&b=2' },
        { type: 'code', offset: 36, length: 2 },
      ]),
    ).toBe('Ketik /cetak atau buka <a href="https://example.test/?a=1&amp;b=2">tautan</a>, kode <code>X1</code>');
  });
});
