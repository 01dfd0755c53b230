// E2E: what people type on a phone reaches the right feature: commands in any case, "batal" without its slash,
// typos, command words without the slash, greetings and thanks, and periods spelled out ("Mei 2026").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { caseDrafts, cases, conversations } from '../../src/db/schema/index.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { importExampleRoster, linkPeople, replyTo, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
// Wednesday 10 June 2026, 09:00 WIB.
const NOW = new Date('2026-06-10T02:00:00Z');
const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 8601 }, // fungsional, ASN only
  fajar: { nip: '199103252015031001', tg: 8602 }, // BKPP admin
  melati: { nip: '199011052019022001', tg: 8603 }, // fungsional; atasan Yuliana
  siti: { nip: '198303272008012005', tg: 8604 }, // pengelola of Dinas Kesehatan
  yuliana: { nip: '198601152010012007', tg: 8605 }, // pengawas, atasan of Anisa and Melati
} as const;
const ids: Record<string, string> = {};

const reply = (user: number, text: string): Promise<BotMessage> => replyTo(t, user, text);

/** /skp, then ✍️ Isi RHK: waits for the first RHK's question. */
async function startRhkEntry(user: number): Promise<void> {
  const intro = await reply(user, '/skp');
  const button = (intro.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard
    .flat()
    .find((b) => /Isi RHK/.test(b.text))!;
  t.fake.tapButton(user, { chatId: user, messageId: intro.message_id }, button.callback_data);
  await t.fake.waitForMessage(user, (m) => /RHK ke-1/.test(m.text ?? ''));
}

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, PEOPLE));
});
afterAll(async () => {
  await t?.stop();
});

