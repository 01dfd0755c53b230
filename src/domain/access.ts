// The access rules as data: which relation of the acting employee to a target grants which read or action.
//
// Glossary: atasan = pejabat penilai, the direct superior; Plh = pelaksana harian, a colleague acting for an
// official on leave by delegation; pengelola = personnel officer of one perangkat daerah (PD); BKPP admin = the
// regional personnel agency's team, who see everything. The app's access policy (src/app/access-policy.ts) finds
// the relations that hold between a subject and a target; this table says what each relation allows.

export const READS = [
  'caseDetail',
  'caseEvidence',
  'caseDocument',
  'caseEvents',
  'status',
  'recap',
  'export',
  'tasks',
  'verification',
  'nominations',
  'findStandIn',
] as const;
export const ACTIONS = [
  'actOnStep',
  'issueLinkCode',
  'unlink',
  'broadcast',
  'runJobs',
  'importRoster',
  'nominate',
  'collect',
  'delegate',
  'fileKeberatan',
] as const;
export type Read = (typeof READS)[number];
export type Action = (typeof ACTIONS)[number];
export type Operation = Read | Action;

/** How the acting employee stands to a target employee (or to the subject of a target case). */
export const RELATIONS = [
  /** The target is the subject themselves, or their own case. */
  'self',
  /** The subject is the target's atasan (pejabat penilai). */
  'directReport',
  /** The subject is an atasan two or more levels above the target. */
  'reportingChain',
  /** The subject is the pengelola of the target's perangkat daerah. */
  'ownPerangkatDaerah',
  /** The subject is a BKPP admin. */
  'all',
  /** The target works in the subject's own perangkat daerah: a colleague, who may be named as the subject's Plh. */
  'samePerangkatDaerah',
  /** Case only: the subject holds the case's current step. */
  'stepHolder',
  /** Case only: the subject holds the current step as Plh, and the delegation is in force. */
  'plh',
  /** Case only: the current step belongs to a shared role the subject holds (pengelola of the PD, BKPP). */
  'sharedStepRole',
  /** Case only: the subject acted on one of the case's steps before. */
  'participant',
] as const;
export type Relation = (typeof RELATIONS)[number];

const CASE_READERS: readonly Relation[] = [
  'self',
  'directReport',
  'reportingChain',
  'ownPerangkatDaerah',
  'all',
  'stepHolder',
  'plh',
  'participant',
];
/** Monitoring (recaps, exports, event logs) covers direct reports, a pengelola's PD, or everyone. */
const MONITORS: readonly Relation[] = ['directReport', 'ownPerangkatDaerah', 'all'];

/** The table: an operation is allowed when any of its relations holds. */
export const GRANTS: Readonly<Record<Operation, readonly Relation[]>> = {
  // Reads of one case: its parties, everyone above its subject in the reporting chain (the atasan pejabat penilai
  // signs its documents), the pengelola of the PD, BKPP, and whoever holds or held one of its steps.
  caseDetail: CASE_READERS,
  caseEvidence: CASE_READERS,
  caseDocument: CASE_READERS,
  caseEvents: MONITORS,
  status: ['self'],
  recap: MONITORS,
  export: MONITORS,
  tasks: ['self'],
  // A verification code is printed on paper for anyone to check: every active, linked employee may.
  verification: ['self'],
  nominations: ['ownPerangkatDaerah', 'all'],
  // Whom a name typed for a Plh finds (/wakil Melati …): a Plh is usually a colleague of the same perangkat daerah,
  // not only someone the subject monitors. It shows names and NIPs, nothing of their cases.
  findStandIn: ['samePerangkatDaerah', 'directReport', 'reportingChain', 'ownPerangkatDaerah', 'all'],
  actOnStep: ['stepHolder', 'plh', 'sharedStepRole'],
  issueLinkCode: ['ownPerangkatDaerah', 'all'],
  unlink: ['all'],
  broadcast: ['ownPerangkatDaerah', 'all'],
  runJobs: ['all'],
  importRoster: ['all'],
  nominate: ['ownPerangkatDaerah'],
  // The pengelola gathers their perangkat daerah's SKP; BKPP receives them all (/kumpulkan both).
  collect: ['ownPerangkatDaerah', 'all'],
  // Whoever receives work (atasan, pengelola, BKPP) may name a Plh for a leave.
  delegate: MONITORS,
  // An objection (PP 30/2019 ps. 59) is the ASN's own: only to their own result, never on someone's behalf.
  fileKeberatan: ['self'],
};

