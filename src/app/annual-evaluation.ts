// The year's close (domain.md §10): opening the annual evaluation, the year summary the pejabat penilai reads,
// the organisation rating (capaian kinerja organisasi) and the distribution curve at the moment of rating.
//
// Rules chosen here:
// - The evaluation of year Y opens for each active employee whose SKP of Y is established (completed, or past
//   its establish step), with the annual-evaluation template of their perangkat daerah. Opening twice opens once.
// - Year figures read only the annual evaluation's predikat; a year without one is "belum dievaluasi".
// - An org rating belongs to a perangkat daerah and a period ('2026' or '2026-03'). It can be changed until the
//   first predikat of that period in that perangkat daerah is confirmed; every setting is in an append-only audit.
// - The curve at confirmation counts the confirmed predikat of the same perangkat daerah, period and purpose (year
//   or month) plus the one being confirmed, against the perangkat daerah's org rating. It warns, it never blocks.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import type { EmployeeProfile } from './repositories/employees.js';
import { cases, orgRatingAudit, orgRatings, units } from '../db/schema/index.js';
import { endOfDeadlineDay } from '../domain/deadlines.js';
import { DomainError } from '../domain/errors.js';
import {
  checkDistribution,
  PREDIKATS,
  type OrgRating,
  type Predikat,
  type Rating,
} from '../domain/predikat.js';
import { firstDay, isPeriodKey, nextPeriod, periodContaining, periodKey, periodOfKey } from '../domain/period.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import type { Procedure } from '../domain/procedure.js';
import { openCase, type CaseRow, type EngineDeps } from './case-engine.js';
import type { ProcedureRegistry } from './procedures.js';
import { isSkpEstablished } from './realisasi.js';
import { perangkatDaerahName, rhkOfCaseData } from './skp.js';
import { findCaseRow } from './repositories/cases.js';

