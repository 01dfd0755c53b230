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
    expect(names('dinkes')).toEqual([]);
    expect(names('opd')).toEqual([]);
    expect(names('di')).toEqual(['Dinas Kesehatan', 'Dinas Pendidikan']);
  });
});
