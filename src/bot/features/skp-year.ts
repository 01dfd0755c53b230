// "/skp 2026", "/skp tahun lalu": another year's SKP. /skp itself builds this year's; an earlier year's is shown
// where it stands with what it holds, or, while it still waits on the ASN (returned, or never sent), opened to be
// finished: the annual evaluation of that year needs it established. A year not yet begun is refused.
import { caseOverview, findSkpCaseOf, localYear, needsIntervensi, rhkOfCaseData, skpCaseOf, type SkpCase } from '../../app/skp.js';
import { isSkpEstablished } from '../../app/realisasi.js';
import type { EmployeeProfile } from '../../app/repositories/employees.js';
import { caseOverviewText, skpTexts } from '../../chat/texts/skp.js';
import { withPeriodKeys } from '../../domain/period.js';
import type { BotContext, BotDeps } from '../context.js';

/**
 * Answers `/skp ARG`: 'answered' when it did, 'current' when ARG names this year (then /skp goes on as usual), or
 * an earlier year's SKP still in the ASN's hands, for /skp to open as it opens this year's.
 */
export async function answerOtherSkpYear(
  ctx: BotContext,
  deps: BotDeps,
  employee: EmployeeProfile,
  arg: string,
): Promise<'answered' | 'current' | SkpCase> {
  const now = deps.now();
  const current = localYear(deps.calendar, now);
  // "SKP 2026", "tahun 2026", "tahun lalu": the year, whatever words come with it.
  const words = withPeriodKeys(arg.toLowerCase(), deps.calendar.localDate(now))
    .replace(/\b(skp|tahun|thn)\b/g, ' ')
    .trim();
  const html = { parse_mode: 'HTML' as const };
  if (!/^\d{4}$/.test(words)) {
    await ctx.reply(skpTexts.yearUsage(current), html);
    return 'answered';
  }
  if (words === current) return 'current';
  if (words > current) {
    await ctx.reply(skpTexts.futureYear(words, current), html);
    return 'answered';
  }
  const row = await findSkpCaseOf(deps.db, deps.procedures, employee.id, words);
  if (!row) {
    await ctx.reply(skpTexts.noSkpOfYear(words, current), html);
    return 'answered';
  }
  const skp = skpCaseOf(deps.procedures, row);
  if (skp.editable) return skp;
  const state = isSkpEstablished(row, skp.procedure) ? 'established' : row.status === 'cancelled' ? 'closed' : 'checking';
  const tz = deps.config.deployment.instansi.timeZone;
  const overview = caseOverviewText(await caseOverview(deps, row), tz, now);
  await ctx.reply(skpTexts.view(overview, rhkOfCaseData(row.data), needsIntervensi(employee), skpTexts.pastYearNote(words, current, state)), html);
  return 'answered';
}
