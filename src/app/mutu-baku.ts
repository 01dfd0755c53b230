// Mutu baku: each procedure step's real duration in working time (median, 90th percentile) against the SOP's
// time standard, and the share of step visits done within it.
//
// One set-based statement fetches the finished step visits of the period, grouped by step as arrays of epoch
// milliseconds cut in slices, so the driver parses no dates and builds no row objects; the working-time arithmetic
// needs the agency calendar (hours, holidays, cuti bersama), so durations are computed here with
// calendar.workingMinutesBetween, which is O(1) per visit, into Float64Arrays per step.
import { sql } from 'drizzle-orm';
import { readAhead, rowBatches, rowsOf } from '../db/client.js';
import type { Procedure } from '../domain/procedure.js';
import { annualProcedures, epochMs, periodKey, scopeCondition, stepLabel, type ReportDeps, type ReportPeriod, type ReportScope } from './reports.js';

export interface MutuBakuRow {
  procedureCode: string;
  procedureTitle: string;
  stepNo: number;
  /** "Verifikasi pejabat penilai". */
  label: string;
  uraian: string;
  /** The SOP's waktu for the step, in working minutes. */
  standardMinutes: number;
  /** Finished visits measured (completed or returned; cancelled visits say nothing about the step). */
  count: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  withinStandard: number;
  /** withinStandard / count; null without measurements. */
  withinShare: number | null;
}

/**
 * The p-th percentile (0..1) of ascending `sorted` values, interpolating linearly between the closest ranks
 * (the same definition as PostgreSQL's percentile_cont): with n values the rank is p × (n − 1).
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile: p must be within 0..1, got ${p}`);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

type Summary = Pick<MutuBakuRow, 'count' | 'medianMinutes' | 'p90Minutes' | 'withinStandard' | 'withinShare'>;

/** Median, p90 and the share within the standard of a list of durations (minutes). */
export function summariseDurations(durations: ArrayLike<number>, standardMinutes: number): Summary {
  return summariseSorted(Float64Array.from(durations).sort(), standardMinutes);
}

/** The same of durations already sorted ascending (a Float64Array sorted in place: no copy of 10^6 numbers). */
function summariseSorted(sorted: Float64Array, standardMinutes: number): Summary {
  if (sorted.length === 0) return { count: 0, medianMinutes: null, p90Minutes: null, withinStandard: 0, withinShare: null };
  // Within the standard means at most the standard, to the second (durations are fractional minutes).
  let withinStandard = 0;
  while (withinStandard < sorted.length && sorted[withinStandard]! <= standardMinutes + 1e-9) withinStandard++;
  return {
    count: sorted.length,
    medianMinutes: percentile(sorted, 0.5),
    p90Minutes: percentile(sorted, 0.9),
    withinStandard,
    withinShare: withinStandard / sorted.length,
  };
}

/**
 * A step's durations as its slices of visits arrive: one exact Float64Array per slice (8 bytes a visit, outside
 * the JS heap), joined into one only when the step is summarised.
 */
class Durations {
  private readonly chunks: Float64Array[] = [];
  length = 0;

