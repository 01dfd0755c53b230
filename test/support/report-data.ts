// Generator of a large, realistic monitoring dataset: a roster, then a year of annual SKP and monthly cases in
// every state, with step visits, events, SLA due times and predikat, bulk-inserted in a few statements.
//
// Cases are simulated step by step through the deployment's templates (returns, resubmissions, cancellations,
// open steps past their SLA), with durations in working time on the deployment calendar. Everything inserted is
// also returned, so tests can count it independently of the report SQL.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { importRoster } from '../../src/app/import-roster.js';
import type { ProcedureRegistry } from '../../src/app/procedures.js';
import type { Db } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/client.js';
import type { WorkingCalendar } from '../../src/domain/calendar.js';
import { predikatOf, type Predikat, type Rating } from '../../src/domain/predikat.js';
import { RETURNABLE_ACTIONS, type Procedure, type Step, type StepActor } from '../../src/domain/procedure.js';
import { parseRoster } from '../../src/domain/roster.js';
import { generateRoster } from './roster-gen.js';

export interface ReportDataOptions {
  /** Generate a roster of this size with roster-gen and import it; omit to use the employees already stored. */
  roster?: { employees: number; perangkatDaerah: number; seed?: number };
  year: number;
  /** Months 1..months get monthly cases (realisation of month M is submitted early in M+1). */
  months: number;
  /** No generated instant is later than this. */
  now: Date;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
  /** Realisation of month M is due on this day of month M+1 (config monthly.deadlineDay). */
  deadlineDay?: number;
  seed?: number;
  /** Share of employees given a Telegram account (default 0.7). */
  linkedShare?: number;
  /** Share of staff (no subordinates, no role) deactivated after their cases exist (default 0.02). */
  inactiveShare?: number;
  /**
   * Share of cases started more than 45 days before `now` that ran to the end (default 0.9, as in a real agency);
   * the rest stop at a random step. Tests lower it to see every state often.
   */
  settledShare?: number;
  /** Keep every step visit in the result (memory-heavy at bench size; default true). */
  keepSteps?: boolean;
}

export interface GeneratedEmployee {
  id: string;
  nip: string;
  nama: string;
  pdId: string;
  pdName: string;
  atasanId: string | null;
  active: boolean;
  linked: boolean;
}

