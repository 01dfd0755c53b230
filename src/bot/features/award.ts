// /usulkan: the pengelola kepegawaian proposes an employee of their perangkat daerah as ASN Berprestasi (seed 004).
// The command opens the year's nomination and asks for its summary (and data files) at once; the Kepala SKPD then
// sets and scores it, the pengelola enters it in SI PETRUK, the Kepala SKPD signs, Tim BKPSDM verifies and prints
// the certificate — each through the usual step requests.
import { Composer } from 'telegraf';
import { AWARD_PROCEDURE, awardYear, nominate, nominationsOf } from '../../app/award.js';
import type { EngineDeps } from '../../app/case-engine.js';
import { loadCaseView } from '../../app/case-view.js';
import { isDomainError } from '../../domain/errors.js';
import { permitted, replyNotLinked } from '../access.js';
import { commandArgument, employeeOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { texts } from '../../chat/texts/common.js';
import { awardTexts } from '../../chat/texts/award.js';
import { askStepInput } from './step-input.js';
import { answerNameForNip, onNipPick } from '../nip-argument.js';

const MAX_LISTED = 30;

export function awardFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const engine: EngineDeps & Pick<BotDeps, 'access'> = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures, access: deps.access };
  const tz = deps.config.deployment.instansi.timeZone;
  const html = { parse_mode: 'HTML' as const };

  const usulkan = async (ctx: BotContext, arg: string) => {
    const me = employeeOf(ctx);
    if (!me) return void (await replyNotLinked(ctx));
    const year = awardYear(engine, deps.now());
    // Proposing is the pengelola's; Tim BKPSDM (BKPP admins) lists every perangkat daerah's nominations.
    const operation = arg ? 'nominate' : 'nominations';
    if (!(await permitted(ctx, deps, operation, undefined, { no_role: awardTexts.pengelolaOnly }))) return;
    const bkppOnly = !deps.access.mayEver(me, 'nominate');

    if (!arg) {
      // The usage, then what this PD (or, for BKPP, every PD) has proposed this year and where each stands.
      const rows = await nominationsOf(deps.db, deps.access.scope(me, 'nominations'), year);
      const procedure = deps.procedures.get(AWARD_PROCEDURE);
      const lines = rows.slice(0, MAX_LISTED).map((r, i) => {
        const step = procedure.steps.find((s) => s.no === r.case.stepNo);
        const where =
          r.case.status === 'completed'
            ? 'selesai'
            : r.case.status === 'cancelled'
              ? 'dibatalkan'
              : `${r.case.status === 'returned' ? 'dikembalikan, ' : ''}tahap ${r.case.stepNo}: ${step?.uraian ?? ''}`;
        // BKPP sees every PD's nominations: each line names the nominee's perangkat daerah.
        const pd = bkppOnly ? (r.unitPath.split(' / ')[0] ?? '') : null;
        return awardTexts.listLine(i + 1, pd ? `${r.nama}, ${pd}` : r.nama, r.nip, where);
      });
      const heading = bkppOnly ? awardTexts.listHeadingAll(year, rows.length) : awardTexts.listHeading(year, rows.length);
      const list = rows.length > 0 ? `\n\n${heading}\n${lines.join('\n')}` : '';
      if (bkppOnly) await ctx.reply(rows.length > 0 ? list.trim() : awardTexts.noneYet(year), html);
      else await ctx.reply(`${awardTexts.usage(year)}${list}`, html);
      return;
    }

    if (await answerNameForNip(ctx, deps, { typed: arg, operation: 'nominate', command: 'usulkan' })) return;
    let opened: Awaited<ReturnType<typeof nominate>>;
    try {
      opened = await nominate(engine, { nominator: me, nipInput: arg, now: deps.now() });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const text = error.code === 'SELF_NOMINATION' ? awardTexts.selfNomination : domainErrorText(error, tz);
      return void (await ctx.reply(text, html));
    }
    const view = await loadCaseView(deps.db, deps.procedures, opened.case.id);
    if (!view) return void (await ctx.reply(texts.unexpectedError));
    const { nama } = opened.nominee;
    if (view.row.status === 'completed') return void (await ctx.reply(awardTexts.alreadyDone(nama, year), html));
    if (view.row.status === 'cancelled') return void (await ctx.reply(awardTexts.cancelledBefore(nama, year), html));
    if (view.step.no !== view.procedure.steps[0]!.no) return void (await ctx.reply(awardTexts.inProgress(view), html));
    await askStepInput(deps, ctx, view, opened.created ? awardTexts.opened(nama, year) : awardTexts.resumed(nama));
  };
  composer.command(['usulkan', 'berprestasi'], (ctx) => usulkan(ctx, commandArgument(ctx)));
  onNipPick(composer, 'usulkan', usulkan);

  return composer;
}
