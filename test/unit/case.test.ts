// The case state machine: transitions, refusals with stable codes, versions, SLA/notify effects, immutability.
import { describe, expect, it } from 'vitest';
import {
  currentStep,
  startCase,
  transition,
  validateInputs,
  type CaseCommand,
  type CaseState,
  type TransitionContext,
} from '../../src/domain/case.js';
import { DomainError } from '../../src/domain/errors.js';
import { DOCUMENT_FILES, applyOverrides, defineProcedure, type Procedure, type Step } from '../../src/domain/procedure.js';
import { getTemplate } from '../../src/domain/templates/index.js';

const SUBJECT = 'asn-1';
const ATASAN = 'atasan-1';
const STRANGER = 'asn-2';
const ADMIN = 'bkpp-admin-1';

/** A small procedure covering every kind of step the machine treats differently. */
const proc: Procedure = defineProcedure({
  code: 'uji-kasus',
  title: 'Prosedur uji',
  source: { file: 'test.txt', sopNumber: null, issuer: 'Test' },
  legalBasis: [],
  periodKind: 'annual',
  purpose: 'skp_annual',
  steps: [
    {
      no: 1,
      uraian: 'ASN menyusun SKP',
      actor: 'subject',
      action: 'submit',
      requires: [
        { kind: 'rhk_list' },
        { kind: 'text', key: 'catatan', label: 'Catatan', minLength: 5, optional: true },
        { kind: 'files', key: 'lampiran', label: 'Lampiran', mimeTypes: ['application/pdf', 'image/*'], maxBytes: 1000, optional: true },
        { kind: 'document', label: 'Renstra' },
      ],
      kelengkapanText: 'Renstra',
      timeStandardMinutes: 60,
      output: 'Draf SKP',
    },
    { no: 2, uraian: 'Atasan memverifikasi', actor: 'atasan', action: 'verify', requires: [], kelengkapanText: '', timeStandardMinutes: 10, output: 'SKP' },
    { no: 4, uraian: 'Atasan menandatangani', actor: 'atasan', action: 'sign', requires: [{ kind: 'confirm' }], kelengkapanText: '', timeStandardMinutes: 10, output: 'SKP' },
    { no: 5, uraian: 'BKPP menerima', actor: 'bkpp', action: 'receive', requires: [], kelengkapanText: '', timeStandardMinutes: 10, output: 'Arsip' },
  ],
});