export interface GeneratedCase {
  id: string;
  procedureCode: string;
  subjectId: string;
  period: string;
  status: 'active' | 'returned' | 'completed' | 'cancelled';
  stepNo: number;
  revision: number;
  version: number;
  assigneeId: string | null;
  stepEnteredAt: Date;
  slaDueAt: Date | null;
  overdueAt: Date | null;
  late: boolean;
  predikat: Predikat | null;
  submittedAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface GeneratedStep {
  caseId: string;
  stepNo: number;
  revision: number;
  assigneeId: string | null;
  enteredAt: Date;
  completedAt: Date | null;
  outcome: 'completed' | 'returned' | 'cancelled' | null;
  actorId: string | null;
}

export interface GeneratedEvent {
  caseId: string;
  at: Date;
  actorId: string | null;
  action: 'start' | 'complete' | 'return' | 'resubmit' | 'cancel';
  fromStepNo: number;
  toStepNo: number | null;
  revision: number;
  comment: string | null;
}

export interface ReportData {
  employees: GeneratedEmployee[];
  cases: GeneratedCase[];
  steps: GeneratedStep[];
  stepCount: number;
  eventCount: number;
  /** Events inserted per case period ('2026', '2026-03'). */
  eventsByPeriod: Map<string, number>;
}

// mulberry32: small, fast and deterministic.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const CHUNK = 20_000;

type CopyValue = string | number | boolean | Date | null;

/** One value in COPY's text format. */
function copyText(value: CopyValue): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** COPY ... FROM STDIN: an order of magnitude faster than INSERT for 10^5–10^6 generated rows. */
async function copyRows(pg: postgres.Sql, table: string, columns: readonly string[], rows: CopyValue[][]): Promise<void> {
  if (rows.length === 0) return;
  const writable = await pg.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
  async function* lines() {
    for (let i = 0; i < rows.length; i += 1000) {
      yield rows
        .slice(i, i + 1000)
        .map((r) => `${r.map(copyText).join('\t')}\n`)
        .join('');
    }
  }
  await pipeline(Readable.from(lines()), writable);
}

const CASE_COLUMNS = [
  'id',
  'procedure_code',
  'subject_id',
  'period',
  'status',
  'step_no',
  'revision',
  'version',
  'assignee_id',
  'step_entered_at',
  'sla_due_at',
  'overdue_at',
  'late',
  'predikat',
  'submitted_at',
  'created_at',
  'updated_at',
  'completed_at',
] as const;
const STEP_COLUMNS = ['case_id', 'step_no', 'revision', 'assignee_id', 'entered_at', 'completed_at', 'outcome', 'actor_id'] as const;
const EVENT_COLUMNS = ['case_id', 'at', 'actor_id', 'action', 'from_step_no', 'to_step_no', 'revision', 'comment'] as const;

interface Organisation {
  employees: GeneratedEmployee[];
  pengelolaOf: Map<string, string>;
  kepalaOf: Map<string, string>;
  bkpp: string | null;
  byId: Map<string, GeneratedEmployee>;
  hasReports: Set<string>;
  hasRole: Set<string>;
}

async function loadOrganisation(db: Db): Promise<Organisation> {
  const rows = rowsOf<{ id: string; nip: string; nama: string; atasan_id: string | null; pd_id: string; pd_name: string; active: boolean; linked: boolean; atasan_pd: string | null }>(
    await db.execute(sql`select e.id, e.nip, e.nama, e.atasan_id, u.perangkat_daerah_id as pd_id, pd.name as pd_name, e.active,
        e.telegram_user_id is not null as linked, au.perangkat_daerah_id as atasan_pd
      from employees e join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
      left join employees a on a.id = e.atasan_id left join units au on au.id = a.unit_id
      order by e.nip`),
  );
  const roles = rowsOf<{ employee_id: string; role: string; unit_id: string | null; nip: string }>(
    await db.execute(sql`select r.employee_id, r.role, r.unit_id, e.nip from employee_roles r join employees e on e.id = r.employee_id order by e.nip`),
  );
  const employees = rows.map((r) => ({ id: r.id, nip: r.nip, nama: r.nama, pdId: r.pd_id, pdName: r.pd_name, atasanId: r.atasan_id, active: r.active, linked: r.linked }));
  const pengelolaOf = new Map<string, string>();
  let bkpp: string | null = null;
  const hasRole = new Set<string>();
  for (const r of roles) {
    hasRole.add(r.employee_id);
    if (r.role === 'pengelola' && r.unit_id && !pengelolaOf.has(r.unit_id)) pengelolaOf.set(r.unit_id, r.employee_id);
    if (r.role === 'bkpp_admin' && bkpp === null) bkpp = r.employee_id;
  }
  const kepalaOf = new Map<string, string>();
  for (const r of rows) if ((r.atasan_id === null || r.atasan_pd !== r.pd_id) && !kepalaOf.has(r.pd_id)) kepalaOf.set(r.pd_id, r.id);
  const hasReports = new Set(rows.filter((r) => r.atasan_id).map((r) => r.atasan_id!));
  return { employees, pengelolaOf, kepalaOf, bkpp, byId: new Map(employees.map((e) => [e.id, e])), hasReports, hasRole };
}

function holderOf(org: Organisation, actor: StepActor, subject: GeneratedEmployee): string | null {
  switch (actor) {
    case 'subject':
      return subject.id;
    case 'atasan':
      return subject.atasanId;
    case 'atasan_atasan':
      return subject.atasanId ? (org.byId.get(subject.atasanId)?.atasanId ?? null) : null;
    case 'pengelola':
      return org.pengelolaOf.get(subject.pdId) ?? null;
    case 'kepala_unit':
      return org.kepalaOf.get(subject.pdId) ?? null;
    case 'bkpp':
      return org.bkpp;
  }
}

export async function generateReportData(database: { db: Db; url: string }, options: ReportDataOptions): Promise<ReportData> {
  const pg = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    // The generated rows reference each other correctly by construction; skipping the per-row foreign-key
    // triggers (as pg_restore does) makes loading a year of 10^4 employees several times faster. Needs a
    // superuser, as the local and CI test servers are; without one the checks simply run.
    await pg.unsafe('set session_replication_role = replica').catch(() => undefined);
    return await generate(database.db, pg, options);
  } finally {
    await pg.end({ timeout: 5 });
  }
}

