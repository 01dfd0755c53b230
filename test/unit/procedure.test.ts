// Procedure definitions: schema validation with readable problems, defaults, waktu parsing and deployment overrides.
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  DEFAULT_ESCALATION,
  SUBJECT_ESCALATION,
  WORKING_DAY_MINUTES,
  applyOverrides,
  defineProcedure,
  parseWaktu,
  procedureSchema,
  type ProcedureDefinition,
  type StepDefinition,
} from '../../src/domain/procedure.js';

function step(overrides: Partial<StepDefinition> & Pick<StepDefinition, 'no'>): StepDefinition {
  return {
    uraian: `Langkah ${overrides.no}`,
    actor: 'subject',
    action: 'submit',
    requires: [],
    kelengkapanText: '',
    timeStandardMinutes: 30,
    output: '',
    ...overrides,
  };
}

function definition(steps: StepDefinition[], extra: Partial<ProcedureDefinition> = {}): ProcedureDefinition {
  return {
    code: 'uji-coba',
    title: 'Prosedur uji',
    source: { file: 'test.txt', sopNumber: '1/2026', issuer: 'Test' },
    legalBasis: ['UU Nomor 20 Tahun 2023'],
    periodKind: 'annual',
    purpose: 'skp_annual',
    steps,
    ...extra,
  };
}

const valid = () =>
  definition([
    step({ no: 1, requires: [{ kind: 'rhk_list' }] }),
    step({ no: 2, actor: 'atasan', action: 'verify', timeStandardMinutes: 10 }),
    step({ no: 4, actor: 'atasan', action: 'sign', requires: [{ kind: 'confirm' }], timeStandardMinutes: 600 }),
  ]);

/** Runs defineProcedure on a deliberately broken definition and returns its problems. */
function problemsOf(raw: unknown): string[] {
  try {
    defineProcedure(raw as ProcedureDefinition);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe('INVALID_PROCEDURE');
    const problems = domainError.details.problems as string[];
    for (const problem of problems) expect(domainError.message).toContain(problem);
    return problems;
  }
  throw new Error('expected the definition to be rejected');
}

