// /jalankan: BKPP admins run a scheduled job now (a reminder, a recap) instead of waiting for its schedule.
import { Composer } from 'telegraf';
import { parsePeriod, periodKey, withPeriodKeys } from '../../domain/period.js';
import { permitted } from '../access.js';
import { commandArgument, employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { jalankanTexts } from '../../chat/texts/operations.js';

function isLocalDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** "/jalankan NAME [YYYY-MM-DD] [YYYY-MM | YYYY-T2 | YYYY-S1 | YYYY]" → the job's arguments, or the token that is neither. */
export function parseRunArguments(tokens: string[]): { args: Record<string, string> } | { bad: string } {
  const args: Record<string, string> = {};
  for (const token of tokens) {
    if (isLocalDate(token)) args.date = token;
    else if (/^\d{4}$/.test(token)) args.period = token;
    else if (parsePeriod(token)) args.period = periodKey(parsePeriod(token)!);
    else return { bad: token };
  }
  return { args };
}

export function runJobFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command('jalankan', async (ctx) => {
    if (!(await permitted(ctx, deps, 'runJobs', undefined, { no_role: jalankanTexts.notAuthorized }))) return;
    const admin = employeeOf(ctx)!;
    const jobs = deps.services.jobs;
    if (!jobs) return void (await ctx.reply(jalankanTexts.notReady));
    const [name, ...rest] = withPeriodKeys(commandArgument(ctx)).split(/\s+/).filter(Boolean);
    if (!name) return void (await ctx.reply(jalankanTexts.list(jobs.jobNames()), { parse_mode: 'HTML' }));
    if (!jobs.jobNames().includes(name)) return void (await ctx.reply(jalankanTexts.unknown(name), { parse_mode: 'HTML' }));
    const parsed = parseRunArguments(rest);
    if ('bad' in parsed) return void (await ctx.reply(jalankanTexts.badArgument(parsed.bad), { parse_mode: 'HTML' }));
    await ctx.reply(jalankanTexts.running(name), { parse_mode: 'HTML' });
    const log = logOf(ctx);
    log.info({ job: name, args: parsed.args, by: admin.id }, 'operator runs a job now');
    try {
      const result = await jobs.runNow(name, parsed.args);
      await ctx.reply(jalankanTexts.done(name, result), { parse_mode: 'HTML' });
    } catch (error) {
      log.error({ err: error, job: name }, 'job run from the chat failed');
      await ctx.reply(jalankanTexts.failed(name), { parse_mode: 'HTML' });
    }
  });

  return composer;
}
