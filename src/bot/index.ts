// createBot: the telegraf bot with its middleware chain (src/bot/middlewares: answered presses, dedupe,
// reachability, private-only, identity), its features and bot.catch.
import { Composer, Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { isDomainError } from '../domain/errors.js';
import type { BotContext, BotState, BotDeps } from './context.js';
import { domainErrorText } from '../chat/texts/errors.js';
import { adminFeature } from './features/admin.js';
import { cancelFeature } from './features/cancel.js';
import { fallbackFeature, helpFeature } from './features/help.js';
import { featureComposers } from './features/index.js';
import { registrationFeature } from './features/registration.js';
import { pressAnswered, type AnswerGate } from './prompt-answer.js';
import type { Outgoing } from '../chat/outgoing/index.js';
import { withKeepAlive } from '../chat/outgoing/telegram-client.js';
import { COMMANDS, texts } from '../chat/texts/common.js';
import { recordAnsweredPresses } from './middlewares/answered-presses.js';
import { dedupeUpdates } from './middlewares/dedupe.js';
import { identify } from './middlewares/identity.js';
import { privateOnly } from './middlewares/private-only.js';
import { normaliseCommands } from './middlewares/command-text.js';
import { reachability } from './middlewares/reachability.js';

export { claimUpdates, claimWebhookUpdate, DEFAULT_UPDATE_LEASE_SECONDS } from './middlewares/dedupe.js';

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

  // Counted from the start: background work of this process waits while many updates are under way.
  const foreground = deps.foreground;
  if (foreground) {
    bot.use(async (_ctx, next) => {
      const end = foreground.start();
      try {
        await next();
      } finally {
        end();
      }
    });
  }
  bot.use(recordAnsweredPresses());
  // Every button press is answered within the budget, even under a burst (the spinner stops at once).
  if (options.answerGate) bot.use(options.answerGate.middleware());
  bot.use(dedupeUpdates(deps));
  bot.use(reachability(deps));
  bot.use(privateOnly());
  bot.use(normaliseCommands());
  bot.use(identify(deps));

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


/** The default menu (before linking everyone sees the basic commands). */
export async function publishDefaultCommands(bot: Telegraf<BotContext>): Promise<void> {
  const basic = COMMANDS.filter((c) => c.roles.includes('asn')).map((c) => ({ command: c.command, description: c.description }));
  await bot.telegram.setMyCommands(basic);
}

export type { Update };