const T0 = new Date('2026-02-02T00:30:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const rhk = [{ jenis: 'utama', text: 'Tersusunnya laporan kinerja' }];

function ctx(actorId: string, overrides: Partial<TransitionContext> = {}): TransitionContext {
  return {
    now: later(60),
    actor: { employeeId: actorId, isBkppAdmin: actorId === ADMIN },
    assigneeId: ATASAN,
    subjectId: SUBJECT,
    ...overrides,
  };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const started = () => startCase(proc, { now: T0, subjectId: SUBJECT }).state;
const submitted = () =>
  transition(proc, started(), { kind: 'complete', stepNo: 1, inputs: { rhk } }, ctx(SUBJECT, { assigneeId: SUBJECT })).state;
const returned = () =>
  transition(proc, submitted(), { kind: 'return', stepNo: 2, reason: 'RHK utama belum mengacu RHK atasan' }, ctx(ATASAN)).state;

describe('startCase', () => {
  it('enters the first step, starts its SLA and tells the assignee', () => {
    const { state, event, effects } = startCase(proc, { now: T0, subjectId: SUBJECT });
    expect(state).toEqual({ procedureCode: 'uji-kasus', status: 'active', stepNo: 1, revision: 1, version: 1, stepEnteredAt: T0 });
    expect(state.stepEnteredAt).not.toBe(T0); // a copy, not the caller's Date
    expect(event).toEqual({ action: 'start', fromStepNo: 1, toStepNo: 1, revision: 1, actorId: SUBJECT, onBehalf: false, at: T0 });
    expect(effects).toEqual([
      { kind: 'start_sla', stepNo: 1, revision: 1, slaMinutes: 450 },
      { kind: 'notify', to: 'subject', template: 'step_assigned', data: { stepNo: 1 } },
    ]);
  });

  it('records who opened the case when it is not the subject', () => {
    const award = getTemplate('asn-berprestasi');
    const { event, effects } = startCase(award, { now: T0, subjectId: SUBJECT, actorId: 'pengelola-1' });
    expect(event.actorId).toBe('pengelola-1');
    expect(effects).toContainEqual({ kind: 'notify', to: 'assignee', template: 'step_assigned', data: { stepNo: 1 } });
  });
});

describe('complete', () => {
  it('moves to the next step, bumps the version and swaps the SLA timers', () => {
    const state = started();
    const result = transition(proc, state, { kind: 'complete', stepNo: 1, inputs: { rhk }, comment: '  mohon diperiksa ' }, ctx(SUBJECT));
    expect(result.state).toEqual({ ...state, stepNo: 2, version: 2, stepEnteredAt: later(60) });
    expect(result.event).toEqual({
      action: 'complete',
      fromStepNo: 1,
      toStepNo: 2,
      revision: 1,
      comment: 'mohon diperiksa',
      actorId: SUBJECT,
      onBehalf: false,
      at: later(60),
    });
    expect(result.effects).toEqual([
      { kind: 'cancel_sla', stepNo: 1, revision: 1 },
      { kind: 'start_sla', stepNo: 2, revision: 1, slaMinutes: 450 },
      { kind: 'notify', to: 'assignee', template: 'step_assigned', data: { stepNo: 2, fromStepNo: 1, revision: 1 } },
    ]);
    expect(result.completedStep.no).toBe(1);
    expect(result.enteredStep?.no).toBe(2);
  });

  it('completes the case after the last step', () => {
    let state = submitted();
    state = transition(proc, state, { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN)).state;
    state = transition(proc, state, { kind: 'complete', stepNo: 4, inputs: { confirmed: true } }, ctx(ATASAN)).state;
    const last = transition(proc, state, { kind: 'complete', stepNo: 5, inputs: {} }, ctx(ADMIN, { assigneeId: null }));
    expect(last.state).toMatchObject({ status: 'completed', stepNo: 5, version: 5 });
    expect(last.state.stepEnteredAt).toEqual(state.stepEnteredAt);
    expect(last.event).toMatchObject({ action: 'complete', fromStepNo: 5, toStepNo: null, onBehalf: false });
    expect(last.effects).toEqual([
      { kind: 'cancel_sla', stepNo: 5, revision: 1 },
      { kind: 'notify', to: 'subject', template: 'case_completed', data: { stepNo: 5 } },
      { kind: 'case_completed' },
    ]);
    expect(last.enteredStep).toBeUndefined();
  });

  it('lets any BKPP admin do BKPP steps without acting on behalf', () => {
    let state = submitted();
    state = transition(proc, state, { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN)).state;
    state = transition(proc, state, { kind: 'complete', stepNo: 4, inputs: { confirmed: true } }, ctx(ATASAN)).state;
    const other = { ...ctx(ADMIN), actor: { employeeId: 'bkpp-admin-2', isBkppAdmin: true }, assigneeId: ADMIN };
    expect(transition(proc, state, { kind: 'complete', stepNo: 5, inputs: {} }, other).event.onBehalf).toBe(false);
  });

  it('omits start_sla when the entered step has no timer', () => {
    const noTimer = applyOverrides(proc, { sla: { 2: 0 } });
    const state = startCase(noTimer, { now: T0, subjectId: SUBJECT }).state;
    const result = transition(noTimer, state, { kind: 'complete', stepNo: 1, inputs: { rhk } }, ctx(SUBJECT));
    expect(result.effects.filter((e) => e.kind === 'start_sla')).toEqual([]);
    expect(result.effects).toContainEqual({ kind: 'cancel_sla', stepNo: 1, revision: 1 });
  });
});

describe('refusals', () => {
  it('NOT_ASSIGNEE: someone else presses the button', () => {
    expect(codeOf(() => transition(proc, started(), { kind: 'complete', stepNo: 1, inputs: { rhk } }, ctx(STRANGER)))).toBe('NOT_ASSIGNEE');
    expect(codeOf(() => transition(proc, submitted(), { kind: 'complete', stepNo: 2, inputs: {} }, ctx(STRANGER)))).toBe('NOT_ASSIGNEE');
    // nobody resolved as assignee: only an admin on behalf can act
    expect(codeOf(() => transition(proc, submitted(), { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN, { assigneeId: null })))).toBe('NOT_ASSIGNEE');
  });

  it('REASON_REQUIRED: an admin acting on behalf without a reason', () => {
    const command: CaseCommand = { kind: 'complete', stepNo: 2, inputs: {} };
    expect(codeOf(() => transition(proc, submitted(), command, ctx(ADMIN)))).toBe('REASON_REQUIRED');
    expect(codeOf(() => transition(proc, submitted(), command, ctx(ADMIN, { onBehalfReason: '   ' })))).toBe('REASON_REQUIRED');
  });

  it('an admin acting on behalf with a reason is recorded and the assignee told', () => {
    const result = transition(proc, submitted(), { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ADMIN, { onBehalfReason: ' Atasan cuti sakit ' }));
    expect(result.event).toMatchObject({ actorId: ADMIN, onBehalf: true, onBehalfReason: 'Atasan cuti sakit' });
    expect(result.effects).toContainEqual({
      kind: 'notify',
      to: 'previous_assignee',
      template: 'acted_on_behalf',
      data: { stepNo: 2, reason: 'Atasan cuti sakit' },
    });
  });

  it('SELF_APPROVAL: nobody judges their own case, not even an admin on behalf', () => {
    const selfCtx = ctx(ADMIN, { subjectId: ADMIN, onBehalfReason: 'Atasan kosong' });
    const state = transition(proc, started(), { kind: 'complete', stepNo: 1, inputs: { rhk } }, selfCtx).state;
    expect(codeOf(() => transition(proc, state, { kind: 'complete', stepNo: 2, inputs: {} }, selfCtx))).toBe('SELF_APPROVAL');
    expect(codeOf(() => transition(proc, submitted(), { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN, { subjectId: ATASAN })))).toBe('SELF_APPROVAL');
  });

  it('STEP_ALREADY_DONE and STEP_MISMATCH: stale or foreign buttons', () => {
    expect(codeOf(() => transition(proc, submitted(), { kind: 'complete', stepNo: 1, inputs: { rhk } }, ctx(SUBJECT)))).toBe('STEP_ALREADY_DONE');
    expect(codeOf(() => transition(proc, submitted(), { kind: 'return', stepNo: 1, reason: 'alasan yang cukup panjang' }, ctx(ATASAN)))).toBe('STEP_ALREADY_DONE');
    expect(codeOf(() => transition(proc, submitted(), { kind: 'complete', stepNo: 4, inputs: {} }, ctx(ATASAN)))).toBe('STEP_MISMATCH');
    expect(codeOf(() => transition(proc, submitted(), { kind: 'complete', stepNo: 3, inputs: {} }, ctx(ATASAN)))).toBe('STEP_MISMATCH');
  });

  it('CASE_CLOSED and CASE_RETURNED: the case is not waiting for this', () => {
    const admin = ctx(ADMIN);
    const cancelled = transition(proc, submitted(), { kind: 'cancel', reason: 'Pegawai pindah instansi' }, admin).state;
    expect(codeOf(() => transition(proc, cancelled, { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN)))).toBe('CASE_CLOSED');
    expect(codeOf(() => transition(proc, cancelled, { kind: 'cancel', reason: 'lagi' }, admin))).toBe('CASE_CLOSED');
    expect(codeOf(() => transition(proc, cancelled, { kind: 'resubmit', inputs: { rhk } }, ctx(SUBJECT)))).toBe('CASE_CLOSED');
    const completed: CaseState = { ...submitted(), status: 'completed', stepNo: 5 };
    expect(codeOf(() => transition(proc, completed, { kind: 'complete', stepNo: 5, inputs: {} }, admin))).toBe('CASE_CLOSED');

    expect(codeOf(() => transition(proc, returned(), { kind: 'complete', stepNo: 1, inputs: { rhk } }, ctx(SUBJECT)))).toBe('CASE_RETURNED');
    expect(codeOf(() => transition(proc, returned(), { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN)))).toBe('CASE_RETURNED');
    expect(codeOf(() => transition(proc, returned(), { kind: 'return', stepNo: 2, reason: 'alasan yang cukup panjang' }, ctx(ATASAN)))).toBe('CASE_RETURNED');
  });

  it('MISSING_KELENGKAPAN and INVALID_KELENGKAPAN', () => {
    expect(codeOf(() => transition(proc, started(), { kind: 'complete', stepNo: 1, inputs: {} }, ctx(SUBJECT)))).toBe('MISSING_KELENGKAPAN');
    expect(codeOf(() => transition(proc, started(), { kind: 'complete', stepNo: 1, inputs: { rhk: [{ jenis: 'tambahan', text: 'x' }] } }, ctx(SUBJECT)))).toBe('INVALID_KELENGKAPAN');
    let state = submitted();
    state = transition(proc, state, { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN)).state;
    expect(codeOf(() => transition(proc, state, { kind: 'complete', stepNo: 4, inputs: { confirmed: 'ya' } }, ctx(ATASAN)))).toBe('MISSING_KELENGKAPAN');
  });

  it('RETURN_NOT_ALLOWED: only verify/establish/rate/collect/receive steps return', () => {
    expect(codeOf(() => transition(proc, started(), { kind: 'return', stepNo: 1, reason: 'alasan yang cukup panjang' }, ctx(SUBJECT)))).toBe('RETURN_NOT_ALLOWED');
    const atSign = transition(proc, submitted(), { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN)).state;
    expect(codeOf(() => transition(proc, atSign, { kind: 'return', stepNo: 4, reason: 'alasan yang cukup panjang' }, ctx(ATASAN)))).toBe('RETURN_NOT_ALLOWED');
  });

  it('REASON_TOO_SHORT: a return must say what to fix', () => {
    expect(codeOf(() => transition(proc, submitted(), { kind: 'return', stepNo: 2, reason: 'salah' }, ctx(ATASAN)))).toBe('REASON_TOO_SHORT');
    expect(codeOf(() => transition(proc, submitted(), { kind: 'return', stepNo: 2, reason: '   perbaiki       ' }, ctx(ATASAN)))).toBe('REASON_TOO_SHORT');
  });

  it('INVALID_RETURN_TARGET: a return goes back to an earlier submit step', () => {
    const atReceive = (() => {
      let state = submitted();
      state = transition(proc, state, { kind: 'complete', stepNo: 2, inputs: {} }, ctx(ATASAN)).state;
      return transition(proc, state, { kind: 'complete', stepNo: 4, inputs: { confirmed: true } }, ctx(ATASAN)).state;
    })();
    const admin = ctx(ADMIN);
    expect(codeOf(() => transition(proc, atReceive, { kind: 'return', stepNo: 5, reason: 'berkas belum lengkap', toStepNo: 2 }, admin))).toBe('INVALID_RETURN_TARGET');
    expect(codeOf(() => transition(proc, atReceive, { kind: 'return', stepNo: 5, reason: 'berkas belum lengkap', toStepNo: 9 }, admin))).toBe('INVALID_RETURN_TARGET');
    expect(transition(proc, atReceive, { kind: 'return', stepNo: 5, reason: 'berkas belum lengkap', toStepNo: 1 }, admin).state.stepNo).toBe(1);
  });

  it('NOT_RETURNED: only a returned case can be resubmitted; NOT_ASSIGNEE for anyone but its owner', () => {
    expect(codeOf(() => transition(proc, submitted(), { kind: 'resubmit', inputs: { rhk } }, ctx(SUBJECT)))).toBe('NOT_RETURNED');
    expect(codeOf(() => transition(proc, returned(), { kind: 'resubmit', inputs: { rhk } }, ctx(ATASAN)))).toBe('NOT_ASSIGNEE');
    expect(codeOf(() => transition(proc, returned(), { kind: 'resubmit', inputs: {} }, ctx(SUBJECT)))).toBe('MISSING_KELENGKAPAN');
  });

  it('ADMIN_ONLY and REASON_REQUIRED: cancelling', () => {
    expect(codeOf(() => transition(proc, submitted(), { kind: 'cancel', reason: 'Pegawai pensiun' }, ctx(ATASAN)))).toBe('ADMIN_ONLY');
    expect(codeOf(() => transition(proc, submitted(), { kind: 'cancel', reason: '  ' }, ctx(ADMIN)))).toBe('REASON_REQUIRED');
  });

  it('PROCEDURE_MISMATCH and UNKNOWN_STEP: state from another procedure or an old template', () => {
    const other = startCase(getTemplate('skp-balangan'), { now: T0, subjectId: SUBJECT }).state;
    expect(codeOf(() => transition(proc, other, { kind: 'complete', stepNo: 1, inputs: { rhk } }, ctx(SUBJECT)))).toBe('PROCEDURE_MISMATCH');
    expect(codeOf(() => currentStep(proc, { ...started(), stepNo: 3 }))).toBe('UNKNOWN_STEP');
  });
});

describe('return and resubmit', () => {
  it('a return waits on the submit step with its own timer and tells the subject why', () => {
    const state = submitted();
    const result = transition(proc, state, { kind: 'return', stepNo: 2, reason: '  RHK utama belum mengacu RHK atasan ' }, ctx(ATASAN, { now: later(120) }));
    expect(result.state).toEqual({ ...state, status: 'returned', stepNo: 1, version: 3, stepEnteredAt: later(120) });
    expect(result.event).toMatchObject({ action: 'return', fromStepNo: 2, toStepNo: 1, revision: 1, comment: 'RHK utama belum mengacu RHK atasan' });
    expect(result.effects).toEqual([
      { kind: 'cancel_sla', stepNo: 2, revision: 1 },
      { kind: 'start_sla', stepNo: 1, revision: 1, slaMinutes: 450 },
      {
        kind: 'notify',
        to: 'subject',
        template: 'case_returned',
        data: { reason: 'RHK utama belum mengacu RHK atasan', fromStepNo: 2, toStepNo: 1, revision: 1 },
      },
    ]);
    expect(result.enteredStep?.no).toBe(1);
    expect(result.completedStep.no).toBe(2);
  });

  it('resubmission starts the next revision and moves past the submit step', () => {
    const state = returned();
    const result = transition(proc, state, { kind: 'resubmit', inputs: { rhk } }, ctx(SUBJECT, { now: later(300) }));
    expect(result.state).toEqual({ ...state, status: 'active', stepNo: 2, revision: 2, version: 4, stepEnteredAt: later(300) });
    expect(result.event).toMatchObject({ action: 'resubmit', fromStepNo: 1, toStepNo: 2, revision: 2, actorId: SUBJECT });
    expect(result.effects).toEqual([
      { kind: 'cancel_sla', stepNo: 1, revision: 1 },
      { kind: 'start_sla', stepNo: 2, revision: 2, slaMinutes: 450 },
      { kind: 'notify', to: 'assignee', template: 'case_resubmitted', data: { stepNo: 2, fromStepNo: 1, revision: 2 } },
    ]);
  });

  it('a BKPP admin may resubmit on behalf of the subject with a reason', () => {
    const result = transition(proc, returned(), { kind: 'resubmit', inputs: { rhk } }, ctx(ADMIN, { onBehalfReason: 'ASN tidak punya Telegram' }));
    expect(result.event).toMatchObject({ onBehalf: true, actorId: ADMIN });
  });

  it('a return to a step the subject does not own tells that step\'s assignee', () => {
    const award = getTemplate('asn-berprestasi');
    const pengelola = { now: later(10), actor: { employeeId: 'pengelola-1', isBkppAdmin: false }, assigneeId: 'pengelola-1', subjectId: SUBJECT };
    const kepala = { ...pengelola, actor: { employeeId: 'kepala-1', isBkppAdmin: false }, assigneeId: 'kepala-1' };
    let state = startCase(award, { now: T0, subjectId: SUBJECT, actorId: 'pengelola-1' }).state;
    state = transition(award, state, { kind: 'complete', stepNo: 1, inputs: { usulan: 'Inovasi layanan kependudukan' } }, pengelola).state;
    const result = transition(award, state, { kind: 'return', stepNo: 2, reason: 'Lengkapi bukti inovasi' }, kepala);
    expect(result.effects).toContainEqual(expect.objectContaining({ kind: 'notify', to: 'assignee', template: 'case_returned' }));
    expect(codeOf(() => transition(award, result.state, { kind: 'resubmit', inputs: { usulan: 'x' } }, { ...pengelola, actor: { employeeId: SUBJECT, isBkppAdmin: false } }))).toBe('NOT_ASSIGNEE');
    expect(transition(award, result.state, { kind: 'resubmit', inputs: { usulan: 'Inovasi, dengan bukti' } }, pengelola).state).toMatchObject({ stepNo: 2, revision: 2 });
  });
});

describe('cancel', () => {
  it('closes the case, stops the timer and tells the subject and the waiting assignee', () => {
    const state = submitted();
    const result = transition(proc, state, { kind: 'cancel', reason: ' Pegawai pindah instansi ' }, ctx(ADMIN));
    expect(result.state).toEqual({ ...state, status: 'cancelled', version: state.version + 1 });
    expect(result.event).toMatchObject({ action: 'cancel', fromStepNo: 2, toStepNo: null, comment: 'Pegawai pindah instansi', actorId: ADMIN });
    expect(result.effects).toEqual([
      { kind: 'cancel_sla', stepNo: 2, revision: 1 },
      { kind: 'notify', to: 'subject', template: 'case_cancelled', data: { reason: 'Pegawai pindah instansi', stepNo: 2 } },
      { kind: 'notify', to: 'assignee', template: 'case_cancelled', data: { reason: 'Pegawai pindah instansi', stepNo: 2 } },
    ]);
  });

  it('can cancel a returned case', () => {
    expect(transition(proc, returned(), { kind: 'cancel', reason: 'Duplikat' }, ctx(ADMIN)).state.status).toBe('cancelled');
  });
});

describe('purity', () => {
  it('never mutates the state, command or procedure it is given', () => {
    const state = deepFreeze(submitted());
    const snapshot = structuredClone(state);
    const command = deepFreeze({ kind: 'return', stepNo: 2, reason: 'RHK utama belum mengacu RHK atasan' } as const);
    const context = deepFreeze(ctx(ATASAN));
    const result = transition(proc, state, command, context);
    expect(state).toEqual(snapshot);
    expect(result.state).not.toBe(state);
    expect(result.state.stepEnteredAt).not.toBe(context.now);
    const resubmitted = transition(proc, result.state, deepFreeze({ kind: 'resubmit', inputs: { rhk } }), ctx(SUBJECT));
    expect(result.state.status).toBe('returned');
    expect(resubmitted.state.status).toBe('active');
  });

  it('keeps versions strictly increasing across a whole walk', () => {
    const versions = [started().version, submitted().version, returned().version];
    const resubmitted = transition(proc, returned(), { kind: 'resubmit', inputs: { rhk } }, ctx(SUBJECT)).state;
    versions.push(resubmitted.version);
    expect(versions).toEqual([1, 2, 3, 4]);
  });
});

describe('validateInputs', () => {
  const submitStep = proc.steps[0]!;
  const detailsOf = (step: Step, inputs: Record<string, unknown>) => {
    try {
      validateInputs(step, inputs);
    } catch (error) {
      return { code: (error as DomainError).code, ...(error as DomainError).details };
    }
    return null;
  };

  it('lists what is missing; documents never block', () => {
    expect(detailsOf(submitStep, {})).toMatchObject({ code: 'MISSING_KELENGKAPAN', missing: ['rhk'] });
    expect(detailsOf(submitStep, { rhk })).toBeNull();
  });

  it('checks optional text and files only when given', () => {
    expect(detailsOf(submitStep, { rhk, catatan: 'ok' })).toMatchObject({ code: 'INVALID_KELENGKAPAN', invalid: [{ key: 'catatan' }] });
    expect(detailsOf(submitStep, { rhk, catatan: 'cukup panjang' })).toBeNull();
    expect(detailsOf(submitStep, { rhk, lampiran: [{ fileId: 'f', mimeType: 'image/png', sizeBytes: 10 }] })).toBeNull();
    expect(detailsOf(submitStep, { rhk, lampiran: [{ fileId: 'f', mimeType: 'application/zip', sizeBytes: 5000 }] })).toMatchObject({
      code: 'INVALID_KELENGKAPAN',
      invalid: [
        { key: 'lampiran.0', problem: 'file type application/zip not accepted' },
        { key: 'lampiran.0', problem: 'file larger than 1000 bytes' },
      ],
    });
    expect(detailsOf(submitStep, { rhk, lampiran: 'not a list' })).toMatchObject({ code: 'INVALID_KELENGKAPAN' });
  });

  it('requires files and their minimum count', () => {
    const step = { ...submitStep, requires: [{ kind: 'files' as const, key: 'scan', label: 'Scan', ...DOCUMENT_FILES, minCount: 2 }] };
    expect(detailsOf(step, {})).toMatchObject({ missing: ['scan'] });
    expect(detailsOf(step, { scan: [{ fileId: 'a', mimeType: 'application/pdf', sizeBytes: 1 }] })).toMatchObject({
      invalid: [{ key: 'scan', problem: 'at least 2 files' }],
    });
  });

  it('checks ratings and monthly realisation with evidence', () => {
    const monthly = getTemplate('bulanan-tangerang');
    const [submit, rate] = monthly.steps as [Step, Step];
    expect(detailsOf(rate, { rating: { hasilKerja: 'sesuai', perilaku: 'di_atas' } })).toBeNull();
    expect(detailsOf(rate, { rating: { hasilKerja: 'luar_biasa', perilaku: 'sesuai' } })).toMatchObject({ code: 'INVALID_KELENGKAPAN' });
    expect(detailsOf(submit, { realisasi: [] })).toMatchObject({ code: 'MISSING_KELENGKAPAN', missing: ['realisasi'] });
    expect(detailsOf(submit, { realisasi: [{ rhkId: 'r1', realisasi: 'selesai', bukti: [] }] })).toMatchObject({
      code: 'INVALID_KELENGKAPAN',
      invalid: [{ key: 'realisasi.0.bukti', problem: 'at least one bukti dukung' }],
    });
    expect(detailsOf(submit, { realisasi: [{ rhkId: 'r1', realisasi: 'selesai', bukti: [{ url: 'https://drive.example/x' }] }] })).toBeNull();
  });
});
