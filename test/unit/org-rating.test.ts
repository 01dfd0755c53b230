// Unit: who may set the capaian kinerja organisasi, the head's hasil kerja, deadlines and agency of templates.
import { describe, expect, it } from 'vitest';
import { evaluationDeadlineOf, hasilKerjaOfOrgRating, maySetOrgRating } from '../../src/app/annual-evaluation.js';
import type { EmployeeProfile } from '../../src/app/repositories/employees.js';
import { parseDeployment } from '../../src/config.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { agencyOf, templates } from '../../src/domain/templates/index.js';
import { exampleDeployment } from '../support/app.js';

const PD = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000a2';
const person = (roles: EmployeeProfile['roles'], active = true) => ({ active, roles }) as EmployeeProfile;

describe('maySetOrgRating', () => {
  it('BKPP admins always; a pengelola only for their perangkat daerah and only when the deployment allows', () => {
    expect(maySetOrgRating(person([{ role: 'bkpp_admin', unitId: null }]), PD, false)).toBe(true);
    const pengelola = person([{ role: 'pengelola', unitId: PD }]);
    expect(maySetOrgRating(pengelola, PD, false)).toBe(false);
    expect(maySetOrgRating(pengelola, PD, true)).toBe(true);
    expect(maySetOrgRating(pengelola, OTHER, true)).toBe(false);
    expect(maySetOrgRating(person([]), PD, true)).toBe(false);
    expect(maySetOrgRating(person([{ role: 'bkpp_admin', unitId: null }], false), PD, true)).toBe(false);
  });
});

describe('the year close helpers', () => {
  it('reads the head of a perangkat daerah’s hasil kerja off the organisation rating', () => {
    expect(hasilKerjaOfOrgRating('istimewa')).toBe('di_atas');
    expect(hasilKerjaOfOrgRating('baik')).toBe('sesuai');
    for (const r of ['butuh_perbaikan', 'kurang', 'sangat_kurang'] as const) expect(hasilKerjaOfOrgRating(r)).toBe('di_bawah');
  });
  it('puts the evaluation deadline of year Y in year Y+1, moved off a weekend or holiday', () => {
    const calendar = createCalendar(parseDeployment(exampleDeployment()).calendar!);
    // 31 January 2027 is a Sunday: Monday 1 February. 29 January 2027 is a Friday and stays.
    expect(evaluationDeadlineOf(calendar, 2026, '01-31')).toBe('2027-02-01');
    expect(evaluationDeadlineOf(calendar, 2026, '01-29')).toBe('2027-01-29');
    // 31 January 2026 is a Saturday.
    expect(evaluationDeadlineOf(calendar, 2025, '01-31')).toBe('2026-02-02');
  });
  it('knows which region each seed template comes from; regulation templates have none', () => {
    expect(agencyOf(templates['skp-banyuwangi']!)).toBe('Kabupaten Banyuwangi');
    expect(agencyOf(templates['skp-balangan']!)).toBe('Kabupaten Balangan');
    expect(agencyOf(templates['pengukuran-inspektorat']!)).toBe('Kabupaten Balangan');
    expect(agencyOf(templates['asn-berprestasi']!)).toBe('Kabupaten Balangan');
    expect(agencyOf(templates['skp-tangerang']!)).toBe('Kota Tangerang');
    expect(agencyOf(templates['skp-permenpan']!)).toBeNull();
    expect(agencyOf(templates['evaluasi-tahunan']!)).toBeNull();
  });
});
