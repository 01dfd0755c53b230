// Unit tests for reading what a message no feature took most likely means (src/bot/free-text.ts).
import { describe, expect, it } from 'vitest';
import { classifyFreeText, suggestCommand, topicOf, wordsOf } from '../../src/bot/free-text.js';

const asn = ['asn'] as const;
const admin = ['asn', 'bkpp_admin'] as const;
const atasan = ['asn', 'atasan'] as const;
const commandsOf = (p: ReturnType<typeof topicOf>) => p?.commands.map((c) => c.command);

describe('classifyFreeText', () => {
  it('takes a short text starting with a command name for that command', () => {
    expect(classifyFreeText('skp', [...asn])).toMatchObject({ kind: 'command', command: { command: 'skp' } });
    expect(classifyFreeText('Realisasi 2026-05', [...asn])).toMatchObject({ kind: 'command', command: { command: 'realisasi' } });
    expect(classifyFreeText('Status?', [...asn])).toMatchObject({ kind: 'command', command: { command: 'status' } });
  });

  it('offers only the commands of the user’s own roles, and leaves sentences alone', () => {
    expect(classifyFreeText('rekap', [...asn]).kind).toBe('other');
    expect(classifyFreeText('rekap', [...admin])).toMatchObject({ kind: 'command', command: { command: 'rekap' } });
    expect(classifyFreeText('skp saya sudah dikirim kemarin tapi belum ada kabar', [...asn]).kind).toBe('other');
  });

  it('knows greetings, thanks and acknowledgements', () => {
    expect(classifyFreeText('Halo', [...asn]).kind).toBe('greeting');
    expect(classifyFreeText('Selamat pagi pak', [...asn]).kind).toBe('greeting');
    expect(classifyFreeText('Assalamualaikum', [...asn]).kind).toBe('greeting');
    expect(classifyFreeText('P', [...asn]).kind).toBe('greeting');
    expect(classifyFreeText('tes', [...asn]).kind).toBe('greeting');
    expect(classifyFreeText('Terima kasih 🙏', [...asn]).kind).toBe('thanks');
    expect(classifyFreeText('makasih banyak', [...asn]).kind).toBe('thanks');
    expect(classifyFreeText('ok', [...asn]).kind).toBe('acknowledgement');
    expect(classifyFreeText('Baik pak', [...asn]).kind).toBe('acknowledgement');
    expect(classifyFreeText('pagi ini saya cuti, siapa yang menilai SKP saya?', [...asn]).kind).not.toBe('greeting');
  });
});

describe('suggestCommand', () => {
  it('finds the command a typo meant', () => {
    expect(suggestCommand('/realsasi', [...asn])?.command).toBe('realisasi');
    expect(suggestCommand('/stauts', [...asn])?.command).toBe('status');
    expect(suggestCommand('/bantu', [...asn])?.command).toBe('bantuan');
    expect(suggestCommand('/skpp', [...asn])?.command).toBe('skp');
    expect(suggestCommand('/tugass@kinerja_bot', [...asn])?.command).toBe('tugas');
  });

  it('suggests nothing far off, nor a command of another role', () => {
    expect(suggestCommand('/hapus_semua_data', [...asn])).toBeNull();
    expect(suggestCommand('/settings', [...asn])).toBeNull();
    expect(suggestCommand('/rekapp', [...asn])).toBeNull();
    expect(suggestCommand('/rekapp', [...admin])?.command).toBe('rekap');
  });
});

