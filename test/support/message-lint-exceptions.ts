// What the message lint (message-lint.ts) lets through on purpose. Every entry says why; keep the list short.
import type { LintRule } from './message-lint.js';

export interface LintException {
  rule: LintRule;
  /** The matched fragment (exact string or pattern). */
  match: string | RegExp;
  /** Only when the whole text also matches this. */
  context?: RegExp;
  reason: string;
}

export const LINT_EXCEPTIONS: LintException[] = [
  {
    rule: 'html-as-text',
    match: /^(<\/?(b|i|a)( href="[^"]*")?>|&lt;.*|&amp;lt;)$/,
    context: /Format HTML Telegram dapat dipakai|tulis karakter < > & sebagai/,
    reason: 'The announcement help teaches the admin Telegram\'s HTML tags by showing them (escaped) as examples.',
  },
  {
    rule: 'doubled-punctuation',
    match: /&amp;\.\s/,
    context: /tulis karakter < > & sebagai/,
    reason: 'The HTML help lists the entities "&lt; &gt; &amp;" and ends the sentence after the last one.',
  },
  {
    rule: 'raw-code',
    match: /^(jenis_jabatan|nip_atasan|bkpp_admin)$/,
    context: /kolom|Baris \d+|Impor/,
    reason: 'Roster CSV column names and values: the admin types exactly these in the file, so they are shown as written.',
  },
];

/** Test files whose fake Bot API does not talk to the bot (they test the fake itself with synthetic texts). */
export const LINT_EXEMPT_FILES: Array<{ file: RegExp; reason: string }> = [
  { file: /test\/e2e\/fake-telegram\.test\.ts$/, reason: 'Tests the fake Bot API itself with synthetic English texts, not the bot.' },
];
