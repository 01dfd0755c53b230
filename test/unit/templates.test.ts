// The built-in templates: each validates, matches its seed's table, and can be walked end to end, with returns.
import { describe, expect, it } from 'vitest';
import {
  currentStep,
  startCase,
  transition,
  type CaseState,
  type TransitionContext,
} from '../../src/domain/case.js';
import { DomainError } from '../../src/domain/errors.js';
import {
  RETURNABLE_ACTIONS,
  defineProcedure,
  type Procedure,
  type Step,
  type StepActor,
  type StepAction,
} from '../../src/domain/procedure.js';
import { defaultProcedures, getTemplate, templates } from '../../src/domain/templates/index.js';

const SUBJECT = 'emp-subject';
const PEOPLE: Record<StepActor, string> = {
  subject: SUBJECT,
  atasan: 'emp-atasan',
  atasan_atasan: 'emp-atasan-atasan',
  pengelola: 'emp-pengelola',
  kepala_unit: 'emp-kepala',
  bkpp: 'emp-bkpp',
};

/** The seed tables (domain.md §4 and the seed files): step no, actor, action, time standard in minutes. */
const SEED_TABLES: Record<string, Array<[number, StepActor, StepAction, number]>> = {
  'skp-banyuwangi': [
    [3, 'subject', 'submit', 30],
    [4, 'atasan', 'verify', 10],
    [5, 'atasan_atasan', 'establish', 10],
    [6, 'pengelola', 'collect', 30],
    [7, 'bkpp', 'receive', 10],
  ],
  'skp-balangan': [
    [1, 'subject', 'submit', 75], // seed steps 1 (60 min) and 2 (15 min) merged
    [4, 'atasan', 'verify', 30],
    [5, 'subject', 'print', 10],
    [6, 'atasan', 'sign', 10],
    [7, 'atasan', 'archive', 10],
  ],
  'skp-tangerang': [
    [1, 'subject', 'submit', 3 * 450],
    [2, 'atasan', 'establish', 60],
  ],
  'bulanan-tangerang': [
    [3, 'subject', 'submit', 60],
    [4, 'atasan', 'rate', 30],
    [5, 'atasan', 'sign', 30],
    [6, 'subject', 'acknowledge', 10],
    [7, 'subject', 'archive', 10],
  ],
  'pengukuran-inspektorat': [
    [1, 'subject', 'submit', 120],
    [2, 'pengelola', 'verify', 120],
    [3, 'pengelola', 'submit', 60],
    [4, 'atasan', 'rate', 60],
    [5, 'atasan', 'sign', 60],
    [6, 'pengelola', 'print', 60],
    [7, 'pengelola', 'archive', 15],
  ],
  'asn-berprestasi': [
    [1, 'pengelola', 'submit', 30],
    [2, 'kepala_unit', 'establish', 60],
    [4, 'pengelola', 'submit', 30],
    [5, 'kepala_unit', 'sign', 5],
    [6, 'bkpp', 'verify', 60],
    [7, 'bkpp', 'print', 15],
  ],
};

const pdf = { fileId: 'AgAD-file', mimeType: 'application/pdf', sizeBytes: 120_000 };

/** Inputs that satisfy every requirement of a step, the way the bot would send them. */
function inputsFor(step: Step): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const item of step.requires) {
    switch (item.kind) {
      case 'rhk_list':
        inputs.rhk = [
          { jenis: 'utama', text: 'Tersusunnya laporan kinerja instansi tepat waktu' },
          { jenis: 'tambahan', text: 'Terlaksananya pendampingan pegawai baru' },
        ];
        break;
      case 'realisasi':
        inputs.realisasi = [{ rhkId: 'rhk-1', realisasi: '4 laporan selesai', bukti: [pdf] }];
        break;
      case 'rating':
        inputs.rating = { hasilKerja: 'sesuai', perilaku: 'di_atas' };
        break;
      case 'confirm':
        inputs.confirmed = true;
        break;
      case 'text':
        if (!item.optional) inputs[item.key] = 'x'.repeat(item.minLength ?? 12);
        break;
      case 'files':
        if (!item.optional) inputs[item.key] = [pdf];
        break;
      case 'document':
        break;
    }
  }
  return inputs;
}

function ctxFor(step: Step, now: Date): TransitionContext {
  const person = PEOPLE[step.actor];
  return {
    now,
    actor: { employeeId: person, isBkppAdmin: step.actor === 'bkpp' },
    assigneeId: person,
    subjectId: SUBJECT,
  };
}

