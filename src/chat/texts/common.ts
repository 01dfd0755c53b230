// Every Indonesian text the bot shows, with its keyboards; handlers never build user-facing strings themselves.
import { rosterUploadButtons } from '../buttons/roster.js';
import { Markup } from 'telegraf';
import type { RosterImportSummary } from '../../app/import-roster.js';
import { formatNip } from '../../domain/nip.js';
import type { NamedEmployee } from '../../app/repositories/employees.js';

/** Glossary: ASN = civil servant; atasan = direct superior (pejabat penilai); pengelola = personnel officer
 * of a perangkat daerah (regional agency unit); BKPP = the regional personnel agency. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Ends a sentence after a name without doubling its own final period ("Dewi Nugroho, S.E."). */
export function fullStop(html: string): string {
  return /[.!?…](<\/[a-z]+>)*$/i.test(html) ? html : `${html}.`;
}

/** Shortens a text at a word boundary, marking the cut with "…". */
export function clipText(text: string, max: number): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

export type RoleName = 'asn' | 'atasan' | 'pengelola' | 'bkpp_admin';

/** A command as /bantuan lists it: "/skp — what it does". */
const commandLine = (c: CommandHelp) => `/${c.command} — ${escapeHtml(c.description)}`;

/** Subjects people name in their own words when no command has that name (see src/bot/free-text.ts). */
export type TopicKey =
  | 'keberatan'
  | 'tpp'
  | 'angkaKredit'
  | 'rencana'
  | 'evaluasi'
  | 'persetujuan'
  | 'pengembalian'
  | 'daftarPegawai'
  | 'dataPegawai'
  | 'jadwal'
  | 'kontak'
  | 'bukti'
  | 'laporan'
  | 'dokumen'
  | 'plh'
  | 'pengumuman'
  | 'panduan';

/** A subject the user named in their own words ("predikat", "/tpp") and the commands of theirs that answer it. */
export interface TopicPointer {
  topic: TopicKey;
  commands: CommandHelp[];
  /** Which note goes with it: a monitor's (the export's sheets) or an ASN's. */
  audience: 'asn' | 'monitor';
}

const TOPIC_LABELS: Record<TopicKey, string> = {
  keberatan: 'keberatan atas hasil penilaian kinerja',
  tpp: 'TPP (tambahan penghasilan pegawai)',
  angkaKredit: 'angka kredit jabatan fungsional',
  rencana: 'rencana hasil kerja (SKP)',
  evaluasi: 'hasil penilaian dan predikat kinerja',
  persetujuan: 'persetujuan dan tanda tangan',
  pengembalian: 'mengembalikan pengajuan agar diperbaiki',
  daftarPegawai: 'perubahan daftar pegawai (pegawai baru, pindah, pensiun)',
  dataPegawai: 'data kepegawaian Bapak/Ibu (atasan, jabatan, pangkat, nomor HP)',
  jadwal: 'batas waktu pengisian dan persetujuan',
  kontak: 'bantuan dan kontak',
  bukti: 'bukti dukung',
  laporan: 'laporan kinerja',
  dokumen: 'dokumen dan unduhan',
  plh: 'Plh selama cuti',
  pengumuman: 'pengumuman',
  panduan: 'petunjuk pemakaian',
};