export const ORG_RATINGS: readonly OrgRating[] = Object.freeze(['istimewa', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang']);

export function annualEvaluationProcedures(procedures: Pick<ProcedureRegistry, 'all'>): Procedure[] {
  return procedures.all().filter((p) => p.purpose === 'annual_evaluation');
}

export function annualEvaluationProcedureOf(procedures: ProcedureRegistry, employee: Pick<EmployeeProfile, 'unitPath'>): Procedure {
  return procedures.forUnit('annualEvaluation', perangkatDaerahName(employee.unitPath));
}

/**
 * The local date by which the evaluation of `year` is due: `annual.evaluationDeadline` of the next year, moved to the
 * next working day when it falls on a weekend or holiday (as the SKP and realisation deadlines are).
 */
export function evaluationDeadlineOf(calendar: Pick<WorkingCalendar, 'nextWorkingDay'>, year: number, mmdd: string): string {
  return calendar.nextWorkingDay(`${year + 1}-${mmdd}`);
}

// ---------------------------------------------------------------------------------------------------------
// Opening

export interface OpenAnnualResult {
  year: number;
  opened: number;
  alreadyOpen: number;
  /** Active employees without an established SKP of the year (nothing to evaluate). */
  withoutSkp: number;
  /** The local date the evaluation is due by (evaluationDeadlineOf). */
  deadline: string;
}

/**
 * Opens the annual evaluation of `year` for every active employee whose SKP of that year is established. The rating
 * is due within its SLA, but no later than the end of `annual.evaluationDeadline` (MM-DD of year + 1, agency time,
 * moved off a weekend or holiday).
 */
export async function openAnnualEvaluations(deps: EngineDeps, year: number, now: Date, deadlineMmdd: string): Promise<OpenAnnualResult> {
  const deadline = evaluationDeadlineOf(deps.calendar, year, deadlineMmdd);
  const dueBy = endOfDeadlineDay(deps.calendar, deadline);
  const skpCodes = deps.procedures.all().filter((p) => p.purpose === 'skp_annual').map((p) => p.code);
  const rows = rowsOf<{ id: string; unit_path: string; skp_code: string | null; skp_status: string | null; skp_step: number | null }>(
    await deps.db.execute(sql`
      select e.id, u.path as unit_path, s.procedure_code as skp_code, s.status as skp_status, s.step_no as skp_step
      from employees e join units u on u.id = e.unit_id
      left join lateral (
        select c.procedure_code, c.status, c.step_no from cases c
        where c.subject_id = e.id and c.period = ${String(year)}
          and c.procedure_code in (${skpCodes.length > 0 ? sql.join(skpCodes.map((c) => sql`${c}`), sql`, `) : sql`null`})
        order by (c.status = 'completed') desc, c.created_at desc limit 1
      ) s on true
      where e.active
      order by u.path, e.nama, e.id`),
  );
  const result: OpenAnnualResult = { year, opened: 0, alreadyOpen: 0, withoutSkp: 0, deadline };
  for (const r of rows) {
    const established =
      r.skp_code !== null &&
      isSkpEstablished({ status: r.skp_status as CaseRow['status'], stepNo: r.skp_step ?? 0 }, deps.procedures.get(r.skp_code));
    if (!established) {
      result.withoutSkp++;
      continue;
    }
    const proc = annualEvaluationProcedureOf(deps.procedures, { unitPath: r.unit_path });
    const opened = await openCase(deps, { procedureCode: proc.code, subjectId: r.id, period: String(year), now, dueBy });
    if (opened.created) result.opened++;
    else result.alreadyOpen++;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// The year summary shown above the rating buttons

export type RealisationStatus = 'on_time' | 'late' | 'missing';

export interface YearSummary {
  year: number;
  /** One entry per period (month, triwulan or semester) of the year that had a case, in order. */
  periods: Array<{ period: string; status: RealisationStatus; predikat: Predikat | null }>;
  /** Periods of the year with no case at all. */
  missingPeriods: string[];
  rhk: Array<{ id: string; jenis: 'utama' | 'tambahan'; text: string; realisasi: Array<{ period: string; text: string }> }>;
}

/**
 * What the pejabat penilai needs to rate a year: each period's predikat and status, the RHK and their realisation.
 * The periods are of the kind the subject's latest case of the year used (the months when there is none), so a
 * triwulan unit lists four periods, a semester unit two.
 */
export async function loadYearSummary(
  db: DbOrTx,
  procedures: Pick<ProcedureRegistry, 'all'>,
  subjectId: string,
  year: number,
  monthsUpTo = 12,
): Promise<YearSummary> {
  const monthlyCodes = procedures.all().filter((p) => p.periodKind === 'monthly' && p.purpose !== 'award').map((p) => p.code);
  const skpCodes = procedures.all().filter((p) => p.purpose === 'skp_annual').map((p) => p.code);
  const [monthly, skp] = await Promise.all([
    monthlyCodes.length === 0
      ? Promise.resolve([])
      : db
          .select()
          .from(cases)
          .where(and(eq(cases.subjectId, subjectId), sql`${cases.period} like ${`${year}-%`}`, inArray(cases.procedureCode, monthlyCodes)))
          .orderBy(cases.period, desc(cases.createdAt)),
    skpCodes.length === 0
      ? Promise.resolve([])
      : db
          .select()
          .from(cases)
          .where(and(eq(cases.subjectId, subjectId), eq(cases.period, String(year)), inArray(cases.procedureCode, skpCodes)))
          .orderBy(sql`(${cases.status} = 'completed') desc`, desc(cases.createdAt))
          .limit(1),
  ]);
  const byPeriod = new Map<string, CaseRow>();
  for (const row of monthly) if (!byPeriod.has(row.period)) byPeriod.set(row.period, row);
  const periods: YearSummary['periods'] = [];
  const missingPeriods: string[] = [];
  const latest = [...byPeriod.values()].filter((r) => isPeriodKey(r.period)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  const kind = latest ? periodOfKey(latest.period).kind : 'bulanan';
  const expected: string[] = [];
  for (let p = periodContaining(`${year}-01`, kind); p.year === year && firstDay(p).slice(5, 7) <= String(monthsUpTo).padStart(2, '0'); p = nextPeriod(p)) {
    expected.push(periodKey(p));
  }
  // A case of another kind (the unit changed its period during the year) is still listed.
  const keys = [...new Set([...expected, ...byPeriod.keys()])].sort();
  for (const period of keys) {
    const row = byPeriod.get(period);
    if (!row) {
      missingPeriods.push(period);
      continue;
    }
    const submitted = row.submittedAt !== null && row.status !== 'cancelled';
    periods.push({
      period,
      status: !submitted ? 'missing' : row.late ? 'late' : 'on_time',
      predikat: row.status === 'cancelled' ? null : ((row.predikat as Predikat | null) ?? null),
    });
  }
  const rhkList = skp[0] ? rhkOfCaseData(skp[0].data) : [];
  const rhk = rhkList.map((r) => ({
    id: r.id,
    jenis: r.jenis ?? 'utama',
    text: r.text,
    realisasi: [...byPeriod.values()]
      .filter((row) => row.status !== 'cancelled' && row.submittedAt !== null)
      .sort((a, b) => a.period.localeCompare(b.period))
      .flatMap((row) => {
        const items = (row.data as { realisasi?: Array<{ rhkId?: string; realisasi?: string }> }).realisasi ?? [];
        const item = Array.isArray(items) ? items.find((i) => i.rhkId === r.id) : undefined;
        return item?.realisasi ? [{ period: row.period, text: item.realisasi }] : [];
      }),
  }));
  return { year, periods, missingPeriods, rhk };
}

// ---------------------------------------------------------------------------------------------------------
// Organisation rating (capaian kinerja organisasi)

export interface OrgRatingRow {
  perangkatDaerahId: string;
  period: string;
  rating: OrgRating;
  setAt: Date;
  version: number;
}

export function isOrgRating(value: string): value is OrgRating {
  return (ORG_RATINGS as readonly string[]).includes(value);
}

export async function orgRatingOf(db: DbOrTx, perangkatDaerahId: string, period: string): Promise<OrgRatingRow | null> {
  const [row] = await db
    .select()
    .from(orgRatings)
    .where(and(eq(orgRatings.perangkatDaerahId, perangkatDaerahId), eq(orgRatings.period, period)));
  return row ? { perangkatDaerahId: row.perangkatDaerahId, period: row.period, rating: row.rating, setAt: row.setAt, version: row.version } : null;
}

/** Every perangkat daerah's org rating of a period, by perangkat daerah id. */
export async function orgRatingsOfPeriod(db: DbOrTx, period: string): Promise<Map<string, OrgRating>> {
  const rows = await db.select({ pd: orgRatings.perangkatDaerahId, rating: orgRatings.rating }).from(orgRatings).where(eq(orgRatings.period, period));
  return new Map(rows.map((r) => [r.pd, r.rating]));
}

/** Procedures whose predikat count for a period: the annual evaluation for a year, the monthly ones for a month. */
function ratedProcedureCodes(procedures: Pick<ProcedureRegistry, 'all'>, period: string): string[] {
  const annual = /^\d{4}$/.test(period);
  return procedures
    .all()
    .filter((p) => (annual ? p.purpose === 'annual_evaluation' : p.periodKind === 'monthly' && p.purpose !== 'award'))
    .map((p) => p.code);
}

/** Whether some predikat of the period is already confirmed in the perangkat daerah (the org rating is then fixed). */
export async function predikatConfirmedIn(db: DbOrTx, procedures: Pick<ProcedureRegistry, 'all'>, perangkatDaerahId: string, period: string): Promise<boolean> {
  const codes = ratedProcedureCodes(procedures, period);
  if (codes.length === 0) return false;
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
      where u.perangkat_daerah_id = ${perangkatDaerahId}::uuid and c.period = ${period} and c.predikat is not null
        and c.status <> 'cancelled' and c.procedure_code in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})`),
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** Whether the employee may set the org rating of that perangkat daerah: BKPP admins; its pengelola if allowed. */
export function maySetOrgRating(actor: EmployeeProfile, perangkatDaerahId: string | null, pengelolaMaySet: boolean): boolean {
  if (!actor.active) return false;
  if (actor.roles.some((r) => r.role === 'bkpp_admin')) return true;
  if (!pengelolaMaySet) return false;
  return actor.roles.some((r) => r.role === 'pengelola' && (perangkatDaerahId === null || r.unitId === perangkatDaerahId));
}

export interface SetOrgRatingInput {
  actor: EmployeeProfile;
  perangkatDaerahId: string;
  period: string;
  rating: OrgRating;
  now: Date;
  pengelolaMaySet: boolean;
}

/**
 * Sets or changes the org rating of a perangkat daerah for a period, in one transaction with its audit row.
 * Throws DomainError NOT_AUTHORIZED, ACCESS_DENIED (another perangkat daerah), INVALID_PERIOD, UNIT_NOT_FOUND,
 * ORG_RATING_LOCKED (a predikat of the period is already confirmed there).
 */
export async function setOrgRating(
  deps: { db: EngineDeps['db']; procedures: Pick<ProcedureRegistry, 'all'> },
  input: SetOrgRatingInput,
): Promise<{ previous: OrgRating | null; rating: OrgRating; changed: boolean }> {
  if (!maySetOrgRating(input.actor, null, input.pengelolaMaySet)) throw new DomainError('NOT_AUTHORIZED');
  if (!maySetOrgRating(input.actor, input.perangkatDaerahId, input.pengelolaMaySet)) {
    throw new DomainError('ACCESS_DENIED', 'not this perangkat daerah', { operation: 'orgRating' });
  }
  if (!/^\d{4}(-(0[1-9]|1[0-2]))?$/.test(input.period)) throw new DomainError('INVALID_PERIOD', undefined, { period: input.period });
  return deps.db.transaction(async (tx) => {
    const [pd] = await tx.select({ id: units.id, depth: units.depth }).from(units).where(eq(units.id, input.perangkatDaerahId));
    if (!pd || pd.depth !== 0) throw new DomainError('UNIT_NOT_FOUND');
    // Serialise changes of one (perangkat daerah, period): the row, or the unit while no row exists yet.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`org-rating:${input.perangkatDaerahId}:${input.period}`}))`);
    if (await predikatConfirmedIn(tx, deps.procedures, input.perangkatDaerahId, input.period)) {
      throw new DomainError('ORG_RATING_LOCKED', undefined, { period: input.period });
    }
    const [existing] = await tx
      .select()
      .from(orgRatings)
      .where(and(eq(orgRatings.perangkatDaerahId, input.perangkatDaerahId), eq(orgRatings.period, input.period)));
    const previous = existing?.rating ?? null;
    if (previous === input.rating) return { previous, rating: input.rating, changed: false };
    if (existing) {
      await tx
        .update(orgRatings)
        .set({ rating: input.rating, setById: input.actor.id, setAt: input.now, version: existing.version + 1 })
        .where(and(eq(orgRatings.id, existing.id), eq(orgRatings.version, existing.version)));
    } else {
      await tx.insert(orgRatings).values({
        perangkatDaerahId: input.perangkatDaerahId,
        period: input.period,
        rating: input.rating,
        setById: input.actor.id,
        setAt: input.now,
      });
    }
    await tx.insert(orgRatingAudit).values({
      perangkatDaerahId: input.perangkatDaerahId,
      period: input.period,
      previousRating: previous,
      rating: input.rating,
      actorId: input.actor.id,
      at: input.now,
    });
    return { previous, rating: input.rating, changed: true };
  });
}

