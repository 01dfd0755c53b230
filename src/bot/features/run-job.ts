// /jalankan: BKPP admins run a scheduled job now (a reminder, a recap) instead of waiting for its schedule.
import { Composer } from 'telegraf';
import { parsePeriod, periodKey, withPeriodKeys } from '../../domain/period.js';
import { permitted } from '../access.js';
import { commandArgument, employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { jalankanTexts, jobChatName } from '../../chat/texts/operations.js';

/** 'YYYY-MM-DD' of a real day typed as DD-MM-YYYY (also with '/' or '.') or YYYY-MM-DD; null otherwise. */
function localDateOf(value: string): string | null {
  const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(value);
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [y, m, d] = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : [];
  if (!y || !m || !d) return null;
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) === iso ? iso : null;
}

/** The job a typed name means: its chat name (Indonesian) or its own, in any case; null if none. */
function jobNamed(typed: string, names: string[]): string | null {
  const name = typed.toLowerCase();
  return names.find((n) => n === name || jobChatName(n) === name) ?? null;
}

/** "/jalankan NAME [DD-MM-YYYY] [YYYY-MM | YYYY-T2 | YYYY-S1 | YYYY]" → the job's arguments, or the token that is neither. */
export function parseRunArguments(tokens: string[]): { args: Record<string, string> } | { bad: string } {
  const args: Record<string, string> = {};
  for (const token of tokens) {
    const date = localDateOf(token);
    if (date) args.date = date;
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
    const [typed, ...rest] = withPeriodKeys(commandArgument(ctx)).split(/\s+/).filter(Boolean);
    if (!typed) return void (await ctx.reply(jalankanTexts.list(jobs.jobNames()), { parse_mode: 'HTML' }));
    const name = jobNamed(typed, jobs.jobNames());
    if (!name) return void (await ctx.reply(jalankanTexts.unknown(typed), { parse_mode: 'HTML' }));
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