const minutesLater = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

/** Completes steps with the right actor and inputs until the case sits on `untilStepNo` (or completes). */
function walk(proc: Procedure, state: CaseState, untilStepNo?: number): CaseState {
  let current = state;
  for (let guard = 0; current.status === 'active' && current.stepNo !== untilStepNo; guard += 1) {
    if (guard > 50) throw new Error('walk did not terminate');
    const step = currentStep(proc, current);
    const now = minutesLater(current.stepEnteredAt, 5);
    const result = transition(
      proc,
      current,
      { kind: 'complete', stepNo: step.no, inputs: inputsFor(step) },
      ctxFor(step, now),
    );
    expect(result.completedStep.no).toBe(step.no);
    expect(result.state.version).toBe(current.version + 1);
    expect(result.event).toMatchObject({ action: 'complete', fromStepNo: step.no, actorId: PEOPLE[step.actor], onBehalf: false });
    current = result.state;
  }
  return current;
}

const START = new Date('2026-01-05T00:30:00.000Z'); // Monday 07.30 WIB

describe('template registry', () => {
  it('holds one procedure per code, including both Tangerang parts', () => {
    expect(Object.keys(templates).sort()).toEqual([...Object.keys(SEED_TABLES), ...Object.keys(REGULATION_TABLES)].sort());
    for (const [code, proc] of Object.entries(templates)) expect(proc.code).toBe(code);
  });

  it('looks templates up and refuses unknown codes', () => {
    expect(getTemplate('skp-balangan').code).toBe('skp-balangan');
    expect(() => getTemplate('skp-atlantis')).toThrow(DomainError);
    try {
      getTemplate('toString');
      expect.unreachable();
    } catch (error) {
      expect((error as DomainError).code).toBe('UNKNOWN_PROCEDURE');
    }
  });

  it('names defaults that exist and fit their use', () => {
    expect(getTemplate(defaultProcedures.skpAnnual).purpose).toBe('skp_annual');
    // PermenPANRB 6/2022: the pejabat penilai (atasan) establishes the SKP.
    expect(getTemplate(defaultProcedures.skpAnnual).steps.map((s) => [s.actor, s.action])).toEqual([
      ['subject', 'submit'],
      ['atasan', 'establish'],
    ]);
    expect(getTemplate(defaultProcedures.annualEvaluation)).toMatchObject({ periodKind: 'annual', purpose: 'annual_evaluation' });
    expect(getTemplate(defaultProcedures.monthly)).toMatchObject({ periodKind: 'monthly', purpose: 'monthly_assessment' });
  });
});

/** Templates that follow the regulation rather than a seed SOP: step no, actor, action. */
const REGULATION_TABLES: Record<string, Array<[number, string, string]>> = {
  'skp-permenpan': [
    [1, 'subject', 'submit'],
    [2, 'atasan', 'establish'],
  ],
  'evaluasi-tahunan': [
    [1, 'atasan', 'rate'],
    [2, 'subject', 'acknowledge'],
  ],
};

describe.each(Object.keys(REGULATION_TABLES))('regulation template %s', (code) => {
  const proc = getTemplate(code);
  it('validates again as a definition and follows its table', () => {
    expect(defineProcedure(proc)).toEqual(proc);
    expect(proc.steps.map((s) => [s.no, s.actor, s.action])).toEqual(REGULATION_TABLES[code]);
    expect(proc.source.sopNumber).toBeNull();
  });
  it('walks from the first step to the last', () => {
    const started = startCase(proc, { now: START, subjectId: SUBJECT, actorId: PEOPLE[proc.steps[0]!.actor] });
    expect(walk(proc, started.state).status).toBe('completed');
  });
});

