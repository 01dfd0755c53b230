// /rekap and /ekspor: recaps with a chart, drill-down to employees and case logs, overdue steps with Ingatkan,
// mutu baku, and the XLSX/CSV export. Callback data starts with "rk:".
import { sendWithinClaim } from '../../chat/outgoing/index.js';
import { withWebAppRow } from '../web-app.js';
import { Composer } from 'telegraf';
import { renderStackedBarsPng } from '../../app/charts.js';
import { parseSheetName, type SheetName } from '../../app/export.js';
import { EXPORT_PATIENCE_MS, exportForUpload, type ExportUpload } from '../../app/export-upload.js';
import { measureMutuBaku } from '../../app/mutu-baku.js';
import { undeliveredNotifications } from '../../app/undelivered.js';
import {
  buildRecap,
  defaultPeriod,
  employeeCaseLogs,
  employeeStatuses,
  overdueSteps,
  parsePeriod,
  perangkatDaerahName,
  perangkatDaerahOfScope,
  scopeOf,
  sendManualReminder,
  type ReportPeriod,
  type ReportScope,
} from '../../app/reports.js';
import { findEmployeeById } from '../../app/repositories/employees.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { withPeriodKeys } from '../../domain/period.js';
import { perangkatDaerahMatching } from '../../domain/unit-name.js';
import type { OrgRating } from '../../domain/predikat.js';
import { permitted } from '../access.js';
import { onButton, type ButtonContext } from '../buttons.js';
import { reportButtons, type ReportButton } from '../../chat/buttons/reports.js';
import { commandArgument, employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { texts } from '../../chat/texts/common.js';
import {
  caseLogsKeyboard,
  caseLogsText,
  chartCaption,
  complianceChart,
  employeeListKeyboard,
  employeeListText,
  EMPLOYEES_PER_PAGE,
  exportCaption,
  mutuBakuKeyboard,
  mutuBakuText,
  OVERDUE_PER_PAGE,
  overdueKeyboard,
  overdueText,
  parseOrgRating,
  reminderResultText,
  reminderText,
  reportTexts,
  scopeText,
  summaryKeyboard,
  summaryPages,
  undeliveredText,
} from '../../chat/texts/reports.js';

type RekapRequest =
  /** `unitWords`: what is left, a perangkat daerah's name ("/rekap Dinas Kesehatan") or a mistake. */
  | { ok: true; mode: 'summary' | 'overdue' | 'mutu'; period: ReportPeriod | null; org: OrgRating | null; unitWords: string[] }
  | { ok: false; message: string };

/** A token meant as a period (then refused when it is not a valid one, e.g. 2026-13 or 2026-T5). */
const PERIOD_TOKEN = /^\d{4}(-(\d{1,2}|[TS]\d))?$/i;

/** Whether `work` settles (either way) within `ms`. */
function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = work.then(
    () => true,
    () => true,
  );
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

/** "/rekap [YYYY | YYYY-MM | YYYY-T2 | YYYY-S1] [terlambat | mutu] [org=baik] [perangkat daerah]", in any order. */
export function parseRekapArgument(arg: string, localDate?: string): RekapRequest {
  let mode: 'summary' | 'overdue' | 'mutu' = 'summary';
  let period: ReportPeriod | null = null;
  let org: OrgRating | null = null;
  const unitWords: string[] = [];
  for (const token of withPeriodKeys(arg, localDate).split(/\s+/).filter(Boolean)) {
    const lower = token.toLowerCase();
    if (PERIOD_TOKEN.test(token)) {
      const parsed = parsePeriod(token);
      if (!parsed || period) return { ok: false, message: reportTexts.badPeriod(token) };
      period = parsed;
    } else if (['terlambat', 'telat', 'sla'].includes(lower)) {
      mode = 'overdue';
    } else if (['mutu', 'mutu-baku', 'mutubaku'].includes(lower)) {
      mode = 'mutu';
    } else if (lower.startsWith('org=')) {
      org = parseOrgRating(token.slice(4));
      if (!org) return { ok: false, message: reportTexts.badOrg(token.slice(4)) };
    } else {
      unitWords.push(token);
    }
  }
  return { ok: true, mode, period, org, unitWords };
}

type EksporRequest =
  | { ok: true; period: ReportPeriod | null; org: OrgRating | null; csvSheet: SheetName | null; unitWords: string[] }
  | { ok: false; message: string };

/** "/ekspor [YYYY | YYYY-MM | YYYY-T2 | YYYY-S1] [perangkat daerah] [csv NAMA SHEET] [org=baik]". */
export function parseEksporArgument(arg: string, localDate?: string): EksporRequest {
  let period: ReportPeriod | null = null;
  let org: OrgRating | null = null;
  let csv = false;
  const sheetWords: string[] = [];
  const unitWords: string[] = [];
  for (const token of withPeriodKeys(arg, localDate).split(/\s+/).filter(Boolean)) {
    const lower = token.toLowerCase();
    if (PERIOD_TOKEN.test(token)) {
      const parsed = parsePeriod(token);
      if (!parsed || period) return { ok: false, message: reportTexts.badPeriod(token) };
      period = parsed;
    } else if (lower.startsWith('org=')) {
      org = parseOrgRating(token.slice(4));
      if (!org) return { ok: false, message: reportTexts.badOrg(token.slice(4)) };
    } else if (lower === 'csv') {
      csv = true;
    } else if (lower === 'xlsx' || lower === 'excel') {
      csv = false;
    } else if (csv) {
      sheetWords.push(token);
    } else {
      unitWords.push(token);
    }
  }
  if (!csv) return { ok: true, period, org, csvSheet: null, unitWords };
  if (sheetWords.length === 0) return { ok: false, message: reportTexts.csvNeedsSheet };
  const sheet = parseSheetName(sheetWords.join(' '));
  if (!sheet) return { ok: false, message: reportTexts.badSheet(sheetWords.join(' ')) };
  return { ok: true, period, org, csvSheet: sheet, unitWords };
}

function isNotModified(error: unknown): boolean {
  return /message is not modified/i.test(String((error as { description?: string })?.description ?? (error as Error)?.message ?? ''));
}

export function reportsFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const timeZone = deps.config.deployment.instansi.timeZone as AgencyTimeZone;

  /** The caller's scope, or an answer saying why there is none (null). */
  const scopeFor = async (ctx: BotContext, operation: 'recap' | 'export' = 'recap'): Promise<ReportScope | null> => {
    if (!(await permitted(ctx, deps, operation, undefined, { no_role: reportTexts.notAllowed }))) return null;
    return scopeOf(employeeOf(ctx));
  };

  /**
   * Edits the message the button belongs to; a message that can no longer be edited gets a fresh reply, as does a
   * page asked for by a command (`how: 'reply'`).
   */
  const show = async (ctx: BotContext, text: string, extra: { reply_markup?: unknown }, how: 'edit' | 'reply' = 'edit') => {
    const options = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true }, ...extra } as Parameters<BotContext['reply']>[1];
    if (how === 'reply') return void (await ctx.reply(text, options));
    try {
      await ctx.editMessageText(text, options as Parameters<BotContext['editMessageText']>[1]);
    } catch (error) {
      if (isNotModified(error)) return;
      logOf(ctx).warn({ err: error }, 'editing a report message failed; replying instead');
      await ctx.reply(text, options);
    }
  };

  const typing = (ctx: BotContext, action: 'typing' | 'upload_photo' | 'upload_document') =>
    ctx.sendChatAction(action).catch(() => {});

  const sendSummary = async (ctx: BotContext, scope: ReportScope, period: ReportPeriod, org: OrgRating | null) => {
    await typing(ctx, 'upload_photo');
    const recap = await buildRecap(deps, { period, scope, now: deps.now(), orgRating: org });
    if (recap.units.length === 0) return void (await ctx.reply(reportTexts.noEmployees));
    try {
      const png = renderStackedBarsPng(complianceChart(recap, timeZone));
      await ctx.replyWithPhoto({ source: png, filename: 'rekap.png' }, { caption: chartCaption(recap) });
    } catch (error) {
      // The picture helps but the numbers matter: never let a chart failure swallow the recap.
      logOf(ctx).warn({ err: error }, 'recap chart failed');
    }
    const pages = summaryPages(recap, scope, timeZone);
    await ctx.reply(pages[0]!.text, { parse_mode: 'HTML', reply_markup: withWebAppRow(summaryKeyboard(recap, pages, 0).reply_markup, deps, 'rekap') });
  };

  const overduePage = async (scope: ReportScope, page: number, period: ReportPeriod | null, viewerId: string) => {
    const now = deps.now();
    let result = await overdueSteps(deps, { scope, now, period: period ?? undefined, limit: OVERDUE_PER_PAGE, offset: page * OVERDUE_PER_PAGE });
    if (result.rows.length === 0 && page > 0 && result.total > 0) {
      // The list shrank since the buttons were drawn: show its last page.
      page = Math.ceil(result.total / OVERDUE_PER_PAGE) - 1;
      result = await overdueSteps(deps, { scope, now, period: period ?? undefined, limit: OVERDUE_PER_PAGE, offset: page * OVERDUE_PER_PAGE });
    }
    // BKPP (every perangkat daerah) also sees the notifications the outbox gave up on: nobody else would know.
    const undelivered = scope.kind === 'all' ? undeliveredText(await undeliveredNotifications(deps.db), timeZone) : '';
    if (result.total === 0) return { text: reportTexts.noOverdue(period) + undelivered, keyboard: undefined };
    return {
      text: overdueText(result.rows, result.total, page, period, viewerId) + undelivered,
      keyboard: overdueKeyboard(result.rows, result.total, page, period, viewerId),
    };
  };

  /** Who a report covers, in words, without computing the recap. */
  const scopeLabel = async (scope: ReportScope): Promise<string> => {
    if (scope.kind !== 'perangkatDaerah') return scopeText(scope, { units: [] });
    const names = await Promise.all(scope.pdIds.map((id) => perangkatDaerahName(deps, id)));
    return scopeText(scope, { units: names.filter((n): n is string => n !== null).map((pdName) => ({ pdName })) });
  };

  const mutuBaku = async (scope: ReportScope, period: ReportPeriod) => {
    const rows = await measureMutuBaku(deps, { period, scope });
    return mutuBakuText(rows, period, await scopeLabel(scope));
  };

  /**
   * The perangkat daerah that words typed after /rekap or /ekspor name, within the scope; otherwise the user is told
   * (several fit, one outside a pengelola's own, or the words are not understood) and the answer is null.
   */
  const unitNamed = async (ctx: BotContext, scope: ReportScope, words: string[], command: 'rekap' | 'ekspor'): Promise<string | null> => {
    const typed = words.join(' ');
    const units = perangkatDaerahMatching(await perangkatDaerahOfScope(deps, scope), typed);
    if (units.length === 1) return units[0]!.id;
    const elsewhere =
      units.length === 0 && scope.kind === 'perangkatDaerah' && perangkatDaerahMatching(await perangkatDaerahOfScope(deps, { kind: 'all' }), typed).length > 0;
    const text =
      units.length > 1
        ? reportTexts.pdAmbiguous(command, typed, units.map((u) => u.name))
        : elsewhere
          ? reportTexts.pdNotInScope
          : reportTexts.badArgument(words[0]!, command === 'rekap' ? reportTexts.rekapUsage : reportTexts.eksporUsage);
    await ctx.reply(text, { parse_mode: 'HTML' });
    return null;
  };

  composer.command('rekap', async (ctx) => {
    const scope = await scopeFor(ctx);
    if (!scope) return;
    const request = parseRekapArgument(commandArgument(ctx), deps.calendar.localDate(deps.now()));
    if (!request.ok) return void (await ctx.reply(request.message, { parse_mode: 'HTML' }));
    // A perangkat daerah's name goes with the summary only: "terlambat" and "mutu" cover the whole scope.
    if (request.unitWords.length > 0 && request.mode !== 'summary') {
      return void (await ctx.reply(reportTexts.badArgument(request.unitWords[0]!, reportTexts.rekapUsage), { parse_mode: 'HTML' }));
    }
    if (request.mode === 'overdue') {
      await typing(ctx, 'typing');
      const { text, keyboard } = await overduePage(scope, 0, request.period, employeeOf(ctx)!.id);
      return void (await ctx.reply(text, { parse_mode: 'HTML', ...(keyboard ?? {}) }));
    }
    const period = request.period ?? defaultPeriod(deps.now(), deps.calendar, deps.procedures.periodOf(null));
    if (request.unitWords.length > 0) {
      const pdId = await unitNamed(ctx, scope, request.unitWords, 'rekap');
      if (pdId) await sendPerangkatDaerah(ctx, { scope, pdId, period, org: request.org, page: 0 }, 'reply');
      return;
    }
    if (request.mode === 'mutu') {
      await typing(ctx, 'typing');
      return void (await ctx.reply(await mutuBaku(scope, period), { parse_mode: 'HTML' }));
    }
    await sendSummary(ctx, scope, period, request.org);
  });

  composer.command('ekspor', async (ctx) => {
    const wholeScope = await scopeFor(ctx, 'export');
    if (!wholeScope) return;
    const request = parseEksporArgument(commandArgument(ctx), deps.calendar.localDate(deps.now()));
    if (!request.ok) return void (await ctx.reply(request.message, { parse_mode: 'HTML' }));
    // "/ekspor Dinas Kesehatan 2026": the export of that perangkat daerah only.
    let scope = wholeScope;
    if (request.unitWords.length > 0) {
      const pdId = await unitNamed(ctx, wholeScope, request.unitWords, 'ekspor');
      if (!pdId) return;
      scope = { kind: 'perangkatDaerah', pdIds: [pdId] };
    }
    const period = request.period ?? defaultPeriod(deps.now(), deps.calendar, deps.procedures.periodOf(null));
    await typing(ctx, 'upload_document');
    const log = logOf(ctx);
    // Written to a temporary file and stopped as soon as it is over what Telegram takes.
    const produced = exportForUpload(
      deps,
      {
        period,
        scope,
        now: deps.now(),
        timeZone,
        orgRating: request.org,
        koefisien: deps.config.deployment.angkaKredit.koefisien,
        ...(request.csvSheet ? { csvSheet: request.csvSheet } : {}),
      },
      deps.exportUpload,
    );
    const deliver = async () => {
      let file: ExportUpload;
      try {
        file = await produced;
      } catch (error) {
        log.error({ err: error }, 'export failed');
        return void (await ctx.reply(reportTexts.exportFailed));
      }
      if (!file.ok) return void (await ctx.reply(reportTexts.exportTooLarge(file.maxBytes, period, request.csvSheet), { parse_mode: 'HTML' }));
      try {
        const caption = exportCaption(period, await scopeLabel(scope), file.rowCounts, request.csvSheet !== null);
        await ctx.replyWithDocument({ source: file.path, filename: file.fileName }, { caption });
      } finally {
        await file.cleanup();
      }
    };
    // A year's export can take longer than an update may be handled (telegraf's handler timeout would answer
    // "coba lagi" while it still runs): past a few seconds the user is told the file follows, and it is sent when
    // it is ready, outside this update.
    if (await settlesWithin(produced, deps.exportUpload?.patienceMs ?? EXPORT_PATIENCE_MS)) return deliver();
    await ctx.reply(reportTexts.exportFollows(period));
    void deliver().catch(async (error: unknown) => {
      log.error({ err: error }, 'export could not be delivered');
      await ctx.reply(reportTexts.exportFailed).catch(() => undefined);
    });
  });

  // Summary pages.
  const onSummary = async (ctx: ButtonContext, b: Extract<ReportButton, { op: 'summary' }>) => {
    const scope = await scopeFor(ctx);
    if (!scope) return;
    const { page: pageNo, period: chosen, org } = b;
    await ctx.answerCbQuery();
    const period = chosen;
    const recap = await buildRecap(deps, { period, scope, now: deps.now(), orgRating: org });
    if (recap.units.length === 0) return void (await show(ctx, reportTexts.noEmployees, {}));
    const pages = summaryPages(recap, scope, timeZone);
    const page = Math.min(pageNo, pages.length - 1);
    await show(ctx, pages[page]!.text, summaryKeyboard(recap, pages, page));
  };

  // A perangkat daerah's employees.
  const onPerangkatDaerah = async (ctx: ButtonContext, b: Extract<ReportButton, { op: 'perangkatDaerah' }>) => {
    const scope = await scopeFor(ctx);
    if (!scope) return;
    await sendPerangkatDaerah(ctx, { scope, pdId: b.perangkatDaerahId, period: b.period, org: b.org, page: b.page }, 'edit');
  };

  /** A perangkat daerah's employees, a page at a time: in place of the tapped message, or as a reply to /rekap NAME. */
  const sendPerangkatDaerah = async (
    ctx: BotContext,
    input: { scope: ReportScope; pdId: string; period: ReportPeriod; org: OrgRating | null; page: number },
    how: 'edit' | 'reply',
  ) => {
    const { scope, pdId, period, org } = input;
    const unit = { kind: 'perangkatDaerah' as const, unitId: pdId };
    if (!(await permitted(ctx, deps, 'recap', unit, { out_of_scope: reportTexts.pdNotInScope }))) return;
    const pdName = await perangkatDaerahName(deps, pdId);
    if (how === 'edit') {
      if (!pdName) return void (await ctx.answerCbQuery(texts.buttonInvalid));
      await ctx.answerCbQuery();
    }
    if (!pdName) return;
    const now = deps.now();
    let page = input.page;
    let result = await employeeStatuses(deps, { period, scope, now, pdId, limit: EMPLOYEES_PER_PAGE, offset: page * EMPLOYEES_PER_PAGE });
    if (result.rows.length === 0 && page > 0 && result.total > 0) {
      page = Math.ceil(result.total / EMPLOYEES_PER_PAGE) - 1;
      result = await employeeStatuses(deps, { period, scope, now, pdId, limit: EMPLOYEES_PER_PAGE, offset: page * EMPLOYEES_PER_PAGE });
    }
    await show(ctx, employeeListText(pdName, period, result.rows, result.total, page), employeeListKeyboard(pdId, period, result.rows, result.total, page, org), how);
  };

  // One employee's cases and their event logs.
  const onEmployee = async (ctx: ButtonContext, b: Extract<ReportButton, { op: 'employee' }>) => {
    const scope = await scopeFor(ctx);
    if (!scope) return;
    const { employeeId, period: chosen, page: backPage, org } = b;
    const target = { kind: 'employee' as const, employeeId };
    if (!(await permitted(ctx, deps, 'caseEvents', target, { out_of_scope: reportTexts.employeeNotInScope }))) return;
    const employee = await findEmployeeById(deps.db, employeeId);
    if (!employee) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    await ctx.answerCbQuery();
    const period = chosen;
    const logs = await employeeCaseLogs(deps, { employeeId, period, maxEvents: 30 });
    const keyboard = caseLogsKeyboard(employee.perangkatDaerahId, period, backPage, org);
    await show(ctx, logs.length === 0 ? reportTexts.noCases(employee.nama, period) : caseLogsText(employee.nama, period, logs, timeZone), keyboard);
  };

  // Overdue steps, page by page.
  const onOverdue = async (ctx: ButtonContext, b: Extract<ReportButton, { op: 'overdue' }>) => {
    const scope = await scopeFor(ctx);
    if (!scope) return;
    await ctx.answerCbQuery();
    const { text, keyboard } = await overduePage(scope, b.page, b.period, employeeOf(ctx)!.id);
    await show(ctx, text, keyboard ?? {});
  };

  // Ingatkan: remind the holder of an overdue step now.
  const onRemind = async (ctx: ButtonContext, b: Extract<ReportButton, { op: 'remind' }>) => {
    const scope = await scopeFor(ctx);
    if (!scope) return;
    const actor = employeeOf(ctx)!;
    const { caseId, version } = b;
    const outOfScope = reminderResultText({ ok: false, reason: 'not_in_scope' });
    const target = { kind: 'case' as const, caseId };
    if (!(await permitted(ctx, deps, 'recap', target, { out_of_scope: outOfScope, not_found: texts.buttonInvalid }))) return;
    const result = await sendManualReminder(deps, {
      caseId,
      version,
      actor,
      scope,
      now: deps.now(),
      // Sent inside the claim's transaction: a Telegram that keeps refusing fails the reminder, not the lock.
      send: (info) => sendWithinClaim(ctx.telegram, info.holderChatId, reminderText(info, timeZone)),
    });
    if (result.ok) logOf(ctx).info({ caseId, by: actor.id }, 'manual reminder sent');
    await ctx.answerCbQuery(reminderResultText(result));
  };

  // Mutu baku for the recap's period.
  const onMutuBaku = async (ctx: ButtonContext, b: Extract<ReportButton, { op: 'mutuBaku' }>) => {
    const scope = await scopeFor(ctx);
    if (!scope) return;
    const { period, org } = b;
    await ctx.answerCbQuery();
    await show(ctx, await mutuBaku(scope, period), mutuBakuKeyboard(period, org));
  };

  onButton(composer, reportButtons, async (ctx, b) => {
    switch (b.op) {
      case 'summary':
        return onSummary(ctx, b);
      case 'perangkatDaerah':
        return onPerangkatDaerah(ctx, b);
      case 'employee':
        return onEmployee(ctx, b);
      case 'overdue':
        return onOverdue(ctx, b);
      case 'remind':
        return onRemind(ctx, b);
      case 'mutuBaku':
        return onMutuBaku(ctx, b);
    }
  });

  return composer;
}