describe('commands as people type them', () => {
  it('takes /SKP, /Status and /Bantuan as /skp, /status and /bantuan', async () => {
    expect((await reply(PEOPLE.anisa.tg, '/SKP')).text).toMatch(/SKP Tahun 2026/);
    expect((await reply(PEOPLE.anisa.tg, '/Status')).text).toMatch(/Posisi pengajuan Bapak\/Ibu/);
    const help = await reply(PEOPLE.anisa.tg, '/Bantuan');
    expect(help.text).toMatch(/Perintah yang tersedia/);
    // A linked account is not offered /daftar (it only links one); someone not linked is.
    expect(help.text).not.toMatch(/\/daftar/);
    // Its examples name no year, so they read right in every year.
    expect((await reply(PEOPLE.fajar.tg, '/bantuan')).text).not.toMatch(/20\d\d/);
    const stranger = t.fake.addUser({ id: 8698, first_name: 'Tamu' });
    t.fake.markStarted(stranger.id);
    expect((await reply(stranger.id, '/bantuan')).text).toMatch(/\/daftar — Tautkan akun dengan kode/);
  });

  it('keeps the case of what follows the command: a link code stays as typed', async () => {
    const user = t.fake.addUser({ id: 8699, first_name: 'Baru' });
    t.fake.markStarted(user.id);
    expect((await reply(user.id, '/Daftar AbC123xyz')).text).toMatch(/Kode tautan tidak dikenali/);
  });

  it('a bare "Batal" mid-question stops the question as /batal does, and is not taken as the answer', async () => {
    const user = PEOPLE.anisa.tg;
    await startRhkEntry(user);
    expect((await reply(user, 'Batal')).text).toMatch(/pengisian SKP dihentikan sementara/);
    const drafts = await t.db.db.select().from(caseDrafts);
    expect(JSON.stringify(drafts)).not.toMatch(/Batal/);
    // The paused question is kept for /skp: a second "batal" lets it go too, the draft staying.
    expect((await reply(user, 'batal')).text).toMatch(/pengisian dibatalkan\. Yang sudah Bapak\/Ibu isi tetap tersimpan/);
    expect((await reply(user, '/cancel')).text).toBe('Tidak ada isian yang sedang berjalan.');
    const [conversation] = await t.db.db.select().from(conversations).where(eq(conversations.telegramUserId, user));
    expect(conversation?.kind).not.toBe('skp');
  });

  it('an announcement’s audience typed instead of tapped is the same choice; what names none gets the hint', async () => {
    expect((await reply(PEOPLE.fajar.tg, '/umumkan')).text).toMatch(/Buat pengumuman/);
    t.fake.sendText(PEOPLE.fajar.tg, 'Mohon segera lengkapi SKP.');
    await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /Sekarang pilih penerima/.test(m.text ?? ''));
    expect((await reply(PEOPLE.fajar.tg, 'Dinas Kesehatan')).text).toMatch(/Pratinjau[\s\S]*Penerima: Perangkat daerah: Dinas Kesehatan/);
    // Changed before Kirim, in words too.
    expect((await reply(PEOPLE.fajar.tg, 'para atasan')).text).toMatch(/Penerima: Para atasan/);
    expect((await reply(PEOPLE.fajar.tg, 'dinas')).text).toBe('Silakan pilih dengan tombol pada pesan sebelumnya, atau ketik /batal untuk membatalkan.');
    expect((await reply(PEOPLE.fajar.tg, '/batal')).text).toMatch(/dibatalkan/i);
  });

  it('after May’s deadline (Friday 5 June) BKPP chases the late: a template that names the month’s command, and its audience', async () => {
    const intro = await reply(PEOPLE.fajar.tg, '/umumkan');
    const buttons = (intro.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
    expect(buttons.map((b) => b.text).slice(0, 2)).toEqual(['⏰ Realisasi Mei 2026 belum masuk', '📅 Isi realisasi bulan Juni 2026']);
    t.fake.tapButton(PEOPLE.fajar.tg, { chatId: PEOPLE.fajar.tg, messageId: intro.message_id }, buttons[0]!.callback_data);
    const shown = await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => m.message_id > intro.message_id && /Realisasi Kinerja Bulan Mei 2026/.test(m.text ?? ''));
    expect(shown.text).toMatch(/batas waktu realisasi kinerja bulan Mei 2026 \(Jumat, 5 Juni 2026\) sudah lewat\. [^\n]+ \/realisasi mei\. Realisasi yang dikirim sekarang tetap diterima dan dicatat terlambat\./);
    const menu = await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /Sekarang pilih penerima/.test(m.text ?? ''));
    const offered = (menu.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> }).inline_keyboard.flat().map((b) => b.text);
    expect(offered).toContain('⏰ Terlambat: realisasi Mei 2026 belum masuk');
    // The people it names are those without May's realisation sent: typed, as tapped.
    expect((await reply(PEOPLE.fajar.tg, 'yang terlambat')).text).toMatch(/Penerima: Belum mengajukan realisasi bulan Mei 2026\n/);
    expect((await reply(PEOPLE.fajar.tg, '/batal')).text).toMatch(/dibatalkan/i);
  });

  it('"batal" after a command is /batal too ("/umumkan batal"), except where it is the command’s own (/wakil batal)', async () => {
    expect((await reply(PEOPLE.fajar.tg, '/umumkan')).text).toMatch(/Buat pengumuman/);
    const stopped = await reply(PEOPLE.fajar.tg, '/umumkan batal');
    expect(stopped.text).not.toMatch(/Buat pengumuman/);
    expect(stopped.text).toMatch(/dibatalkan/i);
    expect((await reply(PEOPLE.fajar.tg, '/Umumkan Batal')).text).toBe('Tidak ada isian yang sedang berjalan.');
    expect((await reply(PEOPLE.yuliana.tg, '/wakil batal')).text).not.toBe('Tidak ada isian yang sedang berjalan.');
  });

  it('takes a button’s label typed instead of tapped as the same answer, and asks again for anything else', async () => {
    const user = PEOPLE.melati.tg;
    await startRhkEntry(user);
    expect((await reply(user, 'Tersusunnya laporan kegiatan bulanan')).text).toMatch(/Apa jenis RHK ini/);
    expect((await reply(user, 'penting')).text).toMatch(/Mohon pilih salah satu tombol[\s\S]*Apa jenis RHK ini/);
    expect((await reply(user, 'Utama')).text).toMatch(/Indikator ke-1/);
    expect((await reply(user, 'kuantitas.')).text).toMatch(/Aspek: Kuantitas/);
    expect((await reply(user, '12 laporan')).text).toMatch(/Tambah indikator lain/);
    const [skpCase] = await t.db.db.select().from(cases).where(and(eq(cases.subjectId, ids.melati!), eq(cases.period, '2026')));
    const [draft] = await t.db.db.select().from(caseDrafts).where(eq(caseDrafts.caseId, skpCase!.id));
    const rhk = (draft!.data as { rhk: Array<{ text: string; jenis?: string; indikator: unknown[] }> }).rhk;
    expect(rhk).toEqual([
      expect.objectContaining({ text: 'Tersusunnya laporan kegiatan bulanan', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '12 laporan' }] }),
    ]);
  });

  it('answers a typo with the command it most likely meant, among the user’s own', async () => {
    const typo = await reply(PEOPLE.anisa.tg, '/realsasi');
    expect(typo.text).toMatch(/tidak dikenal\. Mungkin maksud Bapak\/Ibu:\s+\/realisasi — Laporkan realisasi/);
    // /rekap is not an ASN's command: no suggestion of it.
    expect((await reply(PEOPLE.anisa.tg, '/rekapp')).text).toBe(
      'Mohon maaf, perintah tersebut tidak dikenal. Ketik /bantuan untuk melihat perintah yang tersedia.',
    );
    expect((await reply(PEOPLE.fajar.tg, '/rekapp')).text).toMatch(/Mungkin maksud Bapak\/Ibu:\s+\/rekap — /);
  });
});

