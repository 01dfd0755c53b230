// /rekap's buttons: summary pages, a perangkat daerah's employees, an employee's case logs, overdue steps with
// Ingatkan, and mutu baku. A period travels as its key ('2026', '2026-05', '2026-T2', '2026-S1').
import { parsePeriod, periodKey, type ReportPeriod } from '../../app/reports.js';
import type { OrgRating } from '../../domain/predikat.js';
import { buttonFamily, intField, isUuid } from './codec.js';

const ORG_CODES: Record<OrgRating, string> = { istimewa: 'i', baik: 'b', butuh_perbaikan: 'bp', kurang: 'k', sangat_kurang: 'sk' };
const orgCode = (rating: OrgRating | null): string => (rating ? ORG_CODES[rating] : '');
/** undefined: not a code; null: no rating chosen. */
function orgOf(code: string | undefined): OrgRating | null | undefined {
  if (code === undefined) return undefined;
  if (code === '') return null;
  return (Object.entries(ORG_CODES).find(([, c]) => c === code)?.[0] as OrgRating | undefined) ?? undefined;
}
const periodOf = (key: string | undefined) => (key ? parsePeriod(key) : null);

/** The recap's filter on the unit's organisation rating travels with its pages. */
interface Paged {
  period: ReportPeriod;
  page: number;
  org: OrgRating | null;
}
export type ReportButton =
  | ({ op: 'summary' } & Paged)
  | ({ op: 'perangkatDaerah'; perangkatDaerahId: string } & Paged)
  | ({ op: 'employee'; employeeId: string } & Paged)
  | { op: 'overdue'; page: number; period: ReportPeriod | null }
  | { op: 'remind'; caseId: string; version: number }
  | { op: 'mutuBaku'; period: ReportPeriod; org: OrgRating | null };

/**
 * rk:s:<period>:<page>:<org> · rk:p:<pd>:<period>:<page>:<org> · rk:e:<employee>:<period>:<page>:<org> ·
 * rk:t:<page>:[<period>] · rk:r:<case>:<version> · rk:m:<period>:<org>
 */
export const reportButtons = buttonFamily<ReportButton>('rk', {
  encode: (b) => {
    switch (b.op) {
      case 'summary':
        return ['s', periodKey(b.period), b.page, orgCode(b.org)];
      case 'perangkatDaerah':
        return ['p', b.perangkatDaerahId, periodKey(b.period), b.page, orgCode(b.org)];
      case 'employee':
        return ['e', b.employeeId, periodKey(b.period), b.page, orgCode(b.org)];
      case 'overdue':
        return ['t', b.page, b.period ? periodKey(b.period) : ''];
      case 'remind':
        return ['r', b.caseId, b.version];
      case 'mutuBaku':
        return ['m', periodKey(b.period), orgCode(b.org)];
    }
  },
  decode: ([op, ...f]) => {
    const paged = (period: string | undefined, page: string | undefined, org: string | undefined): Paged | null => {
      const p = periodOf(period);
      const n = intField(page, 4);
      const o = orgOf(org);
      return p && n !== null && o !== undefined ? { period: p, page: n, org: o } : null;
    };
    switch (op) {
      case 's': {
        const p = f.length === 3 ? paged(f[0], f[1], f[2]) : null;
        return p && { op: 'summary', ...p };
      }
      case 'p': {
        const p = f.length === 4 && isUuid(f[0]) ? paged(f[1], f[2], f[3]) : null;
        return p && { op: 'perangkatDaerah', perangkatDaerahId: f[0]!, ...p };
      }
      case 'e': {
        const p = f.length === 4 && isUuid(f[0]) ? paged(f[1], f[2], f[3]) : null;
        return p && { op: 'employee', employeeId: f[0]!, ...p };
      }
      case 't': {
        const page = f.length === 2 ? intField(f[0], 4) : null;
        const period = f[1] ? periodOf(f[1]) : null;
        return page === null || (f[1] && !period) ? null : { op: 'overdue', page, period };
      }
      case 'r': {
        const version = f.length === 2 && isUuid(f[0]) ? intField(f[1], 9) : null;
        return version === null ? null : { op: 'remind', caseId: f[0]!, version };
      }
      case 'm': {
        const period = f.length === 2 ? periodOf(f[0]) : null;
        const org = orgOf(f[1]);
        return period && org !== undefined ? { op: 'mutuBaku', period, org } : null;
      }
      default:
        return null;
    }
  },
});