/** Perangkat daerah the actor may rate, by name. */
export async function ratablePerangkatDaerah(db: DbOrTx, actor: EmployeeProfile, pengelolaMaySet: boolean): Promise<Array<{ id: string; name: string }>> {
  const all = await db.select({ id: units.id, name: units.name }).from(units).where(eq(units.depth, 0)).orderBy(units.name);
  return all.filter((pd) => maySetOrgRating(actor, pd.id, pengelolaMaySet));
}

// ---------------------------------------------------------------------------------------------------------
// The curve at the moment of rating

export interface CurveAtRating {
  perangkatDaerahName: string;
  period: string;
  orgRating: OrgRating | null;
  counts: Record<Predikat, number>;
  total: number;
  departures: Array<{ code: string; message: string }>;
  /** The subject heads the perangkat daerah: their rating hasil kerja is the organisation's rating. */
  subjectIsHead: boolean;
}

/**
 * Where the distribution of the subject's perangkat daerah stands for the case's period if `predikat` is
 * confirmed: the predikat already confirmed there (same purpose, other subjects) plus this one.
 */
export async function curveAtRating(
  deps: { db: DbOrTx; procedures: Pick<ProcedureRegistry, 'all' | 'get'> },
  caseId: string,
  predikat: Predikat,
): Promise<CurveAtRating | null> {
  const row = await findCaseRow(deps.db, caseId);
  if (!row) return null;
  const codes = ratedProcedureCodes(deps.procedures, row.period);
  if (!codes.includes(row.procedureCode)) return null;
  const [subject] = rowsOf<{ pd_id: string; pd_name: string; is_head: boolean }>(
    await deps.db.execute(sql`select pd.id as pd_id, pd.name as pd_name,
        (u.depth = 0 and (e.atasan_id is null or not exists (
          select 1 from employees a join units au on au.id = a.unit_id
          where a.id = e.atasan_id and coalesce(au.perangkat_daerah_id, au.id) = pd.id))) as is_head
      from employees e join units u on u.id = e.unit_id join units pd on pd.id = coalesce(u.perangkat_daerah_id, u.id)
      where e.id = ${row.subjectId}::uuid`),
  );
  if (!subject) return null;
  const counted = rowsOf<{ predikat: string; n: number }>(
    await deps.db.execute(sql`select c.predikat, count(*)::int as n
      from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
      where coalesce(u.perangkat_daerah_id, u.id) = ${subject.pd_id}::uuid and c.period = ${row.period}
        and c.predikat is not null and c.status <> 'cancelled' and c.id <> ${row.id}::uuid and e.active
        and c.procedure_code in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)})
      group by 1`),
  );
  const counts = Object.fromEntries(PREDIKATS.map((p) => [p, 0])) as Record<Predikat, number>;
  for (const r of counted) if ((PREDIKATS as readonly string[]).includes(r.predikat)) counts[r.predikat as Predikat] += Number(r.n);
  counts[predikat] += 1;
  const org = await orgRatingOf(deps.db, subject.pd_id, row.period);
  return {
    perangkatDaerahName: subject.pd_name,
    period: row.period,
    orgRating: org?.rating ?? null,
    counts,
    total: PREDIKATS.reduce((sum, p) => sum + counts[p], 0),
    departures: org ? checkDistribution(org.rating, counts) : [],
    subjectIsHead: Boolean(subject.is_head),
  };
}

/**
 * The rating hasil kerja a head of a perangkat daerah gets from the organisation's rating (SE MenPANRB 3/2023:
 * the head's hasil kerja is the unit's capaian). [verify] Istimewa reads as above expectation, Baik as meeting it,
 * the three lower ratings as below it.
 */
export function hasilKerjaOfOrgRating(rating: OrgRating): Rating {
  return rating === 'istimewa' ? 'di_atas' : rating === 'baik' ? 'sesuai' : 'di_bawah';
}
