// Reads what a person reads: lints every text, caption, button label, toast and file name the bot sends to the fake.
import { formatText } from './fake-telegram/format.js';
import type { ApiCall } from './fake-telegram/types.js';
import { LINT_EXCEPTIONS } from './message-lint-exceptions.js';

/** One piece of text a person sees, and where it came from (for the failure message). */
export interface Readable {
  /** e.g. "sendMessage text", "sendDocument file name", "editMessageText button". */
  where: string;
  text: string;
  /** HTML markup as sent, when parse_mode was HTML (to find tags that would be shown as text). */
  raw?: string;
}

export interface LintFinding {
  rule: LintRule;
  where: string;
  match: string;
  text: string;
}

export type LintRule =
  | 'internal-id'
  | 'raw-code'
  | 'missing-value'
  | 'empty-field'
  | 'doubled-punctuation'
  | 'html-as-text'
  | 'english'
  | 'row-version';

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
// Lower-case hex runs of 8+ with at least one digit and one letter: uuid fragments, hashes. NIPs and phone numbers
// (all digits) and verification codes (upper case, shown after their label) are not caught.
const HEX_RUN = /(?<![0-9A-Za-z])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?![0-9A-Za-z])/;
const VERIFICATION_CONTEXT = /(kode verifikasi:?|\/verifikasi|sha-256 berkas:)\s*$/i;
// snake_case words: two or more lower-case parts joined by "_". Commands (/rekap_terlambat), @usernames and file
// names (…_x.pdf) are not codes.
const SNAKE = /(?<![\w/@.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.@-])/g;
const MISSING = /\b(undefined|null|NaN)\b|\[object/;
// A stored period key ('2026-11', '2026-T4', '2026-S1') read as a value: people read "November 2026". It is what
// they type after a command ("/keberatan 2026-11") or as an example of typing ("bulan (2026-03 atau Maret 2026)",
// "periode seperti 2026-T2"), so there it stays.
const PERIOD_KEY = /(?<![\w/.-])\d{4}-(?:0[1-9]|1[0-2]|T[1-4]|S[12])(?![\w.-])/g;
const COMMAND_BEFORE = /\/[a-z_]+(?:[ \t]+\S+){0,3}[ \t]+$/i;
const EXAMPLE_BEFORE = /(?:\(|\bseperti\s+|\bmisalnya\s+|\bcontoh:?\s+)$/i;
const EXAMPLE_AFTER = /^(?:\)|\s+(?:untuk|atau)\b)/;
// A labelled field with nothing after it: "Alasan: " at the end, "Kuantitas:  — target", "Predikat: ,".
const EMPTY_AFTER_COLON = /:[ \t]*(?:[—–,;.]|$)/;
const INSTRUCTION = /^(pilih|ketik|kirim|tekan|mohon|sekarang|konfirmasi|balas|isi|tulis|lihat|caranya|contoh|misalnya)\b/i;
const DOUBLED = /(?<![.])\.\.(?![.])|,,|;;|::|(?<![?])\?\?(?![?])|[,;:]\s*[.,;:](?![.])/;
const HTML_TAG = /<\/?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|span|br|p|div|tg-spoiler|blockquote)(\s[^>]*)?\/?>/i;
const ESCAPED_TAG = /&lt;\/?(b|i|u|s|a|code|pre)(\s[^&]*)?&gt;|&amp;(lt|gt|amp|quot);/i;
// English a person should never read: system errors and untranslated status words.
const ENGLISH =
  /\b(error|errors|failed|failure|invalid|unknown|exception|timed out|timeout|please|success(fully)?|pending|approved|rejected|cancell?ed|processing|loading|not found|forbidden|unauthori[sz]ed|denied|warning|something went wrong|can't|cannot|unable to|end tag|start tag|internal server|bad request|too many requests|try again|submitted|completed|returned|draft|acknowledged|queued|approve|reject|submit|cancel|confirm|next|done)\b/i;
// Row versions: "_v8.pdf" in a file name, "Versi pengajuan: 8" in a text. People see revisions ("revisi ke-2").
const FILE_VERSION = /(?:^|[_\s-])v\d+(?=[._\s-]|$)/i;
const TEXT_VERSION = /\bversi( pengajuan)?:?\s*\d+/i;

function isException(rule: LintRule, match: string, text: string): boolean {
  return LINT_EXCEPTIONS.some((e) => e.rule === rule && (typeof e.match === 'string' ? e.match === match : e.match.test(match)) && (!e.context || e.context.test(text)));
}

/** Every finding in one readable piece of text (exceptions already removed). */
export function lintText(r: Readable): LintFinding[] {
  const out: LintFinding[] = [];
  const add = (rule: LintRule, match: string): void => {
    if (!isException(rule, match, r.text)) out.push({ rule, where: r.where, match, text: r.text });
  };
  const t = r.text;
  const isFileName = r.where.endsWith('file name');

  const uuid = UUID.exec(t);
  if (uuid) add('internal-id', uuid[0]);
  for (const m of t.matchAll(new RegExp(HEX_RUN.source, 'g'))) {
    if (VERIFICATION_CONTEXT.test(t.slice(0, m.index))) continue;
    add('internal-id', m[0]);
  }
  if (!isFileName) for (const m of t.matchAll(SNAKE)) add('raw-code', m[0]);
  if (!isFileName) {
    for (const m of t.matchAll(PERIOD_KEY)) {
      const before = t.slice(Math.max(0, m.index - 60), m.index);
      const after = t.slice(m.index + m[0].length, m.index + m[0].length + 10);
      if (!COMMAND_BEFORE.test(before) && !EXAMPLE_BEFORE.test(before) && !EXAMPLE_AFTER.test(after)) add('raw-code', m[0]);
    }
  }
  const missing = MISSING.exec(t);
  if (missing) add('missing-value', missing[0]);
  if (!isFileName) {
    const lines = t.split('\n');
    lines.forEach((line, i) => {
      const m = EMPTY_AFTER_COLON.exec(line);
      if (!m) return;
      if (m[0].trim() === ':') {
        // Only a short field label closing the text is empty ("Alasan:"); "Pilih penerima:" introduces the buttons
        // below, and "Konfirmasi penilaian:" the lines after it.
        if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim() !== '')) return;
        const label = line.trim().replace(/^[•\-–]\s*/, '').slice(0, -1);
        if (label.split(/\s+/).length > 3 || INSTRUCTION.test(label)) return;
      }
      // "https://…", "07:30"
      if (/https?$|\d$/.test(line.slice(0, m.index))) return;
      add('empty-field', line.trim());
    });
    const doubled = DOUBLED.exec(t);
    if (doubled) add('doubled-punctuation', t.slice(Math.max(0, doubled.index - 20), doubled.index + 3));
  }
  const visibleTag = HTML_TAG.exec(t);
  if (visibleTag) add('html-as-text', visibleTag[0]);
  const escaped = r.raw ? ESCAPED_TAG.exec(r.raw) : null;
  if (escaped) add('html-as-text', escaped[0]);
  const english = ENGLISH.exec(t);
  if (english) add('english', english[0]);
  const version = (isFileName ? FILE_VERSION : TEXT_VERSION).exec(t);
  if (version) add('row-version', version[0].trim());
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function visible(raw: string, parseMode: unknown, entities: unknown): string {
  try {
    return formatText(raw, str(parseMode), entities).text;
  } catch {
    return raw; // malformed markup is the fake's own 400, reported there
  }
}

