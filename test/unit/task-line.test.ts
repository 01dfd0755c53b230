// Unit: a /tugas line says how long a request has waited in working time, and what zero working minutes means.
import { describe, expect, it } from 'vitest';
import { taskLine } from '../../src/chat/texts/approvals.js';
import type { Step } from '../../src/domain/procedure.js';

const step = { uraian: 'Penilaian kinerja bulanan berdasarkan hasil kerja dan perilaku kerja' } as Step;
const now = new Date('2026-12-07T15:40:00Z'); // Monday 22.40 WIB, after hours
const line = (enteredAt: Date, ageMinutes: number) =>
  taskLine(1, { nama: 'Anisa Fitriani, S.Kep, Ns', title: '', period: '2026-11', step, enteredAt, slaDueAt: null }, now, ageMinutes);

describe('taskLine', () => {
  it('gives the working time waited', () => {
    expect(line(new Date('2026-12-07T02:00:00Z'), 125)).toMatch(/\(November 2026\), menunggu 2 jam 5 menit$/);
  });
  it('says a request came in just now, or after hours, rather than "menunggu 0 menit"', () => {
    expect(line(new Date(now.getTime() - 20_000), 0)).toMatch(/, baru saja masuk$/);
    expect(line(new Date('2026-12-07T14:00:00Z'), 0)).toMatch(/, masuk di luar jam kerja$/);
  });
});