/** What the commands alone do not say, for an ASN or for those who monitor (whose /ekspor has the sheets). */
const TOPIC_NOTES: Partial<Record<TopicKey, { asn?: string; monitor?: string }>> = {
  pengembalian: {
    monitor:
      'Tekan ↩️ Kembalikan pada pesan permintaannya (buka kembali lewat /tugas), lalu tuliskan alasannya: pegawai menerima alasan itu ' +
      'dan mengirim ulang setelah diperbaiki.',
  },
  daftarPegawai: {
    monitor:
      'Pegawai baru, pindah, pensiun, atau berganti atasan dicatat lewat daftar pegawai (berkas CSV) yang diimpor admin BKPP dengan /impor. ' +
      'Pegawai yang nomor HP-nya tidak cocok dapat ditautkan dengan /kode NIP.',
  },
  dataPegawai: {
    asn: 'Data ini berasal dari daftar pegawai yang dikelola pengelola kepegawaian. Bila ada yang salah atau berubah (misalnya atasan atau nomor HP), hubungi pengelola kepegawaian perangkat daerah Bapak/Ibu.',
  },
  jadwal: {
    asn: 'Batas waktu tercantum di /status untuk setiap langkah yang sedang berjalan, dan di awal /realisasi untuk periode itu.',
  },
  kontak: {
    asn: 'Untuk pertanyaan tentang data atau penilaian, hubungi pengelola kepegawaian di perangkat daerah Bapak/Ibu.',
  },
  tpp: {
    asn: 'Besaran TPP dihitung oleh tim keuangan daerah dari data kinerja: SKP yang ditetapkan, realisasi yang tepat waktu, dan predikat.',
    monitor: 'Sheet TPP pada berkas /ekspor memuat data kinerja setiap pegawai per bulan untuk perhitungan TPP.',
  },
  angkaKredit: {
    asn: 'Angka kredit jabatan fungsional dihitung dari predikat kinerja (Peraturan BKN Nomor 3 Tahun 2023); perhitungannya tersedia bagi pengelola kepegawaian.',
    monitor: 'Sheet Angka Kredit pada berkas /ekspor memuat perhitungan angka kredit setiap pejabat fungsional.',
  },
};

export interface CommandHelp {
  command: string;
  description: string;
  roles: RoleName[];
}

/**
 * The commands the bot understands, per role: drives /bantuan, the menu and setMyCommands. Examples name periods
 * without a year ("mei", "tahun ini"), so they read right in every year.
 */
export const COMMANDS: CommandHelp[] = [
  { command: 'start', description: 'Mulai / tautkan akun Telegram', roles: ['asn'] },
  { command: 'bantuan', description: 'Daftar perintah yang dapat Bapak/Ibu gunakan', roles: ['asn'] },
  { command: 'profil', description: 'Data kepegawaian Bapak/Ibu', roles: ['asn'] },
  { command: 'daftar', description: 'Tautkan akun dengan kode dari pengelola: /daftar KODE', roles: ['asn'] },
  { command: 'batal', description: 'Batalkan isian yang sedang berjalan', roles: ['asn'] },
  { command: 'skp', description: 'Susun, lanjutkan, atau perbaiki SKP tahun ini; /skp TAHUN untuk melihat SKP tahun lain', roles: ['asn'] },
  { command: 'realisasi', description: 'Laporkan realisasi dan bukti dukung: /realisasi, atau dengan periodenya, misalnya /realisasi mei', roles: ['asn'] },
  { command: 'status', description: 'Posisi SKP dan realisasi Bapak/Ibu, dengan predikatnya', roles: ['asn'] },
  { command: 'jadwal', description: 'Batas waktu SKP, realisasi, dan penilaian kinerja tahunan', roles: ['asn'] },
  { command: 'keberatan', description: 'Ajukan keberatan atas hasil penilaian kinerja (paling lambat 14 hari)', roles: ['asn'] },
  { command: 'cetak', description: 'Cetak SKP atau dokumen evaluasi kinerja (PDF)', roles: ['asn'] },
  { command: 'verifikasi', description: 'Periksa keaslian dokumen cetak: /verifikasi KODE', roles: ['asn'] },
  { command: 'tugas', description: 'Daftar tugas yang menunggu Bapak/Ibu (persetujuan, penilaian, tanda tangan, tanda terima)', roles: ['asn', 'atasan', 'pengelola', 'bkpp_admin'] },
  { command: 'usulkan', description: 'ASN Berprestasi: /usulkan NIP untuk mengusulkan (pengelola), /usulkan untuk daftarnya', roles: ['pengelola', 'bkpp_admin'] },
  { command: 'kumpulkan', description: 'Himpun SKP yang sudah ditetapkan dan teruskan ke BKPP; BKPP: terima SKP yang diteruskan sekaligus', roles: ['pengelola', 'bkpp_admin'] },
  { command: 'kode', description: 'Buat kode tautan untuk pegawai: /kode NIP', roles: ['pengelola', 'bkpp_admin'] },
  { command: 'impor', description: 'Impor daftar pegawai (kirim berkas CSV)', roles: ['bkpp_admin'] },
  { command: 'lepas', description: 'Lepaskan tautan Telegram pegawai: /lepas NIP', roles: ['bkpp_admin'] },
  { command: 'rekap', description: 'Rekap kinerja, grafik dan langkah lewat SLA: /rekap [tahun ini | maret | nama perangkat daerah], /rekap terlambat', roles: ['atasan', 'pengelola', 'bkpp_admin'] },
  { command: 'ekspor', description: 'Unduh rekap (XLSX, atau CSV satu sheet): /ekspor [tahun ini | maret] [csv Pegawai]', roles: ['atasan', 'pengelola', 'bkpp_admin'] },
  { command: 'wakil', description: 'Tunjuk Plh selama cuti: /wakil NIP DD-MM-YYYY DD-MM-YYYY [alasan]', roles: ['atasan', 'pengelola', 'bkpp_admin'] },
  { command: 'capaian', description: 'Tetapkan capaian kinerja organisasi per perangkat daerah: /capaian [tahun lalu | maret]', roles: ['bkpp_admin'] },
  { command: 'jalankan', description: 'Jalankan pekerjaan terjadwal sekarang: /jalankan NAMA', roles: ['bkpp_admin'] },
  { command: 'umumkan', description: 'Kirim pengumuman kepada pegawai', roles: ['pengelola', 'bkpp_admin'] },
];