describe('a name typed where a NIP is asked', () => {
  it('lists the matching employees the user may act on, with the command to type', async () => {
    const kode = await reply(PEOPLE.siti.tg, '/kode anisa');
    expect(kode.text).toMatch(/^Perintah ini memakai NIP \(18 digit\), bukan nama\. Pegawai yang cocok dengan "anisa":/);
    expect(kode.text).toContain('• Anisa Fitriani, S.Kep, Ns, NIP 19920714 201703 2 002');
    expect(kode.text).toMatch(/[Kk]etik, misalnya: \/kode 199207142017032002$/);
    // Outside the pengelola's perangkat daerah: nobody, and no code issued.
    expect((await reply(PEOPLE.siti.tg, '/kode Fajar')).text).toMatch(/Tidak ada pegawai bernama "Fajar" yang dapat Bapak\/Ibu pilih/);
    expect((await reply(PEOPLE.fajar.tg, '/lepas Anisa Fitriani')).text).toContain('NIP 19920714 201703 2 002');
    const wakil = await reply(PEOPLE.yuliana.tg, '/wakil Melati 15-06-2026 20-06-2026 cuti tahunan');
    expect(wakil.text).toMatch(/[Kk]etik, misalnya: \/wakil 199011052019022001 15-06-2026 20-06-2026 cuti tahunan$/);
    // Dates in words: Wednesday 10 June, "besok sampai jumat" is 11 to 12 June.
    const words = await reply(PEOPLE.yuliana.tg, '/wakil Melati besok sampai jumat');
    expect(words.text).toMatch(/[Kk]etik, misalnya: \/wakil 199011052019022001 11-06-2026 sampai 12-06-2026$/);
    // A Plh is often a colleague of the same perangkat daerah whom the atasan does not monitor (Eko heads another
    // seksi of Dinas Kesehatan); nobody of another perangkat daerah is found (Fajar works at BKPP).
    const peer = await reply(PEOPLE.yuliana.tg, '/wakil eko 15 Juni 2026 s.d. 20 Juni 2026');
    expect(peer.text).toContain('• Eko Prasetyo, S.KM, NIP 19841020 200901 1 003');
    expect(peer.text).toMatch(/[Kk]etik, misalnya: \/wakil 198410202009011003 15 Juni 2026 s\.d\. 20 Juni 2026$/);
    expect((await reply(PEOPLE.yuliana.tg, '/wakil Fajar 15-06-2026 20-06-2026')).text).toMatch(/Tidak ada pegawai bernama "Fajar" yang dapat Bapak\/Ibu pilih/);
    // A mistyped NIP still gets the NIP's own explanation.
    expect((await reply(PEOPLE.siti.tg, '/kode 19920714')).text).toMatch(/NIP tidak valid/);
  });

  it('offers a button for each match, which runs the command as if the NIP were typed', async () => {
    const buttonsOf = (m: BotMessage) => (m.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } | undefined)?.inline_keyboard.flat() ?? [];
    const wakil = await reply(PEOPLE.yuliana.tg, '/wakil Melati 15-06-2026 20-06-2026 cuti tahunan');
    expect(wakil.text).toMatch(/Tekan tombol di bawah untuk melanjutkan, atau ketik, misalnya: \/wakil 199011052019022001 15-06-2026 20-06-2026 cuti tahunan$/);
    expect(buttonsOf(wakil).map((b) => b.text)).toEqual(['Melati Kusuma, A.Md.Keb']);
    t.fake.tapButton(PEOPLE.yuliana.tg, { chatId: PEOPLE.yuliana.tg, messageId: wakil.message_id }, buttonsOf(wakil)[0]!.callback_data);
    const created = await t.fake.waitForMessage(PEOPLE.yuliana.tg, () => true);
    // The same answer as the typed NIP gives, and the Plh is told.
    expect(created.text).toMatch(/Melati Kusuma/);
    expect(created.text).toMatch(/15 Juni 2026/);
    expect((await t.fake.waitForMessage(PEOPLE.melati.tg, () => true)).text).toMatch(/Yuliana/);
    expect((await reply(PEOPLE.yuliana.tg, '/wakil batal')).text).toMatch(/Melati/);
    // Several matches: one button each. Eko and Fajar are not Siti's to pick, so a forged button for Fajar is refused as
    // the typed NIP would be, and nothing is issued.
    const several = await reply(PEOPLE.fajar.tg, '/lepas an');
    expect(several.text).toMatch(/Pilih pegawainya dengan tombol di bawah, atau ketik/);
    expect(buttonsOf(several).length).toBeGreaterThan(1);
    const own = await reply(PEOPLE.siti.tg, '/kode anisa');
    const forged = buttonsOf(own)[0]!.callback_data.replace(PEOPLE.anisa.nip, PEOPLE.fajar.nip);
    const tap = t.fake.tapButton(PEOPLE.siti.tg, { chatId: PEOPLE.siti.tg, messageId: own.message_id }, forged);
    const refusal = await t.fake.waitForMessage(PEOPLE.siti.tg, () => true);
    expect(refusal.text).toBe((await reply(PEOPLE.siti.tg, `/kode ${PEOPLE.fajar.nip}`)).text);
    expect((await t.fake.waitForCallbackAnswer(tap.callback_query!.id)).text ?? '').toBe('');
  });
});

