// The message lint itself: it catches what the issue lists and lets ordinary Indonesian text through.
import { describe, expect, it } from 'vitest';
import { lintCalls, lintText } from '../support/message-lint.js';

const rules = (text: string, where = 'sendMessage text') => lintText({ where, text }).map((f) => f.rule);

describe('message lint', () => {
  it('passes ordinary messages', () => {
    expect(rules('✅ Disetujui oleh Dewi Nugroho, S.E. pada Senin, 2 Februari 2026 pukul 07.30 WITA.')).toEqual([]);
    expect(rules('Pilih penilaian hasil kerja:')).toEqual([]);
    expect(rules('Konfirmasi penilaian:\n\nHasil kerja: Sesuai Ekspektasi')).toEqual([]);
    expect(rules('NIP: 19920714 201703 2 002 · ketik /rekap_terlambat')).toEqual([]);
    expect(rules('Kode verifikasi: ABCD2345EF')).toEqual([]);
    expect(rules('Memuat…')).toEqual([]);
  });

  it('finds ids, raw codes, missing values, empty fields, doubled punctuation, tags and English', () => {
    expect(rules('1. 57fe784b / Realisasi: 10 laporan')).toEqual(['internal-id']);
    expect(rules('Kasus 0b9d2f4e-8a51-4f1c-9d7e-2b6c3a1f0e99')).toContain('internal-id');
    expect(rules('Predikat: sangat_baik')).toEqual(['raw-code']);
    // A stored period key read as a value; typed after a command it is what the user types.
    expect(rules('Periode: 2026-11')).toEqual(['raw-code']);
    expect(rules('Realisasi 2026-T4 belum dikirim')).toEqual(['raw-code']);
    expect(rules('Ketik /keberatan 2026-11 paling lambat 14 hari setelahnya.')).toEqual([]);
    expect(rules('/ekspor 2026-S1 csv Pegawai')).toEqual([]);
    expect(rules('Dikirim 2026-11-05 pukul 10.00')).toEqual([]);
    expect(rules('Tulis bulan (2026-03 atau Maret 2026) atau triwulan (2026-T2).')).toEqual([]);
    expect(rules('Ketik periode seperti 2026-T2.')).toEqual([]);
    expect(rules('Pegawai: undefined')).toEqual(['missing-value']);
    expect(rules('Nilai: NaN')).toEqual(['missing-value']);
    expect(rules('Unit: [object Object]')).toEqual(['missing-value']);
    expect(rules('• Kuantitas:  — target 4 laporan')).toEqual(['empty-field']);
    expect(rules('Dikembalikan.\nAlasan:')).toEqual(['empty-field']);
    expect(rules('Dewi Nugroho, S.E.. Alasan: kurang')).toEqual(['doubled-punctuation']);
    expect(rules('Tekan <b>Setujui</b>')).toEqual(['html-as-text']);
    expect(rules('Error: something went wrong')).toContain('english');
    expect(rules('Status: pending')).toEqual(['english']);
    expect(rules('Versi pengajuan: 8 (revisi 2)')).toEqual(['row-version']);
    expect(rules('SKP_2026_199207142017032002_v8.pdf', 'sendDocument file name')).toEqual(['row-version']);
    expect(rules('SKP_2026_199207142017032002_revisi-2.pdf', 'sendDocument file name')).toEqual([]);
  });

  it('reads the visible text of HTML messages, captions, button labels and file names', () => {
    const findings = lintCalls([
      { method: 'sendMessage', params: { text: '<b>Predikat:</b> baik_sekali', parse_mode: 'HTML' }, status: 200, ok: true, at: 0 },
      {
        method: 'sendDocument',
        params: { caption: 'Bukti null', document: { filename: 'x_v3.pdf', size: 1 }, reply_markup: { inline_keyboard: [[{ text: 'Approve', callback_data: 'a' }]] } },
        status: 200,
        ok: true,
        at: 0,
      },
    ]);
    expect(findings.map((f) => [f.rule, f.where])).toEqual([
      ['raw-code', 'sendMessage text'],
      ['missing-value', 'sendDocument caption'],
      ['row-version', 'sendDocument file name'],
      ['english', 'sendDocument button'],
    ]);
  });
});