describe('defineProcedure', () => {
  it('accepts a valid definition and fills the defaults', () => {
    const proc = defineProcedure(valid());
    const [submit, verify, sign] = proc.steps;
    expect(submit?.sla).toEqual({ minutes: 450, workingTime: true }); // at least one working day for everyone
    expect(submit?.escalation).toEqual(SUBJECT_ESCALATION); // the subject is reminded, never escalated
    expect(verify?.sla).toEqual({ minutes: WORKING_DAY_MINUTES, workingTime: true }); // approver: at least a day
    expect(sign?.sla.minutes).toBe(600); // longer than a day: the time standard
    expect(verify?.escalation).toEqual(DEFAULT_ESCALATION);
    expect(verify?.returnTo).toBe(1);
    expect(submit?.returnTo).toBeUndefined();
    expect(sign?.returnTo).toBeUndefined();
  });

  it('returns a deeply frozen procedure', () => {
    const proc = defineProcedure(valid());
    expect(Object.isFrozen(proc)).toBe(true);
    expect(Object.isFrozen(proc.steps[1]?.escalation[0]?.notify)).toBe(true);
    expect(() => {
      (proc.steps as unknown[]).push(null);
    }).toThrow();
  });

  it('keeps explicit SLA, escalation and return targets', () => {
    const proc = defineProcedure(
      definition([
        step({ no: 1 }),
        step({ no: 2 }),
        step({
          no: 3,
          actor: 'atasan',
          action: 'verify',
          returnTo: 2,
          sla: { minutes: 900, workingTime: true },
          escalation: [{ atPercent: 100, notify: ['assignee', 'bkpp'], markOverdue: true }],
        }),
      ]),
    );
    expect(proc.steps[2]).toMatchObject({
      returnTo: 2,
      sla: { minutes: 900 },
      escalation: [{ atPercent: 100, notify: ['assignee', 'bkpp'], markOverdue: true }],
    });
  });

  it('defaults the return target to the first submit when the subject never submits', () => {
    const proc = defineProcedure(
      definition([
        step({ no: 1, actor: 'pengelola' }),
        step({ no: 2, actor: 'bkpp', action: 'verify' }),
      ]),
    );
    expect(proc.steps[1]?.returnTo).toBe(1);
  });

  it('rejects duplicate and out-of-order step numbers', () => {
    const problems = problemsOf(definition([step({ no: 1 }), step({ no: 3 }), step({ no: 3 }), step({ no: 2 })]));
    expect(problems.some((p) => p.includes('duplicate step number 3'))).toBe(true);
    expect(problems.some((p) => p.includes('step 2 comes after step 3'))).toBe(true);
  });

  it('rejects return targets that do not exist, come later or are not submit steps', () => {
    const problems = problemsOf(
      definition([
        step({ no: 1 }),
        step({ no: 2, actor: 'atasan', action: 'verify', returnTo: 9 }),
        step({ no: 3, actor: 'atasan', action: 'verify', returnTo: 2 }),
        step({ no: 4, actor: 'atasan', action: 'establish', returnTo: 5 }),
        step({ no: 5 }),
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('return target 9 of step 2 does not exist'),
        expect.stringContaining('step 3 returns to 2, which is a verify step, not a submit step'),
        expect.stringContaining('step 4 returns to 5, which is not an earlier step'),
      ]),
    );
  });

  it('rejects a verify step with nothing earlier to return to', () => {
    const problems = problemsOf(
      definition([step({ no: 1, actor: 'atasan', action: 'verify' }), step({ no: 2 })]),
    );
    expect(problems).toEqual([expect.stringContaining('verify step 1 has no earlier submit step to return to')]);
  });

  it('rejects a return target on a step that cannot return', () => {
    const problems = problemsOf(definition([step({ no: 1 }), step({ no: 2, action: 'print', returnTo: 1 })]));
    expect(problems).toEqual([expect.stringContaining('step 2 (print) cannot return')]);
  });

  it('rejects unknown escalation roles, actors and actions with the step named', () => {
    const raw = valid() as unknown as { steps: Array<Record<string, unknown>> };
    raw.steps[1]!.escalation = [{ atPercent: 100, notify: ['kepala_dinas'] }];
    raw.steps[0]!.actor = 'sekda';
    raw.steps[2]!.action = 'approve';
    const problems = problemsOf(raw);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/steps\[1\]\(step 2\)\.escalation\[0\]\.notify\[0\]: unknown escalation role "kepala_dinas"/),
        expect.stringMatching(/steps\[0\]\(step 1\)\.actor: unknown actor "sekda"/),
        expect.stringMatching(/steps\[2\]\(step 4\)\.action: unknown action "approve"/),
      ]),
    );
  });

  it('rejects escalation percentages that do not increase and empty notify lists', () => {
    const problems = problemsOf(
      definition([
        step({
          no: 1,
          escalation: [
            { atPercent: 100, notify: ['assignee'] },
            { atPercent: 100, notify: [] },
          ],
        }),
      ]),
    );
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('must notify someone')]),
    );
    const increasing = problemsOf(
      definition([
        step({
          no: 1,
          escalation: [
            { atPercent: 200, notify: ['assignee'] },
            { atPercent: 100, notify: ['bkpp', 'bkpp'] },
          ],
        }),
      ]),
    );
    expect(increasing).toEqual(
      expect.arrayContaining([
        expect.stringContaining('escalation percentages must increase'),
        expect.stringContaining('notifies the same role twice'),
      ]),
    );
  });

  it('rejects duplicate or reserved input keys and misspelt properties', () => {
    const problems = problemsOf(
      definition([
        step({
          no: 1,
          requires: [
            { kind: 'text', key: 'catatan', label: 'Catatan' },
            { kind: 'text', key: 'catatan', label: 'Catatan lagi' },
          ],
        }),
      ]),
    );
    expect(problems).toEqual([expect.stringContaining('step 1 requires "catatan" twice')]);

    const reserved = problemsOf(
      definition([step({ no: 1, requires: [{ kind: 'text', key: 'rating', label: 'Nilai' }] })]),
    );
    expect(reserved).toEqual([expect.stringContaining('input key is reserved')]);

    const typo = problemsOf({ ...valid(), steps: [{ ...step({ no: 1 }), retunTo: 1 }] });
    expect(typo).toEqual([expect.stringContaining('Unrecognized key: "retunTo"')]);
  });

  it('rejects an empty procedure and an announcement that reuses a step number', () => {
    expect(problemsOf(definition([]))).toEqual([expect.stringContaining('at least one step')]);
    const problems = problemsOf(
      definition([step({ no: 2 })], {
        announcements: [{ no: 2, uraian: 'Pengumuman', actor: 'bkpp', timeStandardMinutes: 5 }],
      }),
    );
    expect(problems).toEqual([expect.stringContaining('announcement 2 reuses a step number')]);
  });

  it('lists every problem at once, naming the procedure', () => {
    try {
      defineProcedure(definition([step({ no: 1, timeStandardMinutes: 0 }), step({ no: 1, uraian: ' ' })]));
      expect.unreachable();
    } catch (error) {
      const domainError = error as DomainError;
      expect(domainError.message).toContain('Procedure "uji-coba" is invalid');
      expect(domainError.details.problems).toEqual([
        'steps[0](step 1).timeStandardMinutes: must be positive',
        'steps[1](step 1).uraian: must not be empty',
        'steps[1](step 1).no: duplicate step number 1',
      ]);
    }
  });

  it('exposes the schema for callers that only want to check', () => {
    expect(procedureSchema.safeParse(valid()).success).toBe(true);
    expect(procedureSchema.safeParse({ ...valid(), code: 'Not Kebab' }).success).toBe(false);
  });
});