function buttonLabels(markup: unknown): string[] {
  let m = markup;
  if (typeof m === 'string') {
    try {
      m = JSON.parse(m);
    } catch {
      return [];
    }
  }
  const rows = (m as { inline_keyboard?: unknown; keyboard?: unknown } | undefined)?.inline_keyboard ?? (m as { keyboard?: unknown } | undefined)?.keyboard;
  if (!Array.isArray(rows)) return [];
  const out: string[] = [];
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    for (const b of row) {
      const text = typeof b === 'string' ? b : str((b as { text?: unknown }).text);
      if (text !== undefined) out.push(text);
    }
  }
  return out;
}

/** What a person reads from one API call the bot made. */
export function readablesOf(call: ApiCall): Readable[] {
  const p = call.params;
  const out: Readable[] = [];
  const html = str(p.parse_mode)?.toLowerCase() === 'html';
  const push = (where: string, raw: string | undefined, entities?: unknown): void => {
    if (raw === undefined || raw === '') return;
    out.push({ where: `${call.method} ${where}`, text: visible(raw, p.parse_mode, entities), ...(html ? { raw } : {}) });
  };
  switch (call.method.toLowerCase()) {
    case 'sendmessage':
    case 'editmessagetext':
      push('text', str(p.text), p.entities);
      break;
    case 'senddocument':
    case 'sendphoto':
    case 'editmessagecaption':
    case 'sendmediagroup': {
      push('caption', str(p.caption), p.caption_entities);
      const file = p.document as { filename?: unknown } | undefined;
      const name = str(file?.filename);
      if (name) out.push({ where: `${call.method} file name`, text: name });
      break;
    }
    case 'answercallbackquery':
      if (str(p.text)) out.push({ where: 'answerCallbackQuery toast', text: str(p.text)! });
      break;
    case 'setmycommands': {
      const list = (typeof p.commands === 'string' ? JSON.parse(p.commands) : p.commands) as Array<{ description?: string }> | undefined;
      for (const c of list ?? []) if (c.description) out.push({ where: 'setMyCommands description', text: c.description });
      break;
    }
    default:
      break;
  }
  for (const label of buttonLabels(p.reply_markup)) out.push({ where: `${call.method} button`, text: label });
  return out;
}

/** Findings over a list of calls; each distinct text is read once. */
export function lintCalls(calls: ApiCall[], seen = new Set<string>()): LintFinding[] {
  const out: LintFinding[] = [];
  for (const call of calls) {
    for (const r of readablesOf(call)) {
      const key = `${r.where}\u0000${r.raw ?? r.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(...lintText(r));
    }
  }
  return out;
}

export function describeFindings(findings: LintFinding[]): string {
  const lines = findings.slice(0, 20).map((f) => `- [${f.rule}] "${f.match}" in ${f.where}:\n    ${f.text.replace(/\n/g, '\n    ').slice(0, 600)}`);
  const more = findings.length > 20 ? `\n…and ${findings.length - 20} more` : '';
  return `Message lint: ${findings.length} finding(s) in what the bot sent (see test/support/message-lint.ts; allowed exceptions live in message-lint-exceptions.ts):\n${lines.join('\n')}${more}`;
}
