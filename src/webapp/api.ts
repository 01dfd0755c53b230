// The Mini App's JSON API: the same use cases and the same access policy as the chat, one route per intention.
import type { Telegram } from 'telegraf';
import { AccessDenied, type AccessPolicy } from '../app/access-policy.js';
import { act, type EngineDeps } from '../app/case-engine.js';
import { loadCaseView } from '../app/case-view.js';
import { findCaseRow } from '../app/repositories/cases.js';
import type { ProcedureRegistry } from '../app/procedures.js';
import {
  buildRecap,
  defaultPeriod,
  employeeStatuses,
  perangkatDaerahName as pdNameOf,
  employeeCaseLogs,
  overdueSteps,
  parsePeriod,
  scopeOf,
  sendManualReminder,
  stepLabel,
} from '../app/reports.js';
import {
  atasanRhkOptions,
  changeSkpDraft,
  latestReturn,
  loadSkpDraft,
  needsIntervensi,
  newRhkId,
  openSkpCase,
  perangkatDaerahName,
  rhkOfCaseData,
  skpDeadlineOf,
  skpDraftProblems,
  unfinishedLastYearSkp,
  submitSkp,
  type RhkDraft,
  type SkpDraft,
} from '../app/skp.js';
import { domainErrorText } from '../chat/texts/errors.js';
import { periodKeyLabel } from '../domain/period.js';
import { formatShortDateTime } from '../domain/format.js';
import { exportCaption, reminderResultText, reminderText, scopeText } from '../chat/texts/reports.js';
import { exportForUpload, type ExportUploadOptions } from '../app/export-upload.js';
import { archivePath, downloadTelegramFile } from '../app/archive.js';
import { readFile } from 'node:fs/promises';
import { sendWithinClaim } from '../chat/outgoing/index.js';
import { webAppTexts } from '../chat/texts/webapp.js';
import type { AppConfig } from '../config.js';
import type { Db } from '../app/database.js';
import type { EmployeeProfile } from '../app/repositories/employees.js';
import { evidenceFileById, evidenceFilesOfCase } from '../app/evidence-files.js';
import { employeeNames } from '../app/repositories/employees.js';
import { openTasksOf } from '../app/tasks.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { isReturnReasonEnough, MIN_RETURN_REASON_LENGTH } from '../domain/case.js';
import { isDomainError, type DomainError } from '../domain/errors.js';
import { RATINGS, type Rating } from '../domain/predikat.js';
import { SKP_LIMITS, skpFieldProblems, type Aspek } from '../domain/skp-rules.js';
import type { Logger } from '../logger.js';
import { createRealisasiRoutes } from './realisasi-api.js';
import { ApiError, readJsonBody, type ApiRoute } from './json.js';