  add(chunk: Float64Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** Every duration, sorted ascending (in place, in the joined array); the chunks are let go. */
  sorted(): Float64Array {
    let all = this.chunks[0] ?? new Float64Array(0);
    if (this.chunks.length > 1) {
      all = new Float64Array(this.length);
      let at = 0;
      for (const chunk of this.chunks) {
        all.set(chunk, at);
        at += chunk.length;
      }
    }
    this.chunks.length = 0;
    return all.sort();
  }
}

/**
 * Visits per row at most: ~120 kB of text per array, and 64 kB per parsed array, below V8's large-object size
 * (slices of 32,768 visits went to the large-object space: 233–251 MB RSS against 222–228 MB for mutu baku alone
 * at 10^5 employees, same time).
 */
const SLICE = 8192;

export interface MutuBakuInput {
  period: ReportPeriod;
  scope: ReportScope;
}

/**
 * Every step of every procedure the period's cases ran, in template order (annual procedures first), with
 * its measured durations. Steps no visit finished yet are listed with count 0.
 */
export async function measureMutuBaku(
  deps: ReportDeps,
  input: MutuBakuInput,
  /** Visits handed over per row (a test gives a small one, so a step's visits come in several slices). */
  slice: number = SLICE,
): Promise<MutuBakuRow[]> {
  if (!Number.isInteger(slice) || slice < 1) throw new RangeError(`measureMutuBaku: slice must be a positive integer, got ${slice}`);
  const { period, scope } = input;
  const periodCondition =
    period.kind === 'year'
      ? sql`(c.period = ${String(period.year)} or c.period like ${`${period.year}-%`})`
      : sql`c.period = ${periodKey(period)}`;
  // The whole agency needs no roster join, which is half the statement's time at ~5·10^5 visits.
  const scoped =
    scope.kind === 'all'
      ? sql``
      : sql`join employees e on e.id = c.subject_id join units u on u.id = e.unit_id and ${scopeCondition(scope)}`;
  // A step's visits' epoch milliseconds as two aligned arrays (aggregated by hash, as a whole step), handed over in
  // slices of at most SLICE visits, each row with the step's count of visits: a few hundred rows to parse instead
  // of a row object per visit (~6·10^6 for a year of 10^5 employees). A whole step in one row was ~28 MB of text
  // per array at 10^6 visits, held as the socket's chunks, the message, the text and the parsed numbers at once.
  // (Grouping by a slice key instead made PostgreSQL sort the 6·10^6 visits: 3 s slower.) Read a row at a time,
  // the next while one is worked on: rows read ahead in fours outlived the young generation (216 against 211 MB
  // for mutu baku alone at 10^5 employees, and no faster).
  const visits = rowBatches<{ code: string; step_no: number; visits: number; entered_ms: unknown; completed_ms: unknown }>(
    deps.db,
    sql`
      select s.code, s.step_no, s.visits,
        s.entered_ms[k * ${sql.raw(String(slice))} + 1 : (k + 1) * ${sql.raw(String(slice))}] as entered_ms,
        s.completed_ms[k * ${sql.raw(String(slice))} + 1 : (k + 1) * ${sql.raw(String(slice))}] as completed_ms
      from (
        select c.procedure_code as code, cs.step_no, count(*)::int as visits,
          array_agg(${epochMs('cs.entered_at')}) as entered_ms, array_agg(${epochMs('cs.completed_at')}) as completed_ms
        from case_steps cs join cases c on c.id = cs.case_id ${scoped}
        where ${periodCondition} and cs.completed_at is not null and cs.outcome in ('completed', 'returned')
        group by 1, 2
      ) s cross join generate_series(0, (s.visits - 1) / ${sql.raw(String(slice))}) as k`,
    1,
  );
  const used = await deps.db.execute(sql`
      select distinct c.procedure_code as code from cases c ${scoped}
      where ${periodCondition}`);

  // A step is summarised as soon as all its visits are in, and its durations let go: the slices of a step come
  // one after another, so about one step's durations are held at a time.
  const summaries = new Map<string, Summary>();
  const open = new Map<string, Durations>();
  const calendar = deps.calendar;
  for await (const rows of readAhead(visits)) {
    for (const v of rows) {
      const key = `${v.code}#${v.step_no}`;
      let durations = open.get(key);
      if (!durations) open.set(key, (durations = new Durations()));
      const entered = numbers(v.entered_ms);
      const completed = numbers(v.completed_ms);
      const chunk = new Float64Array(entered.length);
      for (let i = 0; i < entered.length; i++) {
        chunk[i] = calendar.workingMinutesBetween(new Date(Math.round(entered[i]!)), new Date(Math.round(completed[i]!)));
      }
      durations.add(chunk);
      if (durations.length < Number(v.visits)) continue;
      open.delete(key);
      const standard = standardMinutesOf(deps, v.code, v.step_no);
      if (standard !== null) summaries.set(key, summariseSorted(durations.sorted(), standard));
    }
  }

  const procs: Procedure[] = [];
  for (const r of rowsOf<{ code: string }>(used)) {
    try {
      procs.push(deps.procedures.get(r.code));
    } catch {
      // A case of a template this deployment no longer knows: nothing to measure it against.
    }
  }
  const annual = new Set(annualProcedures(deps.procedures).map((p) => p.code));
  procs.sort((a, b) => Number(annual.has(b.code)) - Number(annual.has(a.code)) || a.code.localeCompare(b.code));
  return procs.flatMap((proc) =>
    proc.steps.map((step) => ({
      procedureCode: proc.code,
      procedureTitle: proc.title,
      stepNo: step.no,
      label: stepLabel(step),
      uraian: step.uraian,
      standardMinutes: step.timeStandardMinutes,
      ...(summaries.get(`${proc.code}#${step.no}`) ?? summariseSorted(new Float64Array(0), step.timeStandardMinutes)),
    })),
  );
}

/** The time standard of a step of a template; null for a template or step this deployment no longer knows. */
function standardMinutesOf(deps: ReportDeps, code: string, stepNo: number): number | null {
  try {
    return deps.procedures.get(code).steps.find((s) => s.no === stepNo)?.timeStandardMinutes ?? null;
  } catch {
    return null;
  }
}

/** A float8[] as the driver returns it: a JS array (PGlite) or PostgreSQL's text form '{1,2,3}' (postgres.js here). */
function numbers(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  const text = String(value ?? '');
  // '{1,2}' → '[1,2]': the native JSON parser reads 10^6 numbers several times faster than split + Number.
  return text.length <= 2 ? [] : (JSON.parse(`[${text.slice(1, -1)}]`) as number[]);
}