describe('words without a command', () => {
  it('points a command word typed without its slash to the command', async () => {
    const m = await reply(PEOPLE.anisa.tg, 'realisasi');
    expect(m.text).toMatch(/^Perintah diawali garis miring\. Mungkin maksud Bapak\/Ibu:\s+\/realisasi — /);
  });

  it('greets back by name, and thanks and "ok" get a short answer', async () => {
    expect((await reply(PEOPLE.anisa.tg, 'Selamat pagi')).text).toMatch(/^Halo, Bapak\/Ibu Anisa Fitriani, S\.Kep, Ns\. Saat ini tidak ada tugas yang menunggu Bapak\/Ibu\. Ketik \/status untuk melihat posisi pengajuan, \/jadwal/);
    expect((await reply(PEOPLE.anisa.tg, 'Terima kasih 🙏')).text).toBe('Sama-sama, Bapak/Ibu. 🙏');
    expect((await reply(PEOPLE.anisa.tg, 'ok')).text).toMatch(/^Baik, Bapak\/Ibu\./);
    expect((await reply(PEOPLE.anisa.tg, 'mohon arahannya, terlampir dengan hormat')).text).toMatch(/tidak ada isian yang sedang berjalan/);
  });

  it('answers a subject named in the user’s words, as a command or in a sentence, with the commands of theirs', async () => {
    // The year's close in the words people use: "/predikat", "/tpp", "/angkakredit" are no commands of the bot.
    const predikat = await reply(PEOPLE.anisa.tg, '/predikat');
    expect(predikat.text).toMatch(/^Perintah \/predikat tidak tersedia\. Untuk hasil penilaian dan predikat kinerja, silakan gunakan:/);
    expect(predikat.text).toMatch(/\/status — Posisi SKP dan realisasi Bapak\/Ibu, dengan predikatnya\n\/cetak — [^\n]+\n\/keberatan — /);
    const tpp = await reply(PEOPLE.anisa.tg, 'Selamat pagi, mau tanya soal TPP');
    expect(tpp.text).toMatch(/^Untuk TPP \(tambahan penghasilan pegawai\), silakan gunakan:\n\n\/status — /);
    expect(tpp.text).toMatch(/dihitung oleh tim keuangan daerah/);
    // The atasan's "penilaian" is first the ratings waiting for them; a BKPP admin's TPP is the export's sheet.
    expect((await reply(PEOPLE.yuliana.tg, '/Penilaian')).text).toMatch(/silakan gunakan:\n\n\/tugas — [^\n]+\n\/rekap — /);
    const adminTpp = await reply(PEOPLE.fajar.tg, '/tpp');
    expect(adminTpp.text).toMatch(/\/ekspor — /);
    expect(adminTpp.text).toMatch(/Sheet TPP pada berkas \/ekspor/);
    expect((await reply(PEOPLE.anisa.tg, 'bagaimana cara mengisi bukti dukung kegiatan')).text).toMatch(/^Untuk bukti dukung, silakan gunakan:\n\n\/realisasi — /);
    // A question of a sentence that names a command; an atasan asking how to return one is told of Kembalikan.
    expect((await reply(PEOPLE.anisa.tg, 'bagaimana cara mengubah SKP yang sudah disetujui?')).text).toMatch(/^Silakan gunakan perintah berikut \(ketik lengkap dengan garis miring\):\n\n\/skp — /);
    expect((await reply(PEOPLE.yuliana.tg, 'cara mengembalikan realisasi')).text).toMatch(
      /^Untuk mengembalikan pengajuan agar diperbaiki, silakan gunakan:\n\n\/tugas — [^\n]+\n\nTekan ↩️ Kembalikan pada pesan permintaannya/,
    );
    // Their own data, and a deadline: /profil with whom to ask, /status and /realisasi; "/batas" is no typo of /batal.
    const own = await reply(PEOPLE.anisa.tg, 'atasan saya salah');
    expect(own.text).toMatch(/\/profil — [\s\S]*hubungi pengelola kepegawaian/);
    // Whom to ask, by name: the pengelola of her perangkat daerah.
    expect(own.text).toMatch(/\nPengelola kepegawaian Dinas Kesehatan: Siti Nurhaliza, S\.E\.$/);
    // A deadline is answered with the dates themselves, as /realisasi and the reminders hold them.
    const deadlines = await reply(PEOPLE.anisa.tg, '/batas');
    expect(deadlines.text).toMatch(/^🗓️ Batas waktu yang berlaku bagi Bapak\/Ibu\n\n• Realisasi [A-Z][a-z]+ 2026: paling lambat [A-Z][a-z]+, \d+ [A-Z][a-z]+ 2026 \(\/realisasi\)\n/);
    // Anisa has no SKP of 2026: its deadline is said to have passed without it.
    expect(deadlines.text).toMatch(/\n• SKP tahun 2026: ⚠️ belum dikirim; batas penyusunan Senin, 2 Februari 2026 sudah lewat\. Segera susun lewat \/skp\n/);
    expect(deadlines.text).not.toMatch(/\/tugas/);
    // The command /bantuan lists, with or without its slash, answers the same.
    expect((await reply(PEOPLE.anisa.tg, '/bantuan')).text).toMatch(/\n\/jadwal — Batas waktu SKP, realisasi, dan penilaian kinerja tahunan\n/);
    expect((await reply(PEOPLE.anisa.tg, '/jadwal')).text).toBe(deadlines.text);
    expect((await reply(PEOPLE.anisa.tg, 'Jadwal')).text).toBe(deadlines.text);
    expect((await reply(PEOPLE.anisa.tg, 'kapan penilaian tahunan?')).text).toBe(deadlines.text);
    // Said, not asked: the command it names, with how to type it.
    expect((await reply(PEOPLE.anisa.tg, 'saya lupa kirim realisasi mei')).text).toMatch(
      /^Saat ini tidak ada isian yang sedang berjalan\. Bila yang Bapak\/Ibu maksud adalah perintah berikut, ketik lengkap dengan garis miring:\n\n\/realisasi — /,
    );
    const asked = await reply(PEOPLE.yuliana.tg, 'kapan batas waktu penilaian realisasi 2026?');
    expect(asked.text).toMatch(/^🗓️ Batas waktu/);
    expect(asked.text).toMatch(/Permintaan yang menunggu keputusan Bapak\/Ibu, dengan batas waktunya: \/tugas\.$/);
    // Nothing of an ASN's answers "cuti": the usual answer, no command of another role.
    expect((await reply(PEOPLE.anisa.tg, '/cuti')).text).toMatch(/^Mohon maaf, perintah tersebut tidak dikenal\./);
  });
});

