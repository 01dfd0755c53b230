// The "Angka Kredit" facts: per jabatan fungsional, the AK its predikat earn over a period: the annual predikat
// for a whole year when there is one, else the periodic ones (Peraturan BKN 3/2023; arithmetic in domain/angka-kredit.ts).
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.js';
import { angkaKreditOfYear, koefisienOf } from '../domain/angka-kredit.js';
import { isPeriodKey, MONTHS_PER_PERIOD, periodOfKey } from '../domain/period.js';
import { annualEvaluationProcedures } from './annual-evaluation.js';
import { PREDIKATS, type Predikat } from '../domain/predikat.js';
import { codeList, monthlyProcedures, periodKey, scopeCondition, type ReportDeps, type ReportPeriod, type ReportScope } from './reports.js';

export type AkProblem = 'no_jenjang' | 'no_koefisien';

export interface AkFact {
  nip: string;
  nama: string;
  pdName: string;
  jabatan: string;
  jenjang: string | null;
  koefisien: number | null;
  /** Rated months of the period, by predikat. */
  months: Record<Predikat, number>;
  ratedMonths: number;
  /** The annual evaluation's predikat of the year (year exports only); when set it alone gives the AK (12/12). */
  annualPredikat: Predikat | null;
  /** Null when it cannot be computed (see problem). */
  angkaKredit: number | null;
  problem: AkProblem | null;
}

/**
 * Every active jabatan fungsional in scope (jenis_jabatan fungsional, or anyone the roster gave a jenjang), with
 * the AK of the period: for a year with an annual predikat, that predikat over the full year (12/12); otherwise
 * each rated period's predikat counts its months/12 of the year (a month 1/12, a triwulan 3/12, a semester 6/12). Someone without a jenjang
 * or whose jenjang has no koefisien in the deployment table is listed with that problem, never skipped.
 */
export async function angkaKreditFacts(
  deps: ReportDeps,
  input: { period: ReportPeriod; scope: ReportScope; koefisien: Readonly<Record<string, number>> },
): Promise<AkFact[]> {
  const { period, scope } = input;
  const periodCondition =
    period.kind === 'periodic'
      ? sql`c.period = ${periodKey(period)}`
      : sql`c.period like ${`${period.year}-%`}`;
  // The year's annual evaluation (latest not cancelled, rated): a keberatan decision has already rewritten it.
  const annualCodes = annualEvaluationProcedures(deps.procedures);
  const annualPredikat =
    period.kind === 'year' && annualCodes.length > 0
      ? sql`(select a.predikat from cases a where a.subject_id = e.id and a.period = ${String(period.year)}
          and a.procedure_code in ${codeList(annualCodes)} and a.status <> 'cancelled' and a.predikat is not null
          order by a.created_at desc, a.id desc limit 1)`
      : sql`null::text`;
  const rows = rowsOf<{
    nip: string;
    nama: string;
    pd_name: string;
    jabatan: string;
    jenjang: string | null;
    predikats: Array<{ period: string; predikat: Predikat }> | string | null;
    annual_predikat: string | null;
  }>(
    await deps.db.execute(sql`
      with mc as (
        select c.subject_id, c.period, c.predikat,
          row_number() over (partition by c.subject_id, c.period order by c.created_at desc, c.id desc) as rn
        from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
        where ${periodCondition} and c.procedure_code in ${codeList(monthlyProcedures(deps.procedures))}
          and c.status <> 'cancelled' and e.active and ${scopeCondition(scope)}
      )
      select e.nip, e.nama, pd.name as pd_name, e.jabatan, e.jenjang,
        (select coalesce(json_agg(json_build_object('period', mc.period, 'predikat', mc.predikat) order by mc.period), '[]'::json) from mc
          where mc.subject_id = e.id and mc.rn = 1 and mc.predikat is not null) as predikats,
        ${annualPredikat} as annual_predikat
      from employees e join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
      where e.active and (e.jenis_jabatan = 'fungsional' or e.jenjang is not null) and ${scopeCondition(scope)}
      order by pd.name, e.nama, e.nip`),
  );
  return rows.map((r) => {
    const predikats = (typeof r.predikats === 'string' ? JSON.parse(r.predikats) : (r.predikats ?? [])) as Array<{ period: string; predikat: Predikat }>;
    // A period's predikat counts for every month it covers: a triwulan 3/12, a semester 6/12.
    const months = Object.fromEntries(PREDIKATS.map((p) => [p, 0])) as Record<Predikat, number>;
    for (const p of predikats) months[p.predikat] += isPeriodKey(p.period) ? MONTHS_PER_PERIOD[periodOfKey(p.period).kind] : 1;
    const koefisien = r.jenjang ? koefisienOf(input.koefisien, r.jenjang) : null;
    const problem: AkProblem | null = !r.jenjang ? 'no_jenjang' : koefisien === null ? 'no_koefisien' : null;
    const annualPredikat = (r.annual_predikat as Predikat | null) ?? null;
    const ak = koefisien === null ? null : angkaKreditOfYear({ annual: annualPredikat, periodicMonths: months }, koefisien);
    return {
      nip: r.nip,
      nama: r.nama,
      pdName: r.pd_name,
      jabatan: r.jabatan,
      jenjang: r.jenjang,
      koefisien,
      months,
      ratedMonths: Object.values(months).reduce((a, b) => a + b, 0),
      annualPredikat,
      angkaKredit: ak,
      problem,
    };
  });
}
