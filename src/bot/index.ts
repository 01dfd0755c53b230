// createBot: the telegraf bot with its middleware chain (dedupe, identity, private-only) and features.
import { Composer, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { accessTexts } from '../chat/texts/access.js';
import { findEmployeeByTelegramId, type EmployeeProfile } from '../app/repositories/employees.js';
import { claimUpdateIds, finishUpdates, isUpdateLeased } from '../app/update-claims.js';
import { isDomainError } from '../domain/errors.js';
import { isPrivateChat, setEmployee, type BotContext, type BotState, type BotDeps } from './context.js';
import { domainErrorText } from '../chat/texts/errors.js';
import { adminFeature } from './features/admin.js';
import { cancelFeature } from './features/cancel.js';
import { fallbackFeature, helpFeature } from './features/help.js';
import { featureComposers } from './features/index.js';
import { registrationFeature } from './features/registration.js';
import { pressAnswered, type AnswerGate } from './prompt-answer.js';
import { markReachable, markUnreachable } from '../app/link-account.js';
import type { Outgoing } from '../chat/outgoing/index.js';
import { classifyTelegramError } from '../chat/telegram-errors.js';
import { withKeepAlive } from '../chat/outgoing/telegram-client.js';
import { COMMANDS, escapeHtml, texts } from '../chat/texts/common.js';

export interface CreateBotOptions {
  token: string;
  apiRoot?: string;
  /** Extra feature composers from later modules (SKP, approvals, broadcasts...), mounted before the fallback. */
  features?: Array<Composer<BotContext>>;
  /** Answers button presses within a budget (src/bot/prompt-answer.ts); shared with the polling runner. */
  answerGate?: AnswerGate;
  /** The one way out to Telegram: every call of bot.telegram and of each update's ctx.telegram goes through it. */
  outgoing?: Outgoing;
}

/** Updates whose id this process has recorded as processed (the first to record an id handles the update). */
const claimedUpdates = new WeakSet<Update>();

export const DEFAULT_UPDATE_LEASE_SECONDS = 60;

/**
 * Claims these updates for this process, in one statement, and returns the updates this call claimed: an id
 * already handled, or being handled by a live process (its lease runs), is left out. An update whose lease ran out
 * (the process handling it died) is taken over.
 */
export async function claimUpdates(db: BotDeps['db'], updates: Update[], leaseSeconds = DEFAULT_UPDATE_LEASE_SECONDS): Promise<Update[]> {
  const fresh = await claimUpdateIds(db, updates.map((u) => u.update_id), leaseSeconds);
  const claimed = updates.filter((u) => fresh.has(u.update_id));
  for (const u of claimed) claimedUpdates.add(u);
  return claimed;
}

/**
 * One webhook delivery: 'claimed' (handle it), 'handled' (a redelivery of a finished update: answer 200), or
 * 'busy' (another process holds its lease: answer with an error, so Telegram delivers it again later and a
 * process takes it over if that one died).
 */
export async function claimWebhookUpdate(db: BotDeps['db'], update: Update, leaseSeconds = DEFAULT_UPDATE_LEASE_SECONDS): Promise<'claimed' | 'handled' | 'busy'> {
  if ((await claimUpdates(db, [update], leaseSeconds)).length === 1) return 'claimed';
  return (await isUpdateLeased(db, update.update_id)) ? 'busy' : 'handled';
}

export function createBot(deps: BotDeps, options: CreateBotOptions): Telegraf<BotContext> {
  const bot = new Telegraf<BotContext>(options.token, {
    // webhookReply off: every API call gets its real result, in both modes.
    telegram: { apiRoot: options.apiRoot ?? 'https://api.telegram.org', webhookReply: false },
    // A handler stuck on a dead database connection (postgres.js can leave a query of a transaction whose
    // connection was cut pending forever) must not hold up the polling batch: after 8 s the update fails (still in
    // time to answer a button, which Telegram allows ~15 s), bot.catch says "coba lagi", and the next updates flow.
    handlerTimeout: 8_000,
  });
  withKeepAlive(bot.telegram);
  const outgoing = options.outgoing;
  if (outgoing) {
    outgoing.install(bot.telegram);
    // telegraf makes a new Telegram client for each update: its calls take the same way out, before anything runs.
    bot.use((ctx, next) => {
      outgoing.install(ctx.telegram);
      return next();
    });
  }
  // Which presses were answered, so an error after the answer does not answer again (Telegram would refuse).
  bot.use((ctx, next) => {
    if (ctx.callbackQuery) {
      const answer = ctx.answerCbQuery.bind(ctx);
      ctx.answerCbQuery = (async (...args: Parameters<typeof answer>) => {
        (ctx.state as Partial<BotState>).callbackAnswered = true;
        try {
          return await answer(...args);
        } catch (error) {
          if (classifyTelegramError(error).kind !== 'query_too_old') throw error;
          // Answered too late for a toast: what it said comes as a chat message instead.
          const [text] = args;
          if (text && ctx.chat) await ctx.reply(escapeHtml(text), { parse_mode: 'HTML' });
          return true;
        }
      }) as typeof ctx.answerCbQuery;
    }
    return next();
  });

  // 0. Every button press is answered within the budget, even under a burst (the spinner stops at once).
  if (options.answerGate) bot.use(options.answerGate.middleware());

  // 1. Telegram may deliver an update twice (e.g. after a restart): the first insert of its id wins. The polling
  //    runner claims a whole batch in one statement (claimUpdates); an update it claimed skips the insert here.
  bot.use(async (ctx, next) => {
    const leaseSeconds = deps.config.env.UPDATE_LEASE_SECONDS ?? DEFAULT_UPDATE_LEASE_SECONDS;
    if (!claimedUpdates.has(ctx.update)) {
      const claimed = await claimUpdates(deps.db, [ctx.update], leaseSeconds);
      if (claimed.length === 0) {
        deps.logger.debug({ update_id: ctx.update.update_id }, 'duplicate update ignored');
        return;
      }
    }
    (ctx.state as Partial<BotState>).log = deps.logger.child({ update_id: ctx.update.update_id });
    try {
      return await next();
    } finally {
      await finishUpdates(deps.db, [ctx.update.update_id]).catch((error: unknown) =>
        deps.logger.warn({ err: error, update_id: ctx.update.update_id }, 'could not record the update as handled'),
      );
    }
  });

  // 1b. Telegram tells us when a user blocks or unblocks the bot; anyone who writes can be reached again at once.
  bot.on('my_chat_member', async (ctx) => {
    const update = ctx.myChatMember;
    if (update.chat.type !== 'private') return;
    const status = update.new_chat_member.status;
    if (status === 'kicked') await markUnreachable(deps.db, update.from.id, deps.now());
    else if (status === 'member') await markReachable(deps.db, update.from.id);
  });

  // 2. Personal commands work only in a private chat; in groups the bot only says so.
  bot.use(async (ctx, next) => {
    if (ctx.chat && !isPrivateChat(ctx)) {
      const msg = ctx.message;
      const isCommand = msg && 'text' in msg && msg.text.startsWith('/');
      if (isCommand) await ctx.reply(texts.privateOnly(ctx.botInfo.username));
      else if (ctx.callbackQuery) await ctx.answerCbQuery(texts.privateOnly(ctx.botInfo.username).slice(0, 200));
      return;
    }
    return next();
  });

  // 3. Who is this? (null until the account is linked.) An employee no longer active in the roster can use
  //    nothing: every command, button and file gets one message saying so and whom to ask. The link itself stays
  //    (and in the audit log), so a later import that lists them again restores access without relinking.
  bot.use(async (ctx, next) => {
    const employee = ctx.from ? await findEmployeeByTelegramId(deps.db, ctx.from.id) : null;
    if (employee && !employee.active) return refuseInactive(ctx, employee);
    if (employee?.unreachable && ctx.from) await markReachable(deps.db, ctx.from.id);
    setEmployee(ctx, employee);
    return next();
  });

  bot.use(registrationFeature(deps));
  bot.use(helpFeature(deps));
  bot.use(cancelFeature(deps));
  bot.use(adminFeature(deps));
  for (const feature of featureComposers(deps)) bot.use(feature);
  for (const feature of options.features ?? []) bot.use(feature);
  bot.use(fallbackFeature(deps));

  // telegraf's default handler rethrows and stops polling: never let one update stop the bot.
  bot.catch(async (error, ctx) => {
    const log = (ctx.state as Partial<BotState> | undefined)?.log ?? deps.logger.child({ update_id: ctx.update.update_id });
    if (isDomainError(error)) {
      log.warn({ code: error.code }, 'domain error reached bot.catch');
    } else {
      log.error({ err: error }, 'unexpected error while handling update');
    }
    // telegraf's handlerTimeout (p-timeout's TimeoutError).
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    if (timedOut && ctx.chat && outgoing && outgoing.pendingFor(ctx.chat.id) > 0) {
      // The handler is waiting for Telegram (a 429, an outage): its reply is on its way, late, not lost.
      log.info('handler still waiting for Telegram; its reply follows');
      return;
    }
    const text = isDomainError(error) ? domainErrorText(error, deps.config.deployment.instansi.timeZone) : texts.unexpectedError;
    try {
      const answered =
        (ctx.state as Partial<BotState> | undefined)?.callbackAnswered === true || (ctx.callbackQuery !== undefined && pressAnswered(ctx.callbackQuery));
      if (ctx.callbackQuery && !answered) await ctx.telegram.answerCbQuery(ctx.callbackQuery.id, text.slice(0, 200)).catch(() => {});
      if (ctx.chat) await ctx.reply(text, { parse_mode: 'HTML' });
    } catch (replyError) {
      log.warn({ err: replyError }, 'could not tell the user about the error');
    }
  });

  return bot;
}

async function refuseInactive(ctx: BotContext, employee: EmployeeProfile): Promise<void> {
  const log = (ctx.state as BotState).log;
  log.warn({ who: employee.id, what: ctx.updateType, target: null, refusal: 'inactive' }, 'access refused');
  if (ctx.updateType === 'edited_message') return;
  const perangkatDaerah = employee.unitPath.split(' / ')[0] ?? null;
  if (ctx.callbackQuery) await ctx.answerCbQuery(accessTexts.inactiveInRosterShort);
  if (ctx.chat) await ctx.reply(accessTexts.inactiveInRoster(perangkatDaerah ? escapeHtml(perangkatDaerah) : null), { parse_mode: 'HTML' });
}

/** The default menu (before linking everyone sees the basic commands). */
export async function publishDefaultCommands(bot: Telegraf<BotContext>): Promise<void> {
  const basic = COMMANDS.filter((c) => c.roles.includes('asn')).map((c) => ({ command: c.command, description: c.description }));
  await bot.telegram.setMyCommands(basic);
}

export type { Update };