export interface WebAppDeps {
  db: Db;
  config: AppConfig;
  logger: Logger;
  now: () => Date;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
  access: AccessPolicy;
  /** The bot's own Telegram client: every Bot API call leaves through the bot's one outgoing path. */
  telegram: Telegram;
  /** The upload limit and temporary directory of the export sent to the chat; defaults in production. */
  exportUpload?: ExportUploadOptions;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_REASON = 1000;
/** Step actions the Mini App can complete with one tap (others need typed input or files, in the chat). */
const ONE_TAP_ACTIONS = ['verify', 'establish', 'acknowledge', 'receive'];

/** '2026' → 'Tahun 2026', '2026-03' → 'Maret 2026', '2026-T2' → 'Triwulan II 2026' (never the raw key). */
const periodLabel = periodKeyLabel;

const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

export function rolesOf(employee: EmployeeProfile): string[] {
  const roles = ['asn'];
  if (employee.isAtasan) roles.push('atasan');
  if (employee.roles.some((r) => r.role === 'pengelola')) roles.push('pengelola');
  if (employee.roles.some((r) => r.role === 'bkpp_admin')) roles.push('bkpp_admin');
  return roles;
}

/** A refusal or conflict of a use case as the API answers it, in the chat's own words. */
function apiErrorOf(error: DomainError, timeZone: AppConfig['deployment']['instansi']['timeZone']): ApiError {
  const message = plain(domainErrorText(error, timeZone));
  if (error instanceof AccessDenied) return new ApiError(error.refusal === 'not_found' ? 404 : 403, message);
  switch (error.code) {
    case 'CASE_NOT_FOUND':
      return new ApiError(404, message);
    case 'NOT_ASSIGNEE':
    case 'NOT_AUTHORIZED':
    case 'ACCESS_DENIED':
      return new ApiError(403, message);
    case 'SKP_DRAFT_INCOMPLETE':
      return new ApiError(422, message, { problems: error.details.problems });
    default:
      return new ApiError(409, message, { code: error.code === 'ALREADY_PROCESSED' ? 'already_processed' : 'conflict' });
  }
}

/** The draft as the page sent it, kept to the fields the chat stores; null when it cannot be read. */
function draftFromBody(body: unknown, existing: SkpDraft): SkpDraft | null {
  const list = (body as { rhk?: unknown })?.rhk;
  if (!Array.isArray(list) || list.length > SKP_LIMITS.maxRhk * 2) return null;
  const before = new Map(existing.rhk.map((r) => [r.id, r]));
  const rhk: RhkDraft[] = [];
  for (const item of list as Array<Record<string, unknown>>) {
    if (!item || typeof item.text !== 'string' || !Array.isArray(item.indikator)) return null;
    const id = typeof item.id === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(item.id) ? item.id : newRhkId();
    const indikator = [];
    for (const i of item.indikator as Array<Record<string, unknown>>) {
      if (!i || typeof i.target !== 'string' || typeof i.aspek !== 'string') return null;
      indikator.push({ aspek: i.aspek as Aspek, target: i.target });
    }
    const next: RhkDraft = { id, text: item.text, indikator };
    if (item.jenis === 'utama' || item.jenis === 'tambahan') next.jenis = item.jenis;
    if (typeof item.rhkAtasanId === 'string' || item.rhkAtasanId === null) next.rhkAtasanId = item.rhkAtasanId as string | null;
    // What only the chat can attach (the e-Kinerja PDF) stays with its RHK.
    const old = before.get(id);
    if (old?.source) next.source = old.source;
    if (old?.evidenceId) next.evidenceId = old.evidenceId;
    if (old?.fileId) next.fileId = old.fileId;
    rhk.push(next);
  }
  return { rhk };
}

export function createApiRoutes(deps: WebAppDeps): ApiRoute[] {
  const engine: EngineDeps = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures };
  const tz = deps.config.deployment.instansi.timeZone;
  const reportDeps = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures };

  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isDomainError(error)) throw apiErrorOf(error, tz);
      throw error;
    }
  };
  const requireAccess = (me: EmployeeProfile, ...args: Parameters<AccessPolicy['require']> extends [unknown, ...infer R] ? R : never) =>
    run(() => deps.access.require(me, ...args));

  /**
   * The SKP the editor works on: last year's while it is returned for fixing (the annual evaluation of that year
   * needs it established; in the chat, /skp points to /skp YEAR for it), else this year's. The draft and submit
   * calls take the same one, so a fix sent moves the editor on to this year's.
   */
  const skpToEdit = async (me: EmployeeProfile) => {
    const lastYear = await unfinishedLastYearSkp(engine, me, deps.now());
    if (lastYear?.case.status === 'returned') return lastYear;
    return run(() => openSkpCase(engine, me, deps.now()));
  };

  /** The SKP as the editor shows it. */
  const skpState = async (me: EmployeeProfile) => {
    const skp = await skpToEdit(me);
    const draft = await loadSkpDraft(deps.db, skp.case);
    const options = needsIntervensi(me) ? await atasanRhkOptions(deps, me, skp.year) : null;
    const returned = skp.case.status === 'returned' ? await latestReturn(deps.db, skp.case.id) : null;
    return {
      caseId: skp.case.id,
      year: skp.year,
      status: skp.case.status,
      editable: skp.editable,
      title: skp.procedure.title,
      draft,
      problems: skpDraftProblems(draft),
      needsIntervensi: needsIntervensi(me),
      atasanOptions: options ?? [],
      returned: returned ? { reason: returned.reason, byNama: returned.byName, at: returned.at.toISOString() } : null,
      // The day it is to be sent to the pejabat penilai by, as /skp's first message says it.
      deadline: skpDeadlineOf(deps.calendar, deps.config.deployment, skp.year, deps.now()),
    };
  };

  const ownEditableSkp = async (me: EmployeeProfile) => {
    const skp = await skpToEdit(me);
    if (!skp.editable) throw new ApiError(409, webAppTexts.notEditable);
    return skp;
  };

  return [
    {
      method: 'GET',
      pattern: /^\/me$/,
      handle: async ({ me }) => ({
        nama: me.nama,
        nip: me.nip,
        jabatan: me.jabatan,
        perangkatDaerah: perangkatDaerahName(me.unitPath),
        roles: rolesOf(me),
        instansi: deps.config.deployment.instansi.name,
      }),
    },

    // The ASN's SKP editor: read, save the draft as they go, submit through the case engine.
    { method: 'GET', pattern: /^\/skp$/, handle: ({ me }) => skpState(me) },
    {
      method: 'PUT',
      pattern: /^\/skp\/draft$/,
      handle: async ({ me, req }) => {
        const body = await readJsonBody(req);
        const skp = await ownEditableSkp(me);
        const existing = await loadSkpDraft(deps.db, skp.case);
        const draft = draftFromBody(body, existing);
        if (!draft) throw new ApiError(400, webAppTexts.badRequest);
        const fieldProblems = skpFieldProblems(draft);
        if (fieldProblems.length > 0) throw new ApiError(422, webAppTexts.badRequest, { fieldProblems });
        // The atasan's RHK picked must be one of theirs (the text is stored beside it, as the chat does).
        const options = needsIntervensi(me) ? ((await atasanRhkOptions(deps, me, skp.year)) ?? []) : [];
        for (const rhk of draft.rhk) {
          if (typeof rhk.rhkAtasanId === 'string') {
            const picked = options.find((o) => o.id === rhk.rhkAtasanId);
            if (!picked) throw new ApiError(422, webAppTexts.badRequest);
            rhk.rhkAtasanText = picked.text;
          }
        }
        const saved = await changeSkpDraft(
          deps.db,
          skp.case,
          (d) => {
            d.rhk = draft.rhk;
          },
          deps.now(),
        );
        return { saved: true, problems: skpDraftProblems(saved.draft) };
      },
    },
    {
      method: 'POST',
      pattern: /^\/skp\/submit$/,
      handle: async ({ me, log }) => {
        const skp = await ownEditableSkp(me);
        const result = await run(() => submitSkp(engine, { caseId: skp.case.id, actorId: me.id, now: deps.now() }));
        log.info({ caseId: skp.case.id }, 'mini app: SKP submitted');
        return { submitted: true, status: result.case.status };
      },
    },

    ...createRealisasiRoutes(deps),

    // The atasan's review: what waits for them, one submission as a table, and the same transitions as the buttons.
    {
      method: 'GET',
      pattern: /^\/tasks$/,
      handle: async ({ me }) => {
        await requireAccess(me, 'tasks');
        const rows = await openTasksOf(deps.db, deps.procedures, me.id);
        const names = await employeeNames(deps.db, rows.map((c) => c.subjectId));
        return {
          tasks: rows.map((c) => {
            const nama = names.get(c.subjectId) ?? '-';
            const proc = deps.procedures.get(c.procedureCode);
            const step = proc.steps.find((s) => s.no === c.stepNo)!;
            return {
              caseId: c.id,
              version: c.version,
              subjectNama: nama,
              title: proc.title,
              period: periodLabel(c.period),
              step: stepLabel(step),
              enteredAt: c.stepEnteredAt.toISOString(),
              slaDueAt: c.slaDueAt?.toISOString() ?? null,
              overdue: c.slaDueAt ? c.slaDueAt.getTime() < deps.now().getTime() : false,
            };
          }),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/cases\/([0-9a-f-]{36})$/,
      handle: async ({ me, params }) => {
        const caseId = params[0]!;
        await requireAccess(me, 'caseDetail', { kind: 'case', caseId });
        const view = await loadCaseView(deps.db, deps.procedures, caseId);
        if (!view) throw new ApiError(404, webAppTexts.notFound);
        const files = await evidenceFilesOfCase(deps.db, caseId);
        // A month's realisation reports on the RHK of its established SKP: the table shows them with their targets.
        let rhkList = view.rhk;
        const skpCaseId = (view.row.data as { skpCaseId?: unknown }).skpCaseId;
        if (rhkList.length === 0 && typeof skpCaseId === 'string') {
          const skpRow = await findCaseRow(deps.db, skpCaseId);
          rhkList = skpRow ? rhkOfCaseData(skpRow.data) : [];
        }
        const open = view.row.status === 'active' || view.row.status === 'returned';
        const mine = open && view.row.assigneeId === me.id && view.row.subjectId !== me.id;
        return {
          caseId,
          version: view.row.version,
          status: view.row.status,
          title: view.procedure.title,
          period: periodLabel(view.row.period),
          subject: { nama: view.subject.nama, nip: view.subject.nip, jabatan: view.subject.jabatan },
          step: { label: stepLabel(view.step), uraian: view.step.uraian, action: view.step.action },
          holderNama: view.assigneeName,
          rhk: rhkList.map((r) => ({
            id: r.id ?? null,
            jenis: r.jenis ?? null,
            text: r.text,
            rhkAtasan: r.rhkAtasan ?? (r as { rhkAtasanText?: string }).rhkAtasanText ?? null,
            indikator: (r.indikator ?? []).map((i) => ({ aspek: i.aspek ?? null, indikator: i.indikator ?? null, target: i.target ?? null })),
            realisasi: view.realisasi.find((x) => x.rhkId === r.id)?.realisasi ?? null,
            bukti: files.filter((f) => f.purpose === r.id).map((f) => ({ id: f.id, name: f.fileName, mimeType: f.mimeType, sizeBytes: f.sizeBytes })),
          })),
          lastReturnReason: view.lastReturnReason,
          can: {
            approve: mine && ONE_TAP_ACTIONS.includes(view.step.action),
            rate: mine && view.step.action === 'rate',
            // Only a step the SOP lets send the case back (a signature or an archive step cannot be returned).
            return: mine && view.step.actor !== 'subject' && view.step.returnTo !== undefined,
          },
        };
      },
    },
    {
      // Evidence that opens in the page: from the archive when it is there, else fetched through the bot.
      method: 'GET',
      pattern: /^\/evidence\/([0-9a-f-]{36})$/,
      handle: async ({ me, params, res }) => {
        const file = await evidenceFileById(deps.db, params[0]!);
        if (!file) throw new ApiError(404, webAppTexts.notFound);
        await requireAccess(me, 'caseEvidence', { kind: 'case', caseId: file.caseId });
        let content: Buffer | null = null;
        if (file.storagePath) content = await readFile(archivePath(deps.config.deployment.storage.archiveDir, file.storagePath)).catch(() => null);
        content ??= await downloadTelegramFile(deps.telegram, file.telegramFileId);
        res.statusCode = 200;
        res.setHeader('content-type', file.mimeType);
        res.setHeader('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName ?? 'bukti')}`);
        res.setHeader('cache-control', 'private, no-store');
        res.end(content);
        return null;
      },
    },
    {
      method: 'POST',
      pattern: /^\/cases\/([0-9a-f-]{36})\/act$/,
      handle: async ({ me, params, req, log }) => {
        const caseId = params[0]!;
        const body = (await readJsonBody(req)) as { action?: unknown; version?: unknown; reason?: unknown; hasilKerja?: unknown; perilaku?: unknown; catatan?: unknown };
        if (typeof body.version !== 'number' || !['approve', 'return', 'rate'].includes(String(body.action))) throw new ApiError(400, webAppTexts.badRequest);
        const row = await findCaseRow(deps.db, caseId);
        if (!row) throw new ApiError(404, webAppTexts.notFound);
        // A stale page is the engine's to explain (who acted first); a current one must be the actor's step.
        if (row.version === body.version) await requireAccess(me, 'actOnStep', { kind: 'case', caseId });
        const step = deps.procedures.get(row.procedureCode).steps.find((s) => s.no === row.stepNo)!;
        let command: Parameters<typeof act>[1]['command'];
        if (body.action === 'return') {
          const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
          if (!reason) throw new ApiError(422, webAppTexts.noReason);
          if (!isReturnReasonEnough(reason)) throw new ApiError(422, webAppTexts.reasonTooShort(MIN_RETURN_REASON_LENGTH));
          command = { kind: 'return', stepNo: row.stepNo, reason: reason.slice(0, MAX_REASON) };
        } else if (body.action === 'rate') {
          if (row.version === body.version && step.action !== 'rate') throw new ApiError(409, webAppTexts.notRatingStep);
          const hk = body.hasilKerja as Rating;
          const pl = body.perilaku as Rating;
          if (!RATINGS.includes(hk) || !RATINGS.includes(pl)) throw new ApiError(422, webAppTexts.badRequest);
          const catatan = typeof body.catatan === 'string' && body.catatan.trim() ? body.catatan.trim().slice(0, MAX_REASON) : undefined;
          command = { kind: 'complete', stepNo: row.stepNo, inputs: { rating: { hasilKerja: hk, perilaku: pl, ...(catatan ? { catatan } : {}) } } };
        } else {
          if (row.version === body.version && !ONE_TAP_ACTIONS.includes(step.action)) throw new ApiError(409, webAppTexts.needsChat);
          const inputs = step.requires.some((r) => r.kind === 'confirm') ? { confirmed: true } : {};
          command = row.status === 'returned' ? { kind: 'resubmit', inputs } : { kind: 'complete', stepNo: row.stepNo, inputs };
        }
        const result = await run(() => act(engine, { caseId, actorId: me.id, expectedVersion: body.version as number, command, now: deps.now() }));
        log.info({ caseId, action: body.action }, 'mini app: step acted on');
        return { done: true, status: result.case.status, version: result.case.version };
      },
    },

    // The dashboard of the pengelola and BKPP (and an atasan's own team): scoped as /rekap is.
    {
      method: 'GET',
      pattern: /^\/recap$/,
      handle: async ({ me, query }) => {
        await requireAccess(me, 'recap');
        const scope = scopeOf(me);
        if (!scope) throw new ApiError(403, webAppTexts.notFound);
        const period = parsePeriod(query.get('period') ?? '') ?? defaultPeriod(deps.now(), deps.calendar, deps.procedures.periodOf(null));
        const recap = await buildRecap(reportDeps, { period, scope, now: deps.now() });
        const overdue = await overdueSteps(reportDeps, { scope, now: deps.now(), limit: 50 });
        return {
          period,
          scope: scope.kind,
          units: recap.units.map(({ pdId, pdName, employees: n, linked, skp, monthly, overdue: late, predikat }) => ({ pdId, pdName, employees: n, linked, skp, monthly, overdue: late, predikat })),
          total: { employees: recap.total.employees, linked: recap.total.linked, skp: recap.total.skp, predikat: recap.total.predikat },
          overdue: {
            total: overdue.total,
            rows: overdue.rows.map((r) => ({
              caseId: r.caseId,
              version: r.version,
              subjectId: r.subjectId,
              subjectNama: r.subjectNama,
              pdName: r.pdName,
              stepLabel: r.stepLabel,
              holderNama: r.holderNama,
              overMinutes: r.overMinutes,
            })),
          },
        };
      },
    },
    {
      // Drill-down: a perangkat daerah's employees with their SKP state, worst first (as /rekap's 🔍).
      method: 'GET',
      pattern: /^\/recap\/units\/([0-9a-f-]{36})\/employees$/,
      handle: async ({ me, params, query }) => {
        const pdId = params[0]!;
        await requireAccess(me, 'recap', { kind: 'perangkatDaerah', unitId: pdId });
        const scope = scopeOf(me);
        const pdName = await pdNameOf(reportDeps, pdId);
        if (!scope || !pdName) throw new ApiError(404, webAppTexts.notFound);
        const period = parsePeriod(query.get('period') ?? '') ?? defaultPeriod(deps.now(), deps.calendar, deps.procedures.periodOf(null));
        const result = await employeeStatuses(reportDeps, { period, scope, now: deps.now(), pdId, limit: 200 });
        return {
          pdName,
          total: result.total,
          employees: result.rows.map((e) => ({ id: e.id, nama: e.nama, nip: e.nip, jabatan: e.jabatan, linked: e.linked, skpState: e.skpState })),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^\/overdue\/([0-9a-f-]{36})\/remind$/,
      handle: async ({ me, params, req, log }) => {
        const caseId = params[0]!;
        const body = (await readJsonBody(req)) as { version?: unknown };
        if (typeof body.version !== 'number') throw new ApiError(400, webAppTexts.badRequest);
        await requireAccess(me, 'recap', { kind: 'case', caseId });
        const scope = scopeOf(me);
        if (!scope) throw new ApiError(403, webAppTexts.notFound);
        const result = await sendManualReminder(reportDeps, {
          caseId,
          version: body.version,
          actor: me,
          scope,
          now: deps.now(),
          send: (info) => sendWithinClaim(deps.telegram, info.holderChatId, reminderText(info, tz)),
        });
        if (result.ok) log.info({ caseId }, 'mini app: manual reminder sent');
        return { ok: result.ok, message: plain(reminderResultText(result)) };
      },
    },
    {
      // The export to download: sent to the user's chat by the bot (a file in the chat opens on every client).
      method: 'POST',
      pattern: /^\/export$/,
      handle: async ({ me, req, log }) => {
        const body = (await readJsonBody(req)) as { period?: unknown };
        await requireAccess(me, 'export');
        const scope = scopeOf(me);
        if (!scope || !me.telegramChatId) throw new ApiError(403, webAppTexts.notFound);
        const period = parsePeriod(typeof body.period === 'string' ? body.period : '') ?? defaultPeriod(deps.now(), deps.calendar, deps.procedures.periodOf(null));
        // Written to a temporary file and stopped as soon as it is over what Telegram takes.
        const file = await exportForUpload(
          reportDeps,
          { period, scope, now: deps.now(), timeZone: tz, orgRating: null, koefisien: deps.config.deployment.angkaKredit.koefisien },
          deps.exportUpload,
        );
        if (!file.ok) throw new ApiError(413, webAppTexts.exportTooLarge(file.maxBytes, period));
        try {
          const units =
            scope.kind === 'perangkatDaerah'
              ? (await Promise.all(scope.pdIds.map((id) => pdNameOf(reportDeps, id)))).filter((n): n is string => n !== null).map((pdName) => ({ pdName }))
              : [];
          const caption = exportCaption(period, scopeText(scope, { units }), file.rowCounts, false);
          await deps.telegram.sendDocument(me.telegramChatId, { source: file.path, filename: file.fileName }, { caption });
        } finally {
          await file.cleanup();
        }
        log.info({ period }, 'mini app: export sent to the chat');
        return { sent: true, message: webAppTexts.exportSent };
      },
    },
    {
      method: 'GET',
      pattern: /^\/employees\/([0-9a-f-]{36})\/cases$/,
      handle: async ({ me, params, query }) => {
        const employeeId = params[0]!;
        if (!UUID.test(employeeId)) throw new ApiError(404, webAppTexts.notFound);
        await requireAccess(me, 'caseEvents', { kind: 'employee', employeeId });
        const period = parsePeriod(query.get('period') ?? '') ?? defaultPeriod(deps.now(), deps.calendar, deps.procedures.periodOf(null));
        const logs = await employeeCaseLogs(reportDeps, { employeeId, period, maxEvents: 50 });
        // People read the period's name, never its key.
        // Times in the agency's zone, as the chat writes them, not the phone's.
        return {
          logs: logs.map((l) => ({ ...l, period: periodLabel(l.period), events: l.events.map((e) => ({ ...e, atLabel: formatShortDateTime(e.at, tz) })) })),
        };
      },
    },
  ];
}