describe.each(Object.keys(SEED_TABLES))('template %s', (code) => {
  const proc = getTemplate(code);
  const table = SEED_TABLES[code]!;

  it('validates again as a definition (round trip)', () => {
    expect(defineProcedure(proc)).toEqual(proc);
  });

  it('follows the seed table: step numbers, actors, actions and time standards', () => {
    expect(proc.steps.map((step) => [step.no, step.actor, step.action, step.timeStandardMinutes])).toEqual(table);
    expect(proc.source.file).toMatch(/^\d{3}_[0-9a-f]{16}\.txt$/);
    for (const step of proc.steps) {
      expect(step.uraian.trim().length).toBeGreaterThan(10);
      expect(step.sla.minutes).toBeGreaterThan(0);
    }
  });

  it('walks from the first step to the last', () => {
    const started = startCase(proc, { now: START, subjectId: SUBJECT, actorId: PEOPLE[proc.steps[0]!.actor] });
    expect(started.state).toMatchObject({ status: 'active', stepNo: proc.steps[0]!.no, revision: 1, version: 1 });
    const done = walk(proc, started.state);
    expect(done).toMatchObject({ status: 'completed', stepNo: proc.steps.at(-1)!.no, revision: 1 });
    expect(done.version).toBe(1 + proc.steps.length);
  });

  const returnable = proc.steps.filter((step) => RETURNABLE_ACTIONS.includes(step.action));
  it.each(returnable.map((step) => [step.no, step.action, step.returnTo] as const))(
    'returns from step %i (%s) to step %i, resubmits and finishes',
    (stepNo, _action, returnTo) => {
      const started = startCase(proc, { now: START, subjectId: SUBJECT });
      const atStep = walk(proc, started.state, stepNo);
      const step = currentStep(proc, atStep);
      const now = minutesLater(atStep.stepEnteredAt, 30);
      const returned = transition(
        proc,
        atStep,
        { kind: 'return', stepNo, reason: 'Target kuantitas belum sesuai Perjanjian Kinerja' },
        ctxFor(step, now),
      );
      expect(returned.state).toMatchObject({ status: 'returned', stepNo: returnTo, revision: 1 });
      expect(returned.event).toMatchObject({ action: 'return', fromStepNo: stepNo, toStepNo: returnTo });

      const target = currentStep(proc, returned.state);
      expect(target.action).toBe('submit');
      const resubmitted = transition(
        proc,
        returned.state,
        { kind: 'resubmit', inputs: inputsFor(target) },
        ctxFor(target, minutesLater(now, 60)),
      );
      const after = proc.steps[proc.steps.indexOf(target) + 1]!;
      expect(resubmitted.state).toMatchObject({ status: 'active', stepNo: after.no, revision: 2 });
      expect(resubmitted.event).toMatchObject({ action: 'resubmit', fromStepNo: returnTo, toStepNo: after.no, revision: 2 });

      const done = walk(proc, resubmitted.state);
      expect(done).toMatchObject({ status: 'completed', revision: 2 });
    },
  );
});

describe('template details', () => {
  it('keeps the Banyuwangi announcements out of the case steps', () => {
    const proc = getTemplate('skp-banyuwangi');
    expect(proc.announcements).toEqual([
      expect.objectContaining({ no: 1, actor: 'bkpp', timeStandardMinutes: 20 }),
      expect.objectContaining({ no: 2, actor: 'bkpp', timeStandardMinutes: 5 }),
    ]);
    expect(proc.steps[0]?.no).toBe(3);
  });

  it('returns every Banyuwangi verification to the PNS draft (step 3)', () => {
    const proc = getTemplate('skp-banyuwangi');
    expect(proc.steps.filter((s) => s.returnTo !== undefined).map((s) => s.returnTo)).toEqual([3, 3, 3, 3]);
  });

  it('has no step 3 in Balangan and the ASN Berprestasi seed', () => {
    expect(getTemplate('skp-balangan').steps.some((s) => s.no === 3)).toBe(false);
    expect(getTemplate('asn-berprestasi').steps.some((s) => s.no === 3)).toBe(false);
  });

  it('sends an ASN Berprestasi return to the unit proposal, not to the nominee', () => {
    const proc = getTemplate('asn-berprestasi');
    expect(proc.steps.find((s) => s.no === 6)?.returnTo).toBe(1);
    expect(proc.steps.some((s) => s.actor === 'subject')).toBe(false);
  });

  it('copies the legal basis of each seed', () => {
    expect(getTemplate('skp-banyuwangi').legalBasis).toHaveLength(6);
    expect(getTemplate('skp-balangan').legalBasis).toHaveLength(5);
    expect(getTemplate('bulanan-tangerang').legalBasis).toEqual(getTemplate('skp-tangerang').legalBasis);
    expect(getTemplate('pengukuran-inspektorat').legalBasis).toHaveLength(7);
    expect(getTemplate('asn-berprestasi').legalBasis).toHaveLength(4);
  });
});
