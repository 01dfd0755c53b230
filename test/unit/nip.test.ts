// NIP PNS / NI PPPK parsing: valid forms, kind detection and every rejection reason.
import { describe, it, expect } from 'vitest';
import { formatNip, parseNip } from '../../src/domain/nip.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const reason = (input: string) => {
  const r = parseNip(input, NOW);
  return r.ok ? null : r.reason;
};

describe('parseNip', () => {
  it('accepts a PNS NIP in print form, with dots, or plain', () => {
    for (const input of ['19680411 199303 1 009', '19680411.199303.1.009', ' 196804111993031009 ', "'196804111993031009"]) {
      expect(parseNip(input, NOW)).toEqual({
        ok: true,
        nip: '196804111993031009',
        kind: 'pns',
        birthDate: '1968-04-11',
        gender: 'L',
      });
    }
  });

  it('reads gender 2 as P and accepts a leap day', () => {
    expect(parseNip('19920229 201503 2 001', NOW)).toMatchObject({ ok: true, kind: 'pns', gender: 'P', birthDate: '1992-02-29' });
  });

  it('accepts an NI PPPK whose code is not a month', () => {
    expect(parseNip('19900115 2025 24 1 001', NOW)).toEqual({
      ok: true,
      nip: '199001152025241001',
      kind: 'pppk',
      birthDate: '1990-01-15',
      gender: 'L',
    });
    expect(parseNip('199607072022212001', NOW)).toMatchObject({ ok: true, kind: 'pppk', gender: 'P' });
    // Code 00 would fail a PNS month check but is a valid PPPK code.
    expect(parseNip('198502022024002003', NOW)).toMatchObject({ ok: true, kind: 'pppk' });
  });

  it('falls back to PPPK when a month-like code fails the PNS rules', () => {
    // Born 2004-06, '2021 05': as a PNS TMT that is 16 years 11 months after birth, as PPPK year 2021 it is fine.
    expect(parseNip('200406062021051001', NOW)).toMatchObject({ ok: true, kind: 'pppk' });
  });

  it('takes the next year as a plausible appointment year, not the one after', () => {
    expect(parseNip('199001012027241001', NOW)).toMatchObject({ ok: true, kind: 'pppk' });
    expect(reason('199001012028241001')).toMatch(/belum terjadi/);
  });

  it('rejects anything that is not 18 digits', () => {
    expect(reason('19680411 199303 1 00')).toBe('NIP harus 18 digit angka');
    expect(reason('1968041119930310091')).toBe('NIP harus 18 digit angka');
    expect(reason('19680411-199303-1-009')).toBe('NIP harus 18 digit angka');
    expect(reason('')).toBe('NIP harus 18 digit angka');
    expect(reason('abc')).toBe('NIP harus 18 digit angka');
  });

  it('explains Excel scientific notation', () => {
    expect(reason('1,96804E+17')).toMatch(/Excel/);
    expect(reason('1.96804E+17')).toMatch(/Excel/);
  });

  it('rejects impossible or implausible birth dates', () => {
    for (const nip of ['196813411993031009', '196802301993031009', '199102291993031009', '193901011960031001', '196800001993031009']) {
      expect(reason(nip)).toBe('tanggal lahir pada NIP tidak valid');
    }
  });

  it('rejects a gender digit other than 1 or 2', () => {
    expect(reason('196804111993033009')).toMatch(/jenis kelamin/);
    expect(reason('196804111993030009')).toMatch(/jenis kelamin/);
  });

  it('rejects serial 000', () => {
    expect(reason('196804111993031000')).toBe('nomor urut pada NIP tidak boleh 000');
  });

  it('rejects a PNS month outside 01–12 when the year cannot be PPPK', () => {
    expect(reason('196804111993131009')).toMatch(/bulan TMT CPNS/);
    expect(reason('196804111993001009')).toMatch(/bulan TMT CPNS/);
  });

  it('rejects a TMT CPNS less than 17 years after birth', () => {
    expect(reason('198501012000031001')).toMatch(/TMT CPNS .* kurang dari 17 tahun/);
    // 16 years 11 months: still too young.
    expect(reason('198002011997011001')).toMatch(/kurang dari 17 tahun/);
    // Exactly 17 years (same month) is accepted.
    expect(parseNip('198002011997021001', NOW)).toMatchObject({ ok: true, kind: 'pns' });
  });

  it('rejects a TMT CPNS in the future', () => {
    expect(reason('199001012030011001')).toMatch(/belum terjadi/);
  });

  it('rejects a PPPK appointment year before 2019 or too soon after birth', () => {
    expect(reason('201001012024241001')).toMatch(/tahun pengangkatan PPPK .* kurang dari 17 tahun/);
    expect(reason('199001012099241001')).toMatch(/tahun pengangkatan PPPK .* belum terjadi/);
  });

  it('defaults now to the current time', () => {
    expect(parseNip('19680411 199303 1 009').ok).toBe(true);
  });
});

describe('formatNip', () => {
  it('prints the 8-6-1-3 grouping', () => {
    expect(formatNip('196804111993031009')).toBe('19680411 199303 1 009');
    expect(formatNip('19680411.199303.1.009')).toBe('19680411 199303 1 009');
    expect(formatNip('199001152025241001')).toBe('19900115 202524 1 001');
  });

  it('leaves other input alone', () => {
    expect(formatNip(' 12345 ')).toBe('12345');
  });
});