describe('parseWaktu', () => {
  it('reads the SOPs time standards in working minutes', () => {
    expect(parseWaktu('30 menit')).toBe(30);
    expect(parseWaktu('30 Menit')).toBe(30);
    expect(parseWaktu('1 Jam')).toBe(60);
    expect(parseWaktu('3 Hari')).toBe(3 * WORKING_DAY_MINUTES);
    expect(parseWaktu('3 Hari 2 Jam 35 Menit')).toBe(3 * 450 + 120 + 35);
  });

  it('refuses text it cannot read', () => {
    expect(() => parseWaktu('segera')).toThrow(DomainError);
    expect(() => parseWaktu('2 minggu')).toThrow(DomainError);
    expect(() => parseWaktu('1 Jam kurang')).toThrow(DomainError);
  });
});

describe('applyOverrides', () => {
  const proc = defineProcedure(valid());

  it('sets per-step SLAs and leaves the rest alone', () => {
    const overridden = applyOverrides(proc, { sla: { 2: 900 } });
    expect(overridden.steps[1]?.sla).toEqual({ minutes: 900, workingTime: true });
    expect(overridden.steps[0]?.sla).toEqual(proc.steps[0]?.sla);
    expect(proc.steps[1]?.sla.minutes).toBe(WORKING_DAY_MINUTES); // input untouched
    expect(Object.isFrozen(overridden)).toBe(true);
  });

  it('accepts step keys as strings, as they come from YAML', () => {
    const fromYaml = JSON.parse('{"sla":{"4":0}}') as { sla: Record<number, number> };
    expect(applyOverrides(proc, fromYaml).steps[2]?.sla.minutes).toBe(0);
  });

  it('replaces the escalation cadence, with per-step cadences winning', () => {
    const overridden = applyOverrides(proc, {
      escalation: [{ atPercent: 100, notify: ['assignee'], markOverdue: true }],
      stepEscalation: { 2: [{ atPercent: 50, notify: ['pengelola'] }] },
    });
    expect(overridden.steps[0]?.escalation).toEqual([{ atPercent: 100, notify: ['assignee'], markOverdue: true }]);
    expect(overridden.steps[1]?.escalation).toEqual([{ atPercent: 50, notify: ['pengelola'] }]);
    expect(proc.steps[0]?.escalation).toEqual(SUBJECT_ESCALATION); // step 1 is the subject's
  });

  it('refuses unknown steps and bad values with INVALID_OVERRIDES', () => {
    for (const overrides of [
      { sla: { 3: 60 } },
      { sla: { 2: -1 } },
      { stepEscalation: { 7: [{ atPercent: 100, notify: ['assignee' as const] }] } },
      { escalation: [{ atPercent: 100, notify: ['camat'] }] },
    ]) {
      try {
        applyOverrides(proc, overrides as never);
        expect.unreachable();
      } catch (error) {
        expect((error as DomainError).code).toBe('INVALID_OVERRIDES');
        expect((error as DomainError).message).toContain('Overrides for "uji-coba" are invalid');
      }
    }
  });
});
