// /status: where each of the user's own cases (annual SKP, monthly realisation, …) stands, in local time.
import { Composer } from 'telegraf';
import { caseOverviewsOf } from '../../app/skp.js';
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
    const overviews = (await caseOverviewsOf(deps, { subjectId: employee.id })).filter((o) => !underWayAward(o));
    if (overviews.length === 0) return void (await ctx.reply(statusTexts.none));
    for (const page of statusTexts.pages(overviews, tz, deps.now())) await ctx.reply(page, { parse_mode: 'HTML' });
  });

  return composer;
}