async function generate(db: Db, pg: postgres.Sql, options: ReportDataOptions): Promise<ReportData> {
  const { calendar, procedures, now, year } = options;
  const random = rng(options.seed ?? 7);
  const chance = (p: number) => random() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const deadlineDay = options.deadlineDay ?? 5;
  const keepSteps = options.keepSteps ?? true;

  if (options.roster) {
    const { csv } = generateRoster({ ...options.roster, seed: options.roster.seed ?? 1 });
    const parsed = parseRoster(Buffer.from(csv));
    if (!parsed.ok) throw new Error(`generated roster is invalid: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
    await importRoster(db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test:report-data' });
  }
  const org = await loadOrganisation(db);

  // Telegram accounts for a share of the active employees.
  const linkedShare = options.linkedShare ?? 0.7;
  const links: Array<{ id: string; tid: number }> = [];
  org.employees.forEach((e, i) => {
    if (!e.linked && e.active && chance(linkedShare)) {
      e.linked = true;
      links.push({ id: e.id, tid: 1_000_000_000 + i });
    }
  });
  for (let i = 0; i < links.length; i += CHUNK) {
    await db.execute(sql`update employees e set telegram_user_id = x.tid, telegram_chat_id = x.tid, linked_at = ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${JSON.stringify(links.slice(i, i + CHUNK))}::jsonb) as x(id uuid, tid bigint) where e.id = x.id`);
  }

  const cases: GeneratedCase[] = [];
  const steps: GeneratedStep[] = [];
  let pendingSteps: CopyValue[][] = [];
  let pendingEvents: CopyValue[][] = [];
  let stepCount = 0;
  let eventCount = 0;
  const eventsByPeriod = new Map<string, number>();

  const randomInstant = (fromDate: string, days: number): Date => {
    const [y, m, d] = fromDate.split('-').map(Number) as [number, number, number];
    const day = new Date(Date.UTC(y, m - 1, d + Math.floor(random() * days)));
    const local = `${day.getUTCFullYear()}-${pad2(day.getUTCMonth() + 1)}-${pad2(day.getUTCDate())}`;
    const minute = 7 * 60 + 30 + Math.floor(random() * 8 * 60);
    return calendar.nextWorkingInstant(calendar.atLocal(local, `${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}`));
  };
  // Log-uniform between a few minutes and a few working days: most steps are quick, some wait long.
  const duration = (step: Step) => {
    const max = step.actor === 'subject' ? 900 : 2400;
    return Math.exp(Math.log(3) + random() * (Math.log(max) - Math.log(3)));
  };
  const ratings: Rating[] = ['sesuai', 'sesuai', 'sesuai', 'di_atas', 'di_bawah'];

  /** Walks one case through `proc` from `start`, completing up to `target` steps, never past `now`. */
  const simulate = (proc: Procedure, subject: GeneratedEmployee, period: string, start: Date, target: number, deadline: Date | null) => {
    const id = randomUUID();
    const firstSubmit = proc.steps.find((s) => s.actor === 'subject' && s.action === 'submit');
    let idx = 0;
    let revision = 1;
    let version = 1;
    let status: GeneratedCase['status'] = 'active';
    let t = start;
    let submittedAt: Date | null = null;
    let late = false;
    let predikat: Predikat | null = null;
    let completedAt: Date | null = null;
    let returned = false;
    const visits: GeneratedStep[] = [];
    const events: GeneratedEvent[] = [];
    const open = (step: Step, at: Date) =>
      visits.push({ caseId: id, stepNo: step.no, revision, assigneeId: holderOf(org, step.actor, subject), enteredAt: at, completedAt: null, outcome: null, actorId: null });
    const close = (at: Date, outcome: GeneratedStep['outcome']) => {
      const v = visits[visits.length - 1]!;
      v.completedAt = at;
      v.outcome = outcome;
      v.actorId = v.assigneeId;
    };
    events.push({ caseId: id, at: start, actorId: subject.id, action: 'start', fromStepNo: proc.steps[0]!.no, toStepNo: proc.steps[0]!.no, revision, comment: null });
    open(proc.steps[0]!, start);
    for (let done = 0; done < target; done++) {
      const step = proc.steps[idx]!;
      const end = calendar.addWorkingMinutes(t, duration(step));
      if (end > now) break;
      const actorId = holderOf(org, step.actor, subject);
      if (!returned && RETURNABLE_ACTIONS.includes(step.action) && chance(0.12)) {
        returned = true;
        const back = proc.steps.find((s) => s.no === (step.returnTo ?? firstSubmit?.no)) ?? proc.steps[0]!;
        close(end, 'returned');
        events.push({ caseId: id, at: end, actorId, action: 'return', fromStepNo: step.no, toStepNo: back.no, revision, comment: 'Mohon dilengkapi bukti dukungnya' });
        status = 'returned';
        version++;
        idx = proc.steps.indexOf(back);
        open(back, end);
        t = end;
        if (chance(0.3)) break; // still waiting for the correction
        const again = calendar.addWorkingMinutes(t, duration(back));
        if (again > now) break;
        close(again, 'completed');
        revision++;
        version++;
        status = 'active';
        events.push({ caseId: id, at: again, actorId: subject.id, action: 'resubmit', fromStepNo: back.no, toStepNo: proc.steps[idx + 1]?.no ?? null, revision, comment: null });
        if (back === firstSubmit) {
          submittedAt = again;
          late = deadline !== null && again > deadline;
        }
        idx++;
        t = again;
        open(proc.steps[idx]!, again);
        continue;
      }
      close(end, 'completed');
      if (step === firstSubmit) {
        submittedAt = end;
        late = deadline !== null && end > deadline;
      }
      if (step.action === 'rate') predikat = predikatOf(pick(ratings), pick(ratings));
      version++;
      const next = proc.steps[idx + 1];
      events.push({ caseId: id, at: end, actorId, action: 'complete', fromStepNo: step.no, toStepNo: next?.no ?? null, revision, comment: null });
      t = end;
      if (!next) {
        status = 'completed';
        completedAt = end;
        break;
      }
      idx++;
      open(next, end);
    }
    // A few open cases are withdrawn.
    if ((status === 'active' || status === 'returned') && chance(0.02)) {
      const at = calendar.addWorkingMinutes(t, 10);
      if (at <= now) {
        close(at, 'cancelled');
        events.push({ caseId: id, at, actorId: org.bkpp, action: 'cancel', fromStepNo: proc.steps[idx]!.no, toStepNo: null, revision, comment: 'Pegawai pindah tugas' });
        status = 'cancelled';
        completedAt = at;
        version++;
      }
    }
    const current = proc.steps[idx]!;
    const openCase = status === 'active' || status === 'returned';
    const enteredAt = openCase ? visits[visits.length - 1]!.enteredAt : t;
    const slaDueAt = openCase && current.sla.minutes > 0 ? calendar.addWorkingMinutes(enteredAt, current.sla.minutes) : null;
    // The SLA job marks most expired steps; some are still waiting for it (counted by sla_due_at alone).
    const overdueAt = slaDueAt && slaDueAt < now && chance(0.7) ? slaDueAt : null;
    const row: GeneratedCase = {
      id,
      procedureCode: proc.code,
      subjectId: subject.id,
      period,
      status,
      stepNo: current.no,
      revision,
      version,
      assigneeId: openCase ? holderOf(org, current.actor, subject) : null,
      stepEnteredAt: enteredAt,
      slaDueAt,
      overdueAt,
      late,
      predikat,
      submittedAt,
      createdAt: start,
      completedAt,
    };
    cases.push(row);
    for (const v of visits) {
      if (keepSteps) steps.push(v);
      pendingSteps.push([v.caseId, v.stepNo, v.revision, v.assigneeId, v.enteredAt, v.completedAt, v.outcome, v.actorId]);
    }
    for (const e of events) {
      pendingEvents.push([e.caseId, e.at, e.actorId, e.action, e.fromStepNo, e.toStepNo, e.revision, e.comment]);
    }
    stepCount += visits.length;
    eventCount += events.length;
    eventsByPeriod.set(period, (eventsByPeriod.get(period) ?? 0) + events.length);
  };

  const flush = async (force: boolean) => {
    if (!force && pendingSteps.length < CHUNK * 5) return;
    // Cases first: steps and events reference them.
    const newCases = cases.slice(flushedCases);
    flushedCases = cases.length;
    await copyRows(
      pg,
      'cases',
      CASE_COLUMNS,
      newCases.map((c) => [
        c.id,
        c.procedureCode,
        c.subjectId,
        c.period,
        c.status,
        c.stepNo,
        c.revision,
        c.version,
        c.assigneeId,
        c.stepEnteredAt,
        c.slaDueAt,
        c.overdueAt,
        c.late,
        c.predikat,
        c.submittedAt,
        c.createdAt,
        c.completedAt ?? c.stepEnteredAt,
        c.completedAt,
      ]),
    );
    await copyRows(pg, 'case_steps', STEP_COLUMNS, pendingSteps);
    await copyRows(pg, 'case_events', EVENT_COLUMNS, pendingEvents);
    pendingSteps = [];
    pendingEvents = [];
  };
  let flushedCases = 0;

  // How many steps a case gets through: cases started long ago are mostly finished; recent ones still moving.
  const settledShare = options.settledShare ?? 0.9;
  const progress = (proc: Procedure, start: Date) => {
    const settled = now.getTime() - start.getTime() > 45 * 24 * 3600 * 1000;
    return chance(settled ? settledShare : 0.5) ? proc.steps.length + 2 : Math.floor(random() * (proc.steps.length + 1));
  };
  const annualStart = `${year}-01-02`;
  for (const subject of org.employees) {
    if (!subject.active) continue;
    const annual = procedures.forUnit('skpAnnual', subject.pdName);
    const monthly = procedures.forUnit('monthly', subject.pdName);
    // Annual SKP: most started in January; progress from a draft to received.
    if (!chance(0.06)) {
      const start = randomInstant(annualStart, 25);
      if (start <= now) simulate(annual, subject, String(year), start, progress(annual, start), null);
    }
    for (let month = 1; month <= options.months; month++) {
      const nextYear = month === 12 ? year + 1 : year;
      const nextMonth = month === 12 ? 1 : month + 1;
      const first = `${nextYear}-${pad2(nextMonth)}-01`;
      if (chance(0.08)) continue; // no realisation started at all
      const start = randomInstant(first, 9);
      if (start > now) continue;
      const deadline = calendar.atLocal(`${nextYear}-${pad2(nextMonth)}-${pad2(deadlineDay)}`, '23:59');
      simulate(monthly, subject, `${year}-${pad2(month)}`, start, progress(monthly, start), deadline);
    }
    await flush(false);
  }
  await flush(true);

  // Leavers: plain staff deactivated after their cases exist, so reports must leave them out.
  const inactiveShare = options.inactiveShare ?? 0.02;
  const leavers = org.employees.filter((e) => e.active && !org.hasReports.has(e.id) && !org.hasRole.has(e.id) && chance(inactiveShare));
  for (const e of leavers) e.active = false;
  if (leavers.length > 0) {
    await db.execute(sql`update employees set active = false
      where id in (select (x->>0)::uuid from jsonb_array_elements(${JSON.stringify(leavers.map((e) => [e.id]))}::jsonb) x)`);
  }
  await db.execute(sql`analyze`);
  return { employees: org.employees, cases, steps, stepCount, eventCount, eventsByPeriod };
}