export function commandsFor(roles: RoleName[]): CommandHelp[] {
  return COMMANDS.filter((c) => c.roles.some((r) => roles.includes(r)));
}

export const texts = {
  privateOnly: (botUsername: string) =>
    `Mohon maaf, kinerja-bot hanya melayani lewat chat pribadi. Silakan buka @${botUsername} dan ketik /start.`,
  welcomeUnlinked:
    'Selamat datang di <b>kinerja-bot</b>.\n\nUntuk mulai, mohon tautkan akun Telegram Bapak/Ibu dengan data kepegawaian: ' +
    'tekan tombol <b>📱 Bagikan nomor saya</b> di bawah.\n\nJika nomor Telegram Bapak/Ibu berbeda dengan nomor di data kepegawaian, ' +
    'mintalah kode tautan kepada pengelola kepegawaian, lalu ketik <code>/daftar KODE</code>.',
  shareContactButton: '📱 Bagikan nomor saya',
  linked: (nama: string) => `Terima kasih, akun Telegram Bapak/Ibu sudah tertaut.\n\nSelamat datang, ${fullStop(`<b>${escapeHtml(nama)}</b>`)}`,
  alreadyLinked: (nama: string) => `Akun Telegram Bapak/Ibu sudah tertaut sebagai ${fullStop(`<b>${escapeHtml(nama)}</b>`)}`,
  notLinked:
    'Akun Telegram Bapak/Ibu belum tertaut dengan data kepegawaian. Ketik /start lalu bagikan nomor telepon Bapak/Ibu, ' +
    'atau gunakan <code>/daftar KODE</code> dari pengelola kepegawaian.',
  /** The same in a message, which carries the share-contact button (keyboards.shareContact). */
  notLinkedWithButton:
    'Akun Telegram Bapak/Ibu belum tertaut dengan data kepegawaian. Tekan tombol <b>📱 Bagikan nomor saya</b> di bawah, ' +
    'atau gunakan <code>/daftar KODE</code> dari pengelola kepegawaian.',
  nipTypedUnlinked:
    'Terima kasih. Demi keamanan, akun tidak dapat ditautkan hanya dengan NIP. Silakan tekan tombol ' +
    '<b>📱 Bagikan nomor saya</b> di bawah, atau mintalah kode tautan kepada pengelola kepegawaian lalu ketik <code>/daftar KODE</code>.',
  phoneTypedUnlinked:
    'Nomor telepon perlu dibagikan lewat tombol <b>📱 Bagikan nomor saya</b> di bawah, bukan diketik, ' +
    'agar Telegram memastikan nomor itu milik Bapak/Ibu.',
  contactNotOwn:
    'Mohon maaf, kontak yang dikirim bukan milik akun Telegram ini. Silakan tekan tombol <b>📱 Bagikan nomor saya</b> untuk mengirim nomor Bapak/Ibu sendiri.',
  phoneNotFound:
    'Mohon maaf, nomor telepon ini tidak terdaftar di data kepegawaian. Silakan minta kode tautan kepada pengelola kepegawaian ' +
    'di perangkat daerah Bapak/Ibu, lalu ketik <code>/daftar KODE</code>.',
  phoneAmbiguous:
    'Nomor telepon ini terdaftar untuk lebih dari satu pegawai, sehingga tidak dapat ditautkan otomatis. ' +
    'Silakan minta kode tautan kepada pengelola kepegawaian, lalu ketik <code>/daftar KODE</code>.',
  nipLinkedElsewhere:
    'Data kepegawaian ini sudah tertaut dengan akun Telegram lain. Jika itu bukan akun Bapak/Ibu, ' +
    'hubungi admin BKPP untuk melepaskan tautan lama (/lepas).',
  telegramLinkedElsewhere: (nama: string) =>
    `Akun Telegram ini sudah tertaut sebagai ${fullStop(`<b>${escapeHtml(nama)}</b>`)} Satu akun Telegram hanya untuk satu pegawai.`,
  employeeInactive:
    'Mohon maaf, data kepegawaian Bapak/Ibu berstatus tidak aktif, sehingga akun tidak dapat ditautkan. Hubungi pengelola kepegawaian.',
  codeInvalid: 'Kode tautan tidak dikenali. Periksa kembali kodenya, atau minta kode baru kepada pengelola kepegawaian.',
  codeExpired: 'Kode tautan sudah kedaluwarsa (berlaku 7 hari). Silakan minta kode baru kepada pengelola kepegawaian.',
  codeUsed: 'Kode tautan ini sudah pernah dipakai. Silakan minta kode baru kepada pengelola kepegawaian.',
  daftarUsage: 'Ketik kode tautan setelah perintah, misalnya: <code>/daftar AbC123xyz</code>',
  kodeUsage: 'Ketik NIP pegawai setelah perintah, misalnya: <code>/kode 198504122010011003</code>',
  lepasUsage: 'Ketik NIP pegawai setelah perintah, misalnya: <code>/lepas 198504122010011003</code>',
  nipInvalid: (reason: string) => `NIP tidak valid: ${escapeHtml(reason)}.`,
  nameInsteadOfNip: (typed: string, matches: NamedEmployee[], exampleFor: (nip: string) => string, buttons = false) => {
    const head = 'Perintah ini memakai NIP (18 digit), bukan nama.';
    const quoted = `"${escapeHtml(clipText(typed, 60))}"`;
    if (matches.length === 0) {
      return `${head} Tidak ada pegawai bernama ${quoted} yang dapat Bapak/Ibu pilih di sini. Periksa ejaannya, atau ketik NIP-nya.`;
    }
    const shown = matches.slice(0, 5);
    const lines = shown.map((m) => `• <b>${escapeHtml(m.nama)}</b>, NIP ${formatNip(m.nip)}\n   ${escapeHtml(clipText(`${m.jabatan}, ${m.unit}`, 120))}`);
    const more = matches.length > shown.length ? '\n…dan lainnya: tambahkan kata dari namanya agar lebih tepat.' : '';
    const how = buttons ? (shown.length === 1 ? 'Tekan tombol di bawah untuk melanjutkan, atau ketik' : 'Pilih pegawainya dengan tombol di bawah, atau ketik') : 'Ketik';
    return `${head} Pegawai yang cocok dengan ${quoted}:\n\n${lines.join('\n')}${more}\n\n${how}, misalnya: <code>${escapeHtml(exampleFor(shown[0]!.nip))}</code>`;
  },
  employeeNotFound: (nip: string) => `Pegawai dengan NIP ${formatNip(nip)} tidak ditemukan.`,
  notAuthorized: 'Mohon maaf, perintah ini hanya untuk petugas yang berwenang.',
  notYourUnit: 'Mohon maaf, pegawai tersebut bukan dari perangkat daerah yang Bapak/Ibu kelola.',
  codeIssued: (nama: string, nip: string, code: string, link: string, expires: string) =>
    `Kode tautan untuk <b>${escapeHtml(nama)}</b> (NIP ${formatNip(nip)}):\n\n<code>${code}</code>\n\n` +
    `Sampaikan kepada pegawai yang bersangkutan. Pegawai cukup membuka tautan berikut:\n${link}\n` +
    `atau mengetik <code>/daftar ${code}</code> di chat bot.\n\nKode hanya berlaku satu kali, sampai ${expires}.`,
  unlinked: (nama: string, nip: string) => `Tautan Telegram untuk <b>${escapeHtml(nama)}</b> (NIP ${formatNip(nip)}) sudah dilepas.`,
  notLinkedTarget: (nama: string) => `${escapeHtml(nama)} belum menautkan akun Telegram.`,
  unexpectedError: 'Mohon maaf, terjadi gangguan saat memproses permintaan Bapak/Ibu. Silakan coba lagi sebentar lagi.',
  unknownCommand: 'Mohon maaf, perintah tersebut tidak dikenal. Ketik /bantuan untuk melihat perintah yang tersedia.',
  freeTextWithTasks: (n: number) =>
    `Ada ${n} permintaan yang menunggu keputusan Bapak/Ibu. Silakan pilih tombol pada pesan permintaannya, ` +
    'atau ketik /tugas untuk membukanya kembali.',
  freeTextHint: 'Saat ini tidak ada isian yang sedang berjalan. Ketik /bantuan untuk melihat apa yang dapat Bapak/Ibu lakukan.',
  unknownCommandSuggest: (meant: CommandHelp) =>
    `Mohon maaf, perintah tersebut tidak dikenal. Mungkin maksud Bapak/Ibu:\n\n${commandLine(meant)}\n\n` +
    'Ketik /bantuan untuk melihat semua perintah.',
  /** A subject named in the user's words ("/predikat", "tpp"): the commands of theirs that answer it. */
  topicPointer: (
    pointer: TopicPointer,
    options: { typedCommand?: string; pengelola?: { perangkatDaerah: string; names: string[] } } = {},
  ) => {
    const note = TOPIC_NOTES[pointer.topic]?.[pointer.audience];
    const contact = options.pengelola && options.pengelola.names.length > 0 ? options.pengelola : null;
    return (
      (options.typedCommand ? `Perintah ${escapeHtml(options.typedCommand)} tidak tersedia. ` : '') +
      `Untuk ${TOPIC_LABELS[pointer.topic]}, silakan gunakan:\n\n` +
      pointer.commands.map(commandLine).join('\n') +
      (note ? `\n\n${note}` : '') +
      (contact ? `\nPengelola kepegawaian ${escapeHtml(contact.perangkatDaerah)}: ${fullStop(contact.names.map(escapeHtml).join(', '))}` : '')
    );
  },
  freeTextCommand: (meant: CommandHelp) => `Perintah diawali garis miring. Mungkin maksud Bapak/Ibu:\n\n${commandLine(meant)}`,
  /** A question that names a command ("bagaimana cara mengubah SKP?"). */
  freeTextAskedCommand: (meant: CommandHelp) => `Silakan gunakan perintah berikut (ketik lengkap dengan garis miring):\n\n${commandLine(meant)}`,
  /** A short message that names a command without being a question ("saya lupa kirim realisasi november"). */
  freeTextNamedCommand: (meant: CommandHelp) =>
    `Saat ini tidak ada isian yang sedang berjalan. Bila yang Bapak/Ibu maksud adalah perintah berikut, ketik lengkap dengan garis miring:\n\n${commandLine(meant)}`,
  /** A greeting, thanks or "ok" typed to the bot; with requests waiting for a tap, a pointer to them instead. */
  freeTextReply: (meant: 'greeting' | 'thanks' | 'acknowledgement' | 'other', nama: string, waiting: number) => {
    const tasks = waiting > 0 ? texts.freeTextWithTasks(waiting) : null;
    if (meant === 'greeting') {
      return tasks
        ? `Halo, Bapak/Ibu ${fullStop(escapeHtml(nama))}\n\n${tasks}`
        : `Halo, Bapak/Ibu ${fullStop(escapeHtml(nama))} Saat ini tidak ada tugas yang menunggu Bapak/Ibu. Ketik /status untuk melihat posisi pengajuan, /jadwal untuk batas waktu, atau /bantuan untuk daftar perintah.`;
    }
    if (meant === 'thanks') return tasks ? `Sama-sama, Bapak/Ibu.\n\n${tasks}` : 'Sama-sama, Bapak/Ibu. 🙏';
    if (meant === 'acknowledgement') return tasks ? `Baik, Bapak/Ibu.\n\n${tasks}` : 'Baik, Bapak/Ibu. Ketik /bantuan bila memerlukan sesuatu.';
    return tasks ?? texts.freeTextHint;
  },
  nothingToCancel: 'Tidak ada isian yang sedang berjalan.',
  cancelled: 'Baik, dibatalkan. Tidak ada data yang diubah.',
  stepInputStopped:
    'Baik, isian dihentikan; langkahnya belum dikirim. Berkas yang sudah terkirim tetap tersimpan: lanjutkan kapan saja lewat tombol pada pesan tugas, /tugas, atau /usulkan.',
  skpPaused: (command: string) =>
    `Baik, pengisian SKP dihentikan sementara. Yang sudah Bapak/Ibu isi tetap tersimpan: ketik ${command} untuk melanjutkan dari pertanyaan terakhir.`,
  /** `command` is HTML (a period in <code>). */
  draftKept: (command: string) => `Baik, pengisian dibatalkan. Yang sudah Bapak/Ibu isi tetap tersimpan: ketik ${command} untuk melanjutkan.`,
  unexpectedFile:
    'Berkas ini belum dapat diproses karena saat ini tidak ada isian yang membutuhkan berkas.\n\n' +
    '• SKP dari e-Kinerja: ketik /skp lalu pilih <b>📄 Unggah PDF e-Kinerja</b>.\n' +
    '• Bukti dukung realisasi: ketik /realisasi, lalu kirim berkasnya saat diminta.\n\n' +
    'Ketik /bantuan untuk perintah lainnya.',
  unsupportedMessage: 'Mohon maaf, jenis pesan ini tidak dapat diproses. Silakan kirim teks atau gunakan tombol yang tersedia.',
  imporHelp:
    'Untuk mengimpor daftar pegawai, kirim berkas <b>CSV</b> (pemisah koma atau titik koma, UTF-8) dengan kolom:\n' +
    '<code>nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran</code>\n' +
    'Kolom pilihan: <code>pangkat</code> (pangkat/golongan, mis. Penata Muda Tk. I, III/b). ' +
    'Bila kolom ini tidak ada, pangkat yang sudah tersimpan tidak diubah.\n\n' +
    'Bot akan menampilkan ringkasan perubahan terlebih dahulu; data baru diubah setelah Bapak/Ibu menekan <b>Terapkan</b>.',
  rosterNotCsv: 'Berkas daftar pegawai harus berupa CSV (.csv). Simpan ulang dari spreadsheet sebagai "CSV UTF-8".',
  rosterTooBig: 'Berkas terlalu besar (maksimal 20 MB untuk diunduh bot). Pecah atau gunakan impor lewat server (npm run roster:import).',
  rosterRejected: (count: number, report: string) =>
    `Impor ditolak: ditemukan ${count} masalah. Tidak ada data yang diubah.\n\n${escapeHtml(report)}\n\nPerbaiki berkasnya lalu kirim ulang.`,
  rosterPreview: (summaryText: string) =>
    `${escapeHtml(summaryText)}\n\nIni baru pratinjau: belum ada data yang diubah. Terapkan perubahan ini?`,
  rosterApplied: (summaryText: string) => `✅ Impor selesai.\n\n${escapeHtml(summaryText)}`,
  rosterCancelled: 'Impor dibatalkan. Tidak ada data yang diubah.',
  rosterAlreadyDecided: 'Impor ini sudah diproses sebelumnya.',
  rosterFailed: 'Impor gagal diterapkan; tidak ada data yang diubah. Silakan coba lagi.',
  buttonInvalid: 'Tombol ini tidak dikenali atau sudah tidak berlaku.',
  evidenceUnavailable: (fileName: string | null) =>
    `Berkas${fileName ? ` <b>${escapeHtml(fileName)}</b>` : ''} tidak dapat dibuka lagi dari Telegram. Salinannya tersimpan di arsip; ` +
    'mohon minta pegawai mengirim ulang berkas tersebut bila diperlukan.',
  buttonNotForYou: 'Tombol ini bukan untuk Bapak/Ibu.',
};

