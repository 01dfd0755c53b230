// Unit tests for reading what a message no feature took most likely means (src/bot/free-text.ts).
import { describe, expect, it } from 'vitest';
import { classifyFreeText, suggestCommand } from '../../src/bot/free-text.js';

const asn = ['asn'] as const;
const admin = ['asn', 'bkpp_admin'] as const;

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
    expect(classifyFreeText('bagaimana cara mengisi bukti dukung', [...asn]).kind).toBe('other');
    expect(classifyFreeText('pagi ini saya cuti, siapa yang menilai SKP saya?', [...asn]).kind).toBe('other');
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