describe('a subject named in the user’s own words', () => {
  it('points to the user’s commands that answer it, the work of their higher role first', () => {
    expect(commandsOf(topicOf(['predikat'], [...asn]))).toEqual(['status', 'cetak', 'keberatan']);
    expect(commandsOf(topicOf(['penilaian'], [...atasan]))).toEqual(['tugas', 'rekap', 'status', 'cetak', 'keberatan']);
    expect(topicOf(['tpp'], [...asn])).toMatchObject({ topic: 'tpp', audience: 'asn' });
    expect(topicOf(['tpp'], [...admin])).toMatchObject({ topic: 'tpp', audience: 'monitor' });
    expect(commandsOf(topicOf(['tpp'], [...admin]))).toEqual(['ekspor', 'status']);
    expect(commandsOf(topicOf(wordsOf('/Angka@kinerja_bot'), [...asn]))).toBeUndefined();
    expect(commandsOf(topicOf(wordsOf('Angka kredit saya?'), [...asn]))).toEqual(['status', 'cetak']);
    // Who one's atasan is, a wrong phone number, a deadline, whom to ask.
    expect(commandsOf(topicOf(wordsOf('siapa atasan saya?'), [...asn]))).toEqual(['profil']);
    expect(topicOf(wordsOf('ganti nomor hp'), [...asn])).toMatchObject({ topic: 'dataPegawai' });
    expect(commandsOf(topicOf(wordsOf('/deadline'), [...asn]))).toEqual(['status', 'realisasi']);
    expect(topicOf(wordsOf('jatuh tempo'), [...asn])).toMatchObject({ topic: 'jadwal' });
    expect(topicOf(wordsOf('/kontak'), [...asn])).toMatchObject({ topic: 'kontak' });
    // "Pak" is Bapak, not a PAK.
    expect(topicOf(wordsOf('baik pak'), [...asn])).toBeNull();
    // Nothing of theirs answers it: no pointer (an ASN cannot name a Plh or broadcast).
    expect(topicOf(['cuti'], [...asn])).toBeNull();
    expect(commandsOf(topicOf(['cuti'], [...atasan]))).toEqual(['wakil']);
    expect(topicOf(['pengumuman'], [...asn])).toBeNull();
    expect(topicOf(['cuaca'], [...admin])).toBeNull();
  });

  it('reads a short question by the command or the subject it names, but a thank-you stays one', () => {
    expect(classifyFreeText('bagaimana cara mengisi bukti dukung', [...asn])).toMatchObject({ kind: 'topic', pointer: { topic: 'bukti' } });
    expect(classifyFreeText('cara isi skp', [...asn])).toMatchObject({ kind: 'command', command: { command: 'skp' } });
    expect(classifyFreeText('Selamat pagi, mau tanya soal TPP', [...asn])).toMatchObject({ kind: 'topic', pointer: { topic: 'tpp' } });
    expect(classifyFreeText('rencana hasil kerja', [...asn])).toMatchObject({ kind: 'topic', pointer: { topic: 'rencana' } });
    expect(classifyFreeText('terima kasih atas infonya', [...asn]).kind).toBe('thanks');
    expect(classifyFreeText('terima kasih atas info', [...asn]).kind).toBe('thanks');
    expect(classifyFreeText('Selamat pagi pak', [...asn]).kind).toBe('greeting');
    // What reads as an answer typed after its question was paused is no request.
    expect(classifyFreeText('24 dokumen', [...asn]).kind).toBe('other');
    expect(classifyFreeText('12 laporan', [...asn]).kind).toBe('other');
    expect(classifyFreeText('Persentase laporan yang diselesaikan tepat waktu', [...asn]).kind).toBe('other');
    expect(classifyFreeText('laporan bulanan', [...asn])).toMatchObject({ kind: 'topic', pointer: { topic: 'laporan' } });
    // "batal" alone is /batal already; inside a sentence it names nothing.

    expect(classifyFreeText('jadi batal ya', [...asn]).kind).toBe('other');
    // Not a question, but a command of theirs named in a few words: offered with the hint.
    expect(classifyFreeText('saya lupa kirim realisasi november', [...asn])).toMatchObject({ kind: 'other', named: { command: 'realisasi' } });
    expect(classifyFreeText('jadi batal ya', [...asn])).toEqual({ kind: 'other' });
  });

  it('reads a question of a sentence, but not a long text that only starts like a request', () => {
    expect(classifyFreeText('bagaimana cara mengubah SKP yang sudah disetujui?', [...asn])).toMatchObject({ kind: 'command', command: { command: 'skp' } });
    expect(classifyFreeText('Mohon perbaiki target indikator RHK karena belum terukur dengan jelas', [...asn]).kind).toBe('other');
    expect(classifyFreeText('skp saya sudah dikirim kemarin tapi belum ada kabar', [...asn]).kind).toBe('other');
  });

  it('reads a question about a date as the deadlines, before the command it names, a year in it included', () => {
    for (const q of ['kapan batas waktu skp 2027?', 'deadline realisasi kapan ya', 'tanggal berapa terakhir kirim realisasi', 'Kapan batas penilaian?']) {
      expect(classifyFreeText(q, [...atasan]), q).toMatchObject({ kind: 'topic', pointer: { topic: 'jadwal' } });
    }
    // A bare "kapan" yields to the subject or the command it names.
    expect(classifyFreeText('kapan tpp cair?', [...asn])).toMatchObject({ kind: 'topic', pointer: { topic: 'tpp' } });
    // The command named first: "cetak skp" is /cetak.
    expect(classifyFreeText('kapan saya bisa cetak skp', [...asn])).toMatchObject({ kind: 'command', command: { command: 'cetak' } });
    expect(classifyFreeText('sampai kapan upload bukti', [...asn])).toMatchObject({ kind: 'topic', pointer: { topic: 'jadwal' } });
    // "kapan" about the SKP, the realisation or the evaluation: the dates, which the schedule holds.
    for (const q of ['kapan penilaian tahunan?', 'kapan skp 2027 bisa dibuat?', 'Kapan realisasi desember dibuka', 'kapan evaluasi kinerja tahunan']) {
      expect(classifyFreeText(q, [...asn]), q).toMatchObject({ kind: 'topic', pointer: { topic: 'jadwal' } });
    }
    // A date of one's own leave is the Plh's subject, not the deadlines.
    expect(classifyFreeText('cara ubah tanggal cuti plh', [...atasan])).toMatchObject({ kind: 'topic', pointer: { topic: 'plh' } });
    // A number without a question is still content typed out of place.
    expect(classifyFreeText('batas 2 minggu', [...asn]).kind).toBe('other');
  });

  it('reads how to return a submission as the approver’s Kembalikan, before the command it names', () => {
    const pointer = classifyFreeText('cara mengembalikan realisasi', [...atasan]);
    expect(pointer).toMatchObject({ kind: 'topic', pointer: { topic: 'pengembalian', audience: 'monitor' } });
    expect(commandsOf((pointer as { pointer: ReturnType<typeof topicOf> }).pointer)).toEqual(['tugas']);
    // An ASN returns nothing: their question stays about /realisasi.
    expect(classifyFreeText('cara mengembalikan realisasi', [...asn])).toMatchObject({ kind: 'command', command: { command: 'realisasi' } });
  });

  it('reads roster changes for who keeps the roster, and an ASN’s move as their own data', () => {
    const pengelola = ['asn', 'pengelola'] as const;
    expect(classifyFreeText('cara menambah pegawai baru', [...pengelola])).toMatchObject({ kind: 'topic', pointer: { topic: 'daftarPegawai', audience: 'monitor' } });
    expect(classifyFreeText('pegawai pindah tugas', [...pengelola])).toMatchObject({ kind: 'topic', pointer: { topic: 'daftarPegawai' } });
    expect(commandsOf(topicOf(wordsOf('pegawai pensiun'), [...admin]))).toEqual(['impor', 'lepas', 'kode']);
    expect(classifyFreeText('saya pindah tugas', [...asn])).toMatchObject({ kind: 'topic', pointer: { topic: 'dataPegawai', audience: 'asn' } });
  });
});