/** What the policy knows of the acting employee. */
export interface AccessSubject {
  id: string;
  active: boolean;
  /** Someone active names this employee as their atasan. */
  isAtasan: boolean;
  /** The perangkat daerah this employee is pengelola of. */
  pengelolaOf: readonly string[];
  bkppAdmin: boolean;
}

/** An employee as the roster describes them (the shape of the app's employee profile). */
export interface RosterPerson {
  id: string;
  active: boolean;
  isAtasan: boolean;
  roles: ReadonlyArray<{ role: string; unitId: string | null }>;
}

export function accessSubjectOf(employee: RosterPerson): AccessSubject {
  return {
    id: employee.id,
    active: employee.active,
    isAtasan: employee.isAtasan,
    pengelolaOf: employee.roles.filter((r) => r.role === 'pengelola' && r.unitId !== null).map((r) => r.unitId!),
    bkppAdmin: employee.roles.some((r) => r.role === 'bkpp_admin'),
  };
}

/** Relations the subject can have to some target at all, given their roles. */
export function reachOf(subject: AccessSubject): Relation[] {
  const reach: Relation[] = ['self', 'stepHolder', 'plh', 'participant'];
  if (subject.isAtasan) reach.push('directReport', 'reportingChain');
  // Only those who may name a Plh look for colleagues.
  if (subject.isAtasan || subject.pengelolaOf.length > 0 || subject.bkppAdmin) reach.push('samePerangkatDaerah');
  if (subject.pengelolaOf.length > 0) reach.push('ownPerangkatDaerah', 'sharedStepRole');
  if (subject.bkppAdmin) reach.push('all', 'sharedStepRole');
  return reach;
}

export type Refusal =
  /** Not active in the roster: nothing is allowed. */
  | 'inactive'
  /** The subject's roles never allow this operation (e.g. an ASN running a job). */
  | 'no_role'
  /** The roles allow it, but not for this target. */
  | 'out_of_scope'
  /** The target does not exist. */
  | 'not_found';

export type Decision = { allowed: true } | { allowed: false; refusal: Refusal };

/** Whether the subject's roles can allow the operation for any target. */
export function mayEver(subject: AccessSubject, operation: Operation): boolean {
  if (!subject.active) return false;
  const reach = reachOf(subject);
  return GRANTS[operation].some((r) => reach.includes(r));
}

/**
 * Decides from the relations that hold between subject and target (null: an operation without a target, such as
 * /jalankan, decided by the subject's roles alone).
 */
export function decide(subject: AccessSubject, operation: Operation, relations: readonly Relation[] | null): Decision {
  if (!subject.active) return { allowed: false, refusal: 'inactive' };
  if (!mayEver(subject, operation)) return { allowed: false, refusal: 'no_role' };
  if (relations === null) return { allowed: true };
  return GRANTS[operation].some((r) => relations.includes(r)) ? { allowed: true } : { allowed: false, refusal: 'out_of_scope' };
}

/** Whom a list-shaped operation (a recap, a broadcast, a nomination list) covers: the broadest scope wins. */
export type AccessScope =
  | { kind: 'none' }
  | { kind: 'self'; employeeId: string }
  | { kind: 'reports'; atasanId: string }
  | { kind: 'perangkatDaerah'; pdIds: string[] }
  | { kind: 'all' };

export function scopeOf(subject: AccessSubject, operation: Operation): AccessScope {
  if (!subject.active) return { kind: 'none' };
  const granted = GRANTS[operation].filter((r) => reachOf(subject).includes(r));
  if (granted.includes('all')) return { kind: 'all' };
  if (granted.includes('ownPerangkatDaerah')) return { kind: 'perangkatDaerah', pdIds: [...subject.pengelolaOf] };
  if (granted.includes('directReport')) return { kind: 'reports', atasanId: subject.id };
  if (granted.includes('self')) return { kind: 'self', employeeId: subject.id };
  return { kind: 'none' };
}
