// Operations in the chat: /wakil (name a Plh while on leave) and /jalankan (BKPP admins run a scheduled job now).
import { Composer } from 'telegraf';
import { cancelDelegations, createDelegation, listDelegations, parseDelegationArgs } from '../../app/delegation.js';
import { isDomainError } from '../../domain/errors.js';
import { parsePeriod, periodKey } from '../../domain/period.js';
import { permitted } from '../access.js';
import { commandArgument, employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { texts } from '../../chat/texts/common.js';
import { jalankanTexts, wakilTexts } from '../../chat/texts/operations.js';

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

export function operationsFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;

  composer.command('jalankan', async (ctx) => {
    if (!(await permitted(ctx, deps, 'runJobs', undefined, { no_role: jalankanTexts.notAuthorized }))) return;
    const admin = employeeOf(ctx)!;
    const jobs = deps.services.jobs;
    if (!jobs) return void (await ctx.reply(jalankanTexts.notReady));
    const [name, ...rest] = commandArgument(ctx).split(/\s+/).filter(Boolean);
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

  composer.command('wakil', async (ctx) => {
    const employee = employeeOf(ctx);
    if (!employee) return void (await ctx.reply(texts.notLinked, { parse_mode: 'HTML' }));
    const now = deps.now();
    const today = deps.calendar.localDate(now);
    const arg = commandArgument(ctx);
    const log = logOf(ctx);
    const tell = async (chatId: number | null, text: string) => {
      if (chatId === null) return;
      // Informative only: the delegation stands even if the substitute cannot be told right now.
      await ctx.telegram.sendMessage(chatId, text, { parse_mode: 'HTML' }).catch((error: unknown) => {
        log.warn({ err: error }, 'could not tell the substitute');
      });
    };

    if (!arg) {
      // A Plh without roles of their own may still see whom they stand in for.
      const { given, received } = await listDelegations(deps.db, employee.id, today);
      if (received.length === 0 && !(await permitted(ctx, deps, 'delegate', undefined, { no_role: wakilTexts.notAllowed }))) return;
      const body = given.length === 0 && received.length === 0 ? wakilTexts.usage : wakilTexts.list(given, received, tz);
      return void (await ctx.reply(body, { parse_mode: 'HTML' }));
    }
    if (!(await permitted(ctx, deps, 'delegate', undefined, { no_role: wakilTexts.notAllowed }))) return;

    if (arg.toLowerCase() === 'batal') {
      const cancelled = await cancelDelegations(deps.db, { employee, today, now, procedures: deps.procedures.all() });
      if (cancelled.length === 0) return void (await ctx.reply(wakilTexts.nothingToCancel));
      await ctx.reply(wakilTexts.cancelled(cancelled, tz), { parse_mode: 'HTML' });
      for (const d of cancelled) await tell(d.substituteChatId, wakilTexts.substituteCancelledNotice(d, tz));
      return;
    }

    try {
      const request = parseDelegationArgs(arg);
      const { delegation, substituteLinked } = await createDelegation(deps.db, { employee, request, today, now });
      await ctx.reply(wakilTexts.created(delegation, substituteLinked, tz), { parse_mode: 'HTML' });
      await tell(delegation.substituteChatId, wakilTexts.substituteNotice(delegation, tz));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await ctx.reply(domainErrorText(error, tz), { parse_mode: 'HTML' });
    }
  });

  return composer;
}
