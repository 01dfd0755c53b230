// What a message that no feature took most likely means: a command typed without its slash or misspelt, a subject
// named in the user's own words ("predikat", "/tpp"), a greeting, thanks. The fallback answers each with the next
// step instead of a generic hint.
import { commandsFor, type CommandHelp, type RoleName, type TopicKey, type TopicPointer } from '../chat/texts/common.js';

export type { TopicPointer };

export type FreeText =
  /** `asked`: named inside a question ("cara isi skp"), not typed as the command without its slash. */
  | { kind: 'command'; command: CommandHelp; asked?: boolean }
  | { kind: 'topic'; pointer: TopicPointer }
  | { kind: 'greeting' }
  | { kind: 'thanks' }
  | { kind: 'acknowledgement' }
  /** `named`: a command of the user's the words name ("saya lupa kirim realisasi november"), offered with the hint. */
  | { kind: 'other'; named?: CommandHelp };

/**
 * Words people use for what the bot does under other names, most specific first, with the commands that answer
 * each per role. A role without commands for a topic gets nothing from it (an ASN asking for "pengumuman").
 */
const TOPICS: ReadonlyArray<{
  topic: TopicKey;
  words: RegExp;
  commands: Partial<Record<RoleName, string[]>>;
  /** Read before a command named in the same question: an atasan's "cara mengembalikan realisasi" is no /realisasi. */
  overCommand?: boolean;
}> = [
  {
    topic: 'pengembalian',
    words: /^(kembalikan|mengembalikan|tolak|menolak)$/,
    commands: { atasan: ['tugas'], pengelola: ['tugas'], bkpp_admin: ['tugas'] },
    overCommand: true,
  },
  // "kapan batas penilaian?", "deadline realisasi kapan": the dates themselves, before the subject's commands. A bare
  // "kapan" is weaker ("kapan TPP cair?", "kapan saya bisa cetak SKP"): read after the subjects, below.
  {
    topic: 'jadwal',
    words: /^(jadwal|deadline|batas|tenggat|tanggal_berapa|jatuh_tempo)$/,
    commands: { asn: ['status', 'realisasi'] },
    overCommand: true,
  },
  { topic: 'keberatan', words: /^(banding|sanggah(an)?|protes|komplain|keluhan|gugatan)$/, commands: { asn: ['keberatan'] } },
  {
    topic: 'tpp',
    words: /^(tpp|tunjangan|tukin|tamsil|insentif)$/,
    commands: { asn: ['status'], atasan: ['ekspor'], pengelola: ['ekspor'], bkpp_admin: ['ekspor'] },
  },
  {
    topic: 'angkaKredit',
    words: /^(angkakredit|angka_kredit|kredit|dupak)$/,
    commands: { asn: ['status', 'cetak'], atasan: ['ekspor'], pengelola: ['ekspor'], bkpp_admin: ['ekspor'] },
  },
  { topic: 'rencana', words: /^(rencana|sasaran|rhk|target|indikator|renaksi)$/, commands: { asn: ['skp'] } },
  {
    topic: 'evaluasi',
    words: /^(evaluasi|penilaian|nilai|dinilai|menilai|predikat|hasil|skor|rating|capaian_saya)$/,
    commands: { asn: ['status', 'cetak', 'keberatan'], atasan: ['tugas', 'rekap'], pengelola: ['rekap'], bkpp_admin: ['rekap', 'capaian'] },
  },
  {
    topic: 'persetujuan',
    words: /^(setuju|setujui|persetujuan|approve|approval|acc|ttd|tandatangan|tanda_tangan|paraf|pengesahan)$/,
    commands: { asn: ['tugas'] },
  },
  // Changes to the roster, for those who keep it; an ASN asking about their own move gets dataPegawai below.
  {
    topic: 'daftarPegawai',
    words: /^(mutasi|pindah|pindah_tugas|pensiun|pegawai_baru|tambah_pegawai|roster|impor|import)$/,
    commands: { pengelola: ['kode'], bkpp_admin: ['impor', 'lepas', 'kode'] },
  },
  {
    topic: 'dataPegawai',
    words: /^(atasan|penilai|pejabat|jabatan|pangkat|golongan|biodata|nomor|hp|telepon|telp|wa|whatsapp|email|mutasi|pindah|pindah_tugas)$/,
    commands: { asn: ['profil'] },
  },
  { topic: 'jadwal', words: /^kapan$/, commands: { asn: ['status', 'realisasi'] } },
  { topic: 'kontak', words: /^(kontak|hubungi|admin|operator|cs|helpdesk)$/, commands: { asn: ['profil', 'bantuan'] } },
  { topic: 'bukti', words: /^(bukti|upload|unggah|lampiran|foto|evidence)$/, commands: { asn: ['realisasi'] } },
  {
    topic: 'laporan',
    words: /^(laporan|lapor|lapkin|report|rekapan|progres|progress)$/,
    commands: { asn: ['realisasi', 'status'], atasan: ['rekap', 'ekspor'], pengelola: ['rekap', 'ekspor'], bkpp_admin: ['rekap', 'ekspor'] },
  },
  {
    topic: 'dokumen',
    words: /^(dokumen|sertifikat|piagam|pdf|unduh|download|print|excel|xlsx)$/,
    commands: { asn: ['cetak'], atasan: ['ekspor'], pengelola: ['ekspor'], bkpp_admin: ['ekspor'] },
  },
  { topic: 'plh', words: /^(cuti|plh|plt|delegasi|pengganti|wakilkan)$/, commands: { atasan: ['wakil'], pengelola: ['wakil'], bkpp_admin: ['wakil'] } },
  { topic: 'pengumuman', words: /^(pengumuman|broadcast|siaran|edaran|info_massal)$/, commands: { pengelola: ['umumkan'], bkpp_admin: ['umumkan'] } },
  { topic: 'panduan', words: /^(panduan|petunjuk|tutorial|info|informasi|tolong|cara|caranya)$/, commands: { asn: ['bantuan'] } },
];
/** The roles' order in a pointer: the work of a role above the ASN's own first (an atasan's "penilaian" is /tugas). */
const ROLE_ORDER: readonly RoleName[] = ['bkpp_admin', 'pengelola', 'atasan', 'asn'];

