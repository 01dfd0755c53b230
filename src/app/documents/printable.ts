// Which procedures print which document, at which steps, and which printable cases a viewer may list.
import { and, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AppConfig } from '../../config.js';
import type { Db, DbOrTx } from '../../db/client.js';
import { cases, employees, units } from '../../db/schema/index.js';
import type { Procedure, StepAction } from '../../domain/procedure.js';
import type { AccessPolicy } from '../access-policy.js';
import type { ProcedureRegistry } from '../procedures.js';

export type DocumentKind = 'skp' | 'evaluasi';

/** The procedures this module needs to know: by code, and all of them (to find SKP procedures by purpose). */
export type ProcedureLookup = Pick<ProcedureRegistry, 'get' | 'all'>;

export interface DocumentDeps {
  db: Db;
  procedures: ProcedureLookup;
  config: AppConfig;
  access: Pick<AccessPolicy, 'require'>;
}

/** Which document a procedure prints; null for procedures without one (e.g. the ASN Berprestasi nomination). */
export function documentKindFor(procedure: Pick<Procedure, 'purpose'>): DocumentKind | null {
  switch (procedure.purpose) {
    case 'skp_annual':
      return 'skp';
    case 'monthly_assessment':
    case 'performance_measurement':
    case 'annual_evaluation':
      return 'evaluasi';
    default:
      return null;
  }
}

/** The decision after which a document exists: the SKP is approved/established, the month is rated. */
export const DECISION_ACTIONS: Record<DocumentKind, readonly StepAction[]> = {
  skp: ['verify', 'establish'],
  evaluasi: ['rate'],
};

/**
 * Step numbers at which an active case has a printable document: every step after the procedure's last
 * decision step (for Balangan the print step itself, for Banyuwangi collect and receive).
 */
export function printableStepNos(procedure: Procedure): number[] {
  const kind = documentKindFor(procedure);
  if (!kind) return [];
  let lastDecision = -1;
  procedure.steps.forEach((step, index) => {
    if (DECISION_ACTIONS[kind].includes(step.action)) lastDecision = index;
  });
  return procedure.steps.slice(lastDecision + 1).map((step) => step.no);
}

/** A returned case is being corrected and a cancelled one has no valid content: neither prints. */
export function isPrintable(procedure: Procedure, state: { status: string; stepNo: number }): boolean {
  if (!documentKindFor(procedure)) return false;
  if (state.status === 'completed') return true;
  return state.status === 'active' && printableStepNos(procedure).includes(state.stepNo);
}


export interface PrintableCase {
  caseId: string;
  kind: DocumentKind;
  period: string;
  subjectId: string;
  subjectNama: string;
  subjectNip: string;
  updatedAt: Date;
}

/**
 * The printable cases the viewer may print (the access policy's condition over cases `c`, subject `e`, unit `u`),
 * latest first.
 */
export async function listPrintableCases(
  deps: { db: DbOrTx; procedures: ProcedureLookup },
  input: { visible: SQL; subjectId?: string; limit?: number },
): Promise<PrintableCase[]> {
  const printable = deps.procedures.all().filter((p) => documentKindFor(p) !== null);
  if (printable.length === 0) return [];
  // The aliases the access policy's condition is written over.
  const c = alias(cases, 'c');
  const e = alias(employees, 'e');
  const u = alias(units, 'u');
  const kindByCode = new Map(printable.map((p) => [p.code, documentKindFor(p)!]));
  const activeConditions = printable.flatMap((p) => {
    const steps = printableStepNos(p);
    return steps.length > 0 ? [and(eq(c.procedureCode, p.code), inArray(c.stepNo, steps))!] : [];
  });
  const printableCondition = or(
    and(eq(c.status, 'completed'), inArray(c.procedureCode, [...kindByCode.keys()])),
    ...(activeConditions.length > 0 ? [and(eq(c.status, 'active'), or(...activeConditions))] : []),
  );
  const rows = await deps.db
    .select({
      caseId: c.id,
      procedureCode: c.procedureCode,
      period: c.period,
      subjectId: c.subjectId,
      subjectNama: e.nama,
      subjectNip: e.nip,
      updatedAt: c.updatedAt,
    })
    .from(c)
    .innerJoin(e, eq(e.id, c.subjectId))
    .innerJoin(u, eq(u.id, e.unitId))
    .where(and(printableCondition, input.visible, input.subjectId ? eq(c.subjectId, input.subjectId) : undefined))
    .orderBy(desc(c.updatedAt), desc(c.period))
    .limit(input.limit ?? 10);
  return rows.map(({ procedureCode, ...r }) => ({ ...r, kind: kindByCode.get(procedureCode)! }));
}
