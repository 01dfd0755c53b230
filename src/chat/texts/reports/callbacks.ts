// Callback data: the rk: button family (src/chat/buttons/reports.ts).
import { reportButtons } from '../../buttons/reports.js';
import {
  type ReportPeriod
} from '../../../app/reports.js';
import { type OrgRating } from '../../../domain/predikat.js';

export const reportCallbacks = {
  summary: (period: ReportPeriod, page: number, org: OrgRating | null) => reportButtons.encode({ op: 'summary', period, page, org }),
  perangkatDaerah: (pdId: string, period: ReportPeriod, page: number, org: OrgRating | null) =>
    reportButtons.encode({ op: 'perangkatDaerah', perangkatDaerahId: pdId, period, page, org }),
  employee: (employeeId: string, period: ReportPeriod, backPage: number, org: OrgRating | null) =>
    reportButtons.encode({ op: 'employee', employeeId, period, page: backPage, org }),
  overdue: (page: number, period: ReportPeriod | null) => reportButtons.encode({ op: 'overdue', page, period }),
  remind: (caseId: string, version: number) => reportButtons.encode({ op: 'remind', caseId, version }),
  mutuBaku: (period: ReportPeriod, org: OrgRating | null) => reportButtons.encode({ op: 'mutuBaku', period, org }),
};