/**
 * The first topic (in TOPICS' order) any of `words` names for which the user has commands, with those commands;
 * null when none. `overCommandOnly`: only the topics read before a command named in the question.
 */
export function topicOf(words: readonly string[], roles: RoleName[], options: { overCommandOnly?: boolean } = {}): TopicPointer | null {
  const own = commandsFor(roles);
  for (const t of TOPICS) {
    if (options.overCommandOnly && !t.overCommand) continue;
    if (!words.some((w) => t.words.test(w))) continue;
    const monitoring = ROLE_ORDER.filter((r) => r !== 'asn' && roles.includes(r) && (t.commands[r]?.length ?? 0) > 0);
    const names = ROLE_ORDER.filter((r) => roles.includes(r)).flatMap((r) => t.commands[r] ?? []);
    const commands = [...new Set(names)].map((n) => own.find((c) => c.command === n)).filter((c): c is CommandHelp => c !== undefined);
    // A role without commands for the topic reads on: an ASN's "pindah tugas" is about their own data.
    if (commands.length === 0) continue;
    return { topic: t.topic, commands, audience: monitoring.length > 0 ? 'monitor' : 'asn' };
  }
  return null;
}

/** The words of a short message, lower-cased, without punctuation; "angka kredit" and "tanda tangan" as one word. */
export function wordsOf(text: string): string[] {
  return text
    .trim()
    .toLowerCase()
    .replace(/^\//, '')
    .replace(/@\w+/, '')
    .replace(/\b(angka) (kredit)\b|\b(tanda) (tangan)\b|\b(info) (massal)\b|\b(capaian) (saya)\b|\b(jatuh) (tempo)\b|\b(pindah) (tugas)\b|\b(pegawai) (baru)\b|\b(tanggal) (berapa)\b/g, (m) => m.replace(' ', '_'))
    .replace(/\b(?:tambah|menambah|menambahkan) pegawai\b/g, 'tambah_pegawai')
    .replace(/[.,!?;:()"'🙏👍]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

// "P" alone is how many people ping a chat; "tes" checks the bot is there.
const GREETING = /^(halo+|hallo|helo|hai+|hi|hello|selamat (pagi|siang|sore|malam)|pagi|siang|sore|malam|assalamu.?alaikum|salam|permisi|p|ping|tes|test)\b/;
const THANKS = /^(terima ?kasih|makasih|trims|thanks|thank you|thx|tq)\b/;
const ACKNOWLEDGEMENT = /^(ok|oke|okay|okey|baik|siap|sip|noted)\b/;

const QUESTION_WORD = /^(tanya|bertanya|bagaimana|gimana|bgmn|cara|caranya|dimana|mana|apa|apakah|kapan|berapa|mau|ingin|minta|mohon|tolong|bisa|bisakah|cek|lihat|melihat)$/;

/** Words that open a question, not a request typed as content ("mohon perbaiki target RHK 2 …" is a reason). */
const QUESTION_START = /^(tanya|bertanya|bagaimana|gimana|bgmn|cara|caranya|dimana|apakah|kapan|kenapa|mengapa)$/;

/** A request rather than content: a question, or no number in it and a question word or only a few words. */
function asksSomething(text: string, words: readonly string[], question: boolean): boolean {
  if (question) return true;
  if (/\d/.test(text)) return false;
  return words.length <= 4 || text.includes('?') || words.some((w) => QUESTION_WORD.test(w));
}

/** Reads a short message or question: the words that start it decide, other longer texts are left alone ('other'). */
export function classifyFreeText(text: string, roles: RoleName[]): FreeText {
  const words = wordsOf(text);
  // A question may take a sentence ("bagaimana cara mengubah SKP yang sudah disetujui?"); anything else longer than a
  // few words is content typed out of place.
  const question = text.trim().endsWith('?') || QUESTION_START.test(words[0] ?? '');
  if (words.length === 0 || words.length > (question ? 12 : 6)) return { kind: 'other' };
  const phrase = words.join(' ');
  const first = words[0]!;
  // "skp", "realisasi 2026-05", "Status": the command without its slash (a long sentence is not a command).
  const own = commandsFor(roles);
  const command = words.length <= 3 ? own.find((c) => c.command === first) : undefined;
  if (command) return { kind: 'command', command };
  if (THANKS.test(phrase)) return { kind: 'thanks' };
  // A question in a few words ("cara isi skp", "pagi, mau tanya soal tpp"): the command it names, or its topic. Not
  // what reads as an answer typed after its question was paused ("24 dokumen", "Persentase laporan yang selesai").
  if (asksSomething(text, words, question)) {
    const first = topicOf(words, roles, { overCommandOnly: true });
    if (first) return { kind: 'topic', pointer: first };
    const named = firstCommandNamed(words, own);
    // "kapan skp 2027 dibuka?", "kapan penilaian tahunan?": when something the schedule holds is due, the dates.
    if (words.includes('kapan') && asksWhenScheduled(words, roles, own)) return { kind: 'topic', pointer: topicOf(['kapan'], roles)! };
    if (named) return { kind: 'command', command: named, asked: true };
    const pointer = topicOf(words, roles);
    if (pointer) return { kind: 'topic', pointer };
  }
  if (GREETING.test(phrase)) return { kind: 'greeting' };
  if (ACKNOWLEDGEMENT.test(phrase) && words.length <= 3) return { kind: 'acknowledgement' };
  const named = firstCommandNamed(words, own);
  return named ? { kind: 'other', named } : { kind: 'other' };
}

/** The command of the user's named first in the words ("cetak skp" is /cetak), leaving out "batal". */
function firstCommandNamed(words: readonly string[], own: CommandHelp[]): CommandHelp | undefined {
  const index = words.findIndex((w) => w !== 'batal' && own.some((c) => c.command === w));
  return index < 0 ? undefined : own.find((c) => c.command === words[index]);
}

/**
 * "kapan" about what the schedule answers: the SKP, the realisation, or the evaluation, and nothing else named
 * ("kapan saya bisa cetak skp" is about /cetak, "kapan tpp cair?" about TPP).
 */
function asksWhenScheduled(words: readonly string[], roles: RoleName[], own: CommandHelp[]): boolean {
  if (!topicOf(['kapan'], roles)) return false;
  const named = own.filter((c) => words.includes(c.command));
  if (named.length > 0) return named.every((c) => c.command === 'skp' || c.command === 'realisasi');
  const subject = topicOf(words.filter((w) => w !== 'kapan'), roles);
  return subject?.topic === 'evaluasi' || subject?.topic === 'rencana';
}

/** The command a mistyped one most likely meant ('/realsasi' → realisasi, '/stat' → status), among the user's own. */
export function suggestCommand(typed: string, roles: RoleName[]): CommandHelp | null {
  const name = typed.replace(/^\//, '').split('@')[0]!.toLowerCase();
  if (name.length < 2) return null;
  let best: { command: CommandHelp; distance: number } | null = null;
  for (const command of commandsFor(roles)) {
    const prefix = name.length >= 3 && (command.command.startsWith(name) || name.startsWith(command.command));
    const distance = prefix ? 1 : editDistance(name, command.command);
    const allowed = name.length <= 4 ? 1 : 2;
    if (distance <= allowed && (!best || distance < best.distance)) best = { command, distance };
  }
  return best?.command ?? null;
}

/** Levenshtein distance with adjacent transpositions counted as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
