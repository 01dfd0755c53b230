// /keberatan: an ASN objects to a periodic or annual result within 14 days of receiving it (PP 30/2019 ps. 59). The command
// lists the rated results with their windows; choosing one opens the objection and asks its reasons (and takes
// evidence files) through the typed step input; the atasan of the pejabat penilai takes it from there.
import { Composer } from 'telegraf';
import type { EngineDeps } from '../../app/case-engine.js';
import { loadCaseView } from '../../app/case-view.js';
import { fileKeberatan, objectableResults } from '../../app/keberatan.js';
import { isDomainError } from '../../domain/errors.js';
import { typedPeriodKey } from '../../domain/period.js';
import { permitted } from '../access.js';
import { commandArgument, employeeOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { texts } from '../../chat/texts/common.js';
import { keberatanKeyboards, keberatanTexts } from '../../chat/texts/keberatan.js';
import { keberatanButtons } from '../../chat/buttons/keberatan.js';
import { onButton } from '../buttons.js';
import { askStepInput } from './step-input.js';

/** A month ('2026-03') or a year ('2025', the annual evaluation). */

export function keberatanFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const engine: EngineDeps = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures };
  const tz = deps.config.deployment.instansi.timeZone;
  const html = { parse_mode: 'HTML' as const };

  async function file(ctx: BotContext, period: string): Promise<void> {
    const me = employeeOf(ctx)!;
    let filed: Awaited<ReturnType<typeof fileKeberatan>>;
    try {
      filed = await fileKeberatan(engine, { subject: me, period, now: deps.now() });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return void (await ctx.reply(domainErrorText(error, tz), html));
    }
    const view = await loadCaseView(deps.db, deps.procedures, filed.case.id);
    if (!view) return void (await ctx.reply(texts.unexpectedError));
    await askStepInput(deps, ctx, view, filed.created ? keberatanTexts.opened(period) : keberatanTexts.resumed(period));
  }

  composer.command('keberatan', async (ctx) => {
    if (!(await permitted(ctx, deps, 'fileKeberatan'))) return;
    const me = employeeOf(ctx)!;
    const arg = commandArgument(ctx).trim();
    if (arg) {
      const period = typedPeriodKey(arg, deps.calendar.localDate(deps.now()));
      if (!period) return void (await ctx.reply(keberatanTexts.badPeriod, html));
      return file(ctx, period);
    }
    const results = await objectableResults(engine, me.id, deps.now());
    if (results.length === 0) return void (await ctx.reply(keberatanTexts.none));
    await ctx.reply(keberatanTexts.list(results, tz), { ...html, ...keberatanKeyboards.choose(results) });
  });

  onButton(composer, keberatanButtons, async (ctx, { period }) => {
    // A button stays in the chat: whoever taps it later (deactivated, unlinked) is asked again.
    if (!(await permitted(ctx, deps, 'fileKeberatan'))) return;
    await ctx.answerCbQuery();
    await file(ctx, period);
  });

  return composer;
}
