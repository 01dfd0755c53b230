// Unit: which perangkat daerah a typed name means (src/domain/unit-name.ts).
import { describe, expect, it } from 'vitest';
import { perangkatDaerahMatching } from '../../src/domain/unit-name.js';

const units = ['Dinas Kesehatan', 'Dinas Pendidikan', 'Inspektorat', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia'].map((name) => ({ name }));
const names = (typed: string) => perangkatDaerahMatching(units, typed).map((u) => u.name);

describe('perangkatDaerahMatching', () => {
  it('reads the whole name, the beginnings of its words, or its initials', () => {
    expect(names('Dinas Kesehatan')).toEqual(['Dinas Kesehatan']);
    expect(names('kesehatan')).toEqual(['Dinas Kesehatan']);
    expect(names('dinas kes')).toEqual(['Dinas Kesehatan']);
    expect(names('BKPSDM')).toEqual(['Badan Kepegawaian dan Pengembangan Sumber Daya Manusia']);
    expect(names('perangkat daerah Inspektorat')).toEqual(['Inspektorat']);
  });

  it('gives every name that fits, and none for what names nothing', () => {
    expect(names('dinas')).toEqual(['Dinas Kesehatan', 'Dinas Pendidikan']);
    expect(names('opd')).toEqual([]);
    expect(names('di')).toEqual(['Dinas Kesehatan', 'Dinas Pendidikan']);
  });

  it('reads the abbreviations people write for the national nomenclature of perangkat daerah', () => {
    const nomenclature = [
      'Dinas Kesehatan', 'Dinas Pendidikan', 'Dinas Sosial', 'Dinas Perhubungan', 'Dinas Kependudukan dan Pencatatan Sipil',
      'Dinas Komunikasi dan Informatika', 'Dinas Pemuda dan Olahraga', 'Dinas Perindustrian dan Perdagangan', 'Dinas Pertanian',
      'Dinas Pariwisata', 'Dinas Tenaga Kerja', 'Dinas Lingkungan Hidup', 'Dinas Pekerjaan Umum dan Penataan Ruang',
      'Dinas Perpustakaan dan Kearsipan', 'Badan Perencanaan Pembangunan Daerah', 'Badan Pendapatan Daerah',
      'Badan Pengelolaan Keuangan dan Aset Daerah', 'Badan Kepegawaian Daerah', 'Badan Penanggulangan Bencana Daerah',
      'Badan Kesatuan Bangsa dan Politik', 'Sekretariat Daerah', 'Sekretariat DPRD', 'Satuan Polisi Pamong Praja',
      'Rumah Sakit Umum Daerah', 'Inspektorat',
    ].map((name) => ({ name }));
    const pick = (typed: string) => perangkatDaerahMatching(nomenclature, typed).map((u) => u.name);
    const expected: Record<string, string> = {
      dinkes: 'Dinas Kesehatan', Disdik: 'Dinas Pendidikan', dinsos: 'Dinas Sosial', Dishub: 'Dinas Perhubungan',
      dukcapil: 'Dinas Kependudukan dan Pencatatan Sipil', Diskominfo: 'Dinas Komunikasi dan Informatika',
      dispora: 'Dinas Pemuda dan Olahraga', disperindag: 'Dinas Perindustrian dan Perdagangan', distan: 'Dinas Pertanian',
      dispar: 'Dinas Pariwisata', disnaker: 'Dinas Tenaga Kerja', DLH: 'Dinas Lingkungan Hidup',
      'DPUPR': 'Dinas Pekerjaan Umum dan Penataan Ruang', dispusip: 'Dinas Perpustakaan dan Kearsipan',
      Bappeda: 'Badan Perencanaan Pembangunan Daerah', bapenda: 'Badan Pendapatan Daerah',
      BPKAD: 'Badan Pengelolaan Keuangan dan Aset Daerah', BKD: 'Badan Kepegawaian Daerah',
      BPBD: 'Badan Penanggulangan Bencana Daerah', kesbangpol: 'Badan Kesatuan Bangsa dan Politik',
      bakesbangpol: 'Badan Kesatuan Bangsa dan Politik', setda: 'Sekretariat Daerah', 'Sekretariat Daerah': 'Sekretariat Daerah',
      setwan: 'Sekretariat DPRD', 'Satpol PP': 'Satuan Polisi Pamong Praja', RSUD: 'Rumah Sakit Umum Daerah',
    };
    for (const [typed, name] of Object.entries(expected)) expect([typed, pick(typed)]).toEqual([typed, [name]]);
    // The Sekretariat DPRD under its full name: Setwan, and Setda is still the Sekretariat Daerah alone.
    const sekretariat = ['Sekretariat Daerah', 'Sekretariat Dewan Perwakilan Rakyat Daerah'].map((name) => ({ name }));
    expect(perangkatDaerahMatching(sekretariat, 'setwan').map((u) => u.name)).toEqual(['Sekretariat Dewan Perwakilan Rakyat Daerah']);
    expect(perangkatDaerahMatching(sekretariat, 'setda').map((u) => u.name)).toEqual(['Sekretariat Daerah']);
        // A region after the name is left out of its abbreviation.
    expect(perangkatDaerahMatching([{ name: 'Dinas Kesehatan Kabupaten Banyuwangi' }], 'dinkes')).toHaveLength(1);
    // Words that are no abbreviation of any of them.
    for (const typed of ['semua', 'saya', 'lalu', 'terlambat', 'mutu', 'pegawai', 'csv', 'pdf', 'atasan', 'dinkesos']) expect([typed, pick(typed)]).toEqual([typed, []]);
  });
});
