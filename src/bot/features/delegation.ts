// /wakil: name a Plh (pelaksana harian) who acts on one's steps while on leave, list and cancel delegations.
import { Composer } from 'telegraf';
import { cancelDelegations, createDelegation, listDelegations, parseDelegationArgs, withRelativeDates } from '../../app/delegation.js';
import { isDomainError } from '../../domain/errors.js';
import { permitted, replyNotLinked } from '../access.js';
import { commandArgument, employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { wakilTexts } from '../../chat/texts/operations.js';
import { answerNameForNip, onNipPick } from '../nip-argument.js';

export function delegationFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;

  const wakil = async (ctx: BotContext, typed: string) => {
    const employee = employeeOf(ctx);
    if (!employee) return void (await replyNotLinked(ctx));
    const now = deps.now();
    const today = deps.calendar.localDate(now);
    // "besok sampai jumat" reads as the dates it means; the answers show them as dates.
    const arg = withRelativeDates(typed, today);
    const log = logOf(ctx);
    const tell = async (chatId: number | null, text: string) => {
      if (chatId === null) return;
      // Informative only: the delegation stands even if the substitute cannot be told right now.
      await ctx.telegram.sendMessage(chatId, text, { parse_mode: 'HTML' }).catch((error: unknown) => {
        log.warn({ err: error }, 'could not tell the substitute');
      });
    };

    // The usage's example: the next working day to the fifth, still ahead, so it can be sent as it is.
    const example = { from: deps.calendar.addWorkingDays(today, 1), to: deps.calendar.addWorkingDays(today, 5) };
    if (!arg) {
      // A Plh without roles of their own may still see whom they stand in for.
      const { given, received } = await listDelegations(deps.db, employee.id, today);
      if (received.length === 0 && !(await permitted(ctx, deps, 'delegate', undefined, { no_role: wakilTexts.notAllowed }))) return;
      const body = given.length === 0 && received.length === 0 ? wakilTexts.usage(example) : wakilTexts.list(given, received, tz);
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

    // "/wakil Melati 02-03-2026 06-03-2026": a name before the dates (without dates it is the usage below).
    const named = /^(\D+?)\s+(\d.*)$/s.exec(arg);
    if (named && (await answerNameForNip(ctx, deps, { typed: named[1]!, operation: 'findStandIn', command: 'wakil', rest: named[2] }))) return;
    try {
      const request = parseDelegationArgs(arg);
      const { delegation, substituteLinked } = await createDelegation(deps.db, { employee, request, today, now });
      await ctx.reply(wakilTexts.created(delegation, substituteLinked, tz), { parse_mode: 'HTML' });
      await tell(delegation.substituteChatId, wakilTexts.substituteNotice(delegation, tz));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const text = error.code === 'DELEGATION_USAGE' ? `${wakilTexts.formatMismatch}\n\n${wakilTexts.usage(example)}` : domainErrorText(error, tz);
      await ctx.reply(text, { parse_mode: 'HTML' });
    }
  };
  composer.command('wakil', (ctx) => wakil(ctx, commandArgument(ctx)));
  onNipPick(composer, 'wakil', wakil);

  return composer;
}