export const roleLabels: Record<RoleName, string> = {
  asn: 'ASN',
  atasan: 'Atasan / pejabat penilai',
  pengelola: 'Pengelola kepegawaian',
  bkpp_admin: 'Admin BKPP',
};

/** The commands of `roles`; a linked account is not shown /daftar, which only links one. */
export function helpText(roles: RoleName[], options: { linked: boolean } = { linked: true }): string {
  const commands = commandsFor(roles).filter((c) => !(options.linked && c.command === 'daftar'));
  const lines = commands.map(commandLine);
  const roleLine = roles.map((r) => roleLabels[r]).join(', ');
  return `<b>Perintah yang tersedia</b> (peran: ${roleLine})\n\n${lines.join('\n')}`;
}

export function menuText(nama: string, roles: RoleName[]): string {
  return `${texts.linked(nama)}\n\n${helpText(roles)}`;
}

export function profileText(p: {
  nama: string;
  nip: string;
  pangkat: string | null;
  jabatan: string;
  unit: string;
  atasan: string | null;
  roles: RoleName[];
}): string {
  return [
    `<b>${escapeHtml(p.nama)}</b>`,
    `NIP: ${formatNip(p.nip)}`,
    `Pangkat/gol.: ${p.pangkat ? escapeHtml(p.pangkat) : '-'}`,
    `Jabatan: ${escapeHtml(p.jabatan)}`,
    `Unit: ${escapeHtml(p.unit)}`,
    `Pejabat penilai: ${p.atasan ? escapeHtml(p.atasan) : '-'}`,
    `Peran: ${p.roles.map((r) => roleLabels[r]).join(', ')}`,
  ].join('\n');
}

