// /status: where each of the user's own cases (annual SKP, monthly realisation, …) stands, in local time.
import { Composer } from 'telegraf';
import { caseOverviewsOf } from '../../app/skp.js';
import { unsentLateRealisasi } from '../../app/realisasi.js';
import { permitted } from '../access.js';
import { employeeOf, type BotContext, type BotDeps } from '../context.js';
import { statusTexts } from '../../chat/texts/skp.js';

export function statusFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;

  composer.command('status', async (ctx) => {
    if (!(await permitted(ctx, deps, 'status'))) return;
    const employee = employeeOf(ctx)!;
    // A nomination for an award is not shown to the nominee while it is under way, only once it is complete.
    const underWayAward = (o: { procedureCode: string; status: string }) => {
      try {
        return deps.procedures.get(o.procedureCode).purpose === 'award' && o.status !== 'completed';
      } catch {
        return false;
      }
    };
    const now = deps.now();
    const [all, unsent] = await Promise.all([
      caseOverviewsOf(deps, { subjectId: employee.id }),
      unsentLateRealisasi(deps, employee, now, deps.config.deployment.monthly.deadlineDay),
    ]);
    const overviews = all.filter((o) => !underWayAward(o));
    if (overviews.length === 0) return void (await ctx.reply(statusTexts.none));
    // What is missing goes under where things stand: a realisation past its deadline and never sent.
    const notes = unsent ? [statusTexts.unsentLate(unsent.period, unsent.deadline, tz)] : [];
    for (const page of statusTexts.pages(overviews, tz, now, notes)) await ctx.reply(page, { parse_mode: 'HTML' });
  });

  return composer;
}
