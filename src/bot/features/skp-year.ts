// "/skp 2026", "/skp tahun lalu": another year's SKP. /skp itself builds this year's; an earlier year's is shown
// where it stands (it is no longer edited here), and a year not yet begun is refused.
import { caseOverview, findSkpCaseOf, localYear, needsIntervensi, rhkOfCaseData } from '../../app/skp.js';
import { isSkpEstablished } from '../../app/realisasi.js';
import type { EmployeeProfile } from '../../app/repositories/employees.js';
import { caseOverviewText, skpTexts } from '../../chat/texts/skp.js';
import { withPeriodKeys } from '../../domain/period.js';
import type { BotContext, BotDeps } from '../context.js';

/** Answers `/skp ARG` unless ARG names this year (then /skp goes on as usual); true when it answered. */
export async function answerOtherSkpYear(ctx: BotContext, deps: BotDeps, employee: EmployeeProfile, arg: string): Promise<boolean> {
  const now = deps.now();
  const current = localYear(deps.calendar, now);
  // "SKP 2026", "tahun 2026", "tahun lalu": the year, whatever words come with it.
  const words = withPeriodKeys(arg.toLowerCase(), deps.calendar.localDate(now))
    .replace(/\b(skp|tahun|thn)\b/g, ' ')
    .trim();
  const html = { parse_mode: 'HTML' as const };
  if (!/^\d{4}$/.test(words)) {
    await ctx.reply(skpTexts.yearUsage(current), html);
    return true;
  }
  if (words === current) return false;
  if (words > current) {
    await ctx.reply(skpTexts.futureYear(words, current), html);
    return true;
  }
  const row = await findSkpCaseOf(deps.db, deps.procedures, employee.id, words);
  if (!row) {
    await ctx.reply(skpTexts.noSkpOfYear(words, current), html);
    return true;
  }
  const established = isSkpEstablished(row, deps.procedures.get(row.procedureCode));
  const tz = deps.config.deployment.instansi.timeZone;
  const overview = caseOverviewText(await caseOverview(deps, row), tz, now);
  await ctx.reply(skpTexts.view(overview, rhkOfCaseData(row.data), needsIntervensi(employee), skpTexts.pastYearNote(words, current, established)), html);
  return true;
}