export const keyboards = {
  shareContact: () => Markup.keyboard([Markup.button.contactRequest(texts.shareContactButton)]).oneTime().resize(),
  remove: () => Markup.removeKeyboard(),
  rosterConfirm: (uploadId: string) =>
    Markup.inlineKeyboard([
      [Markup.button.callback('✅ Terapkan', rosterUploadButtons.encode({ op: 'apply', uploadId })), Markup.button.callback('✖️ Batal', rosterUploadButtons.encode({ op: 'cancel', uploadId }))],
    ]),
};

export function rosterSummaryText(s: RosterImportSummary, fileName: string): string {
  const head = s.dryRun ? `Pratinjau impor ${fileName}` : `Impor ${fileName}`;
  const lines = [
    `${head}: ${s.total} baris`,
    `• pegawai baru: ${s.created}`,
    `• diperbarui: ${s.updated}`,
    `• tidak berubah: ${s.unchanged}`,
    `• diaktifkan kembali: ${s.reactivated}`,
    `• dinonaktifkan (tidak ada di berkas): ${s.deactivated}`,
    `• unit baru: ${s.unitsCreated}`,
    `• peran ditambah/dicabut: ${s.rolesAdded}/${s.rolesRemoved}`,
  ];
  const kindLabel = { created: 'baru', updated: 'ubah', deactivated: 'nonaktif', reactivated: 'aktif lagi' } as const;
  const listed = s.changes.filter((c) => c.kind !== 'created').slice(0, 20);
  if (listed.length > 0) {
    lines.push('', 'Rincian:');
    for (const c of listed) {
      lines.push(`- ${kindLabel[c.kind]}: ${c.nama} (${formatNip(c.nip)})${c.fields ? ` — ${c.fields.join(', ')}` : ''}`);
    }
  }
  return lines.join('\n');
}