describe('periods spelled out', () => {
  it('/realisasi Mei 2026 reads the month (the SKP is a draft, so it says that), and a future month is refused as such', async () => {
    expect((await reply(PEOPLE.anisa.tg, '/realisasi Mei 2026')).text).toMatch(/SKP tahun 2026 Bapak\/Ibu belum ditetapkan/);
    expect((await reply(PEOPLE.anisa.tg, '/realisasi Agustus 2026')).text).toMatch(/belum dapat diisi karena periodenya belum tiba/);
    expect((await reply(PEOPLE.anisa.tg, '/realisasi Mai 2026')).text).toMatch(/Format periode tidak dikenali[\s\S]*Mei 2026/);
    // Without a year: the latest such month that has begun (June 2026 now: "mei" is May 2026, "juli" July 2025).
    expect((await reply(PEOPLE.anisa.tg, '/realisasi mei')).text).toMatch(/SKP tahun 2026 Bapak\/Ibu belum ditetapkan/);
    expect((await reply(PEOPLE.anisa.tg, '/realisasi Juli')).text).toMatch(/SKP tahun 2025 Bapak\/Ibu tidak tercatat/);
  });

  it('the examples of /bantuan work: /capaian tahun lalu, /rekap tahun ini, /ekspor maret', async () => {
    expect((await reply(PEOPLE.fajar.tg, '/capaian tahun lalu')).text).toMatch(/^🏛️ Capaian kinerja organisasi — Tahun 2025/);
    t.fake.sendText(PEOPLE.fajar.tg, '/rekap tahun ini');
    await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /^📊 Rekap kinerja — Tahun 2026/.test(m.text ?? ''), 15_000);
    t.fake.sendText(PEOPLE.fajar.tg, '/ekspor maret');
    await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /^📎 Rekap kinerja Maret 2026/.test(m.caption ?? ''), 30_000);
  });

  it('/wakil’s example names dates still ahead, so it can be sent as it is', async () => {
    const usage = await reply(PEOPLE.siti.tg, '/wakil');
    const example = /Contoh: (\/wakil \d{18} \d\d-\d\d-\d{4} \d\d-\d\d-\d{4} cuti tahunan)/.exec(usage.text ?? '')?.[1];
    // Wednesday 10 June 2026: the next working day and the fifth (16 June, 1 Muharram, is a holiday).
    expect(example).toBe('/wakil 198410202009011003 11-06-2026 18-06-2026 cuti tahunan');
    // The date in words is the example's first day too, not a fixed one that passes.
    expect(usage.text).toMatch(/misalnya \/wakil Budi besok sampai jumat atau 11 Juni 2026\.\n/);
    expect((await reply(PEOPLE.siti.tg, example!)).text).toMatch(/Eko Prasetyo/);
    expect((await reply(PEOPLE.siti.tg, '/wakil batal')).text).toMatch(/dibatalkan/i);
  });

  it('/wakil takes its dates with the month in words and "s.d." between them', async () => {
    const m = await reply(PEOPLE.yuliana.tg, '/wakil 199011052019022001 15 Juni 2026 s.d. 20 Juni 2026 cuti');
    expect(m.text).toMatch(/ditunjuk sebagai Plh Bapak\/Ibu pada Senin, 15 Juni 2026 s\.d\. Sabtu, 20 Juni 2026/);
  });

  it('/capaian juni is June of this year (June 2026 now)', async () => {
    expect((await reply(PEOPLE.fajar.tg, '/capaian juni')).text).toMatch(/Capaian kinerja organisasi — Juni 2026/);
  });

  it('/rekap Mei 2026 gives the recap of May', async () => {
    t.fake.sendText(PEOPLE.fajar.tg, '/rekap Mei 2026');
    const summary = await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /Rekap kinerja/.test(m.text ?? ''), 15_000);
    expect(summary.text).toMatch(/Rekap kinerja — Mei 2026/);
  });

  it('/rekap bulan ini is June 2026, and a month name alone is the latest one', async () => {
    t.fake.sendText(PEOPLE.fajar.tg, '/rekap bulan ini');
    expect((await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /Rekap kinerja — Juni 2026/.test(m.text ?? ''), 15_000)).text).toBeTruthy();
    t.fake.sendText(PEOPLE.fajar.tg, '/rekap desember');
    expect((await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /Rekap kinerja — Desember 2025/.test(m.text ?? ''), 15_000)).text).toBeTruthy();
  });
});
