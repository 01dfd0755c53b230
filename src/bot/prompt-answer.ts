// A button press is answered within a short budget of its arrival, whatever the load. Telegram shows a spinner on
// the button until answerCallbackQuery; when the real answer is not ready in time — the press waits for a free
// handler (a burst of approvers) or its handler is slow (a busy database) — the press is acknowledged with
// "⏳ Sedang diproses…" and the handler carries on. Nothing the handler answers later is lost: its text comes as a
// chat message instead, and the outcome still lands in the edited message.
import type { Context, MiddlewareFn } from 'telegraf';
import type { CallbackQuery, Update } from 'telegraf/types';
import { createApiPoster } from '../chat/outgoing/telegram-client.js';
import { escapeHtml } from '../chat/texts/common.js';

export const PROCESSING_TOAST = '⏳ Sedang diproses…';

/** Long enough that a press whose outcome is ready within a second gets it in the answer itself (a toast the user
 * reads), short enough that the spinner never feels stuck; only a real backlog gets "Sedang diproses". */
export const DEFAULT_CALLBACK_ANSWER_BUDGET_MS = 1000;

type AnswerCbQuery = Context['answerCbQuery'];

/** Every press the gate is timing (shared by all gates: a callback query belongs to one bot). */
const presses = new WeakMap<CallbackQuery, PressState>();

/**
 * A confirmation toast ("Tersimpan ✅") whose content the handler also shows by editing the message: sent as the
 * answer when the press is still waiting for one, dropped when "Sedang diproses" already answered it (a chat
 * message saying the same as the edited one would only be noise).
 */
export async function confirmPress(ctx: Context, text: string): Promise<void> {
  if (ctx.callbackQuery && presses.get(ctx.callbackQuery)?.early) return;
  await ctx.answerCbQuery(text);
}

/** Whether the gate has answered this press (early or with the handler's answer). */
export function pressAnswered(query: CallbackQuery): boolean {
  return presses.get(query)?.answered === true;
}

interface PressState {
  answered: boolean;
  /** Answered with the processing toast: later answers go to the chat. */
  early: boolean;
  timer?: NodeJS.Timeout;
}

export interface AnswerGate {
  /**
   * The polling runner reports each update as it arrives: a press's budget starts then, and when the bot is busy
   * (the press must wait for a handler, or many are at work) it is acknowledged at once rather than on a timer
   * that a loaded event loop would fire late.
   */
  arrived(update: Update, busy: boolean): Promise<unknown> | void;
  /** The first middleware: the budget (from arrival, else from now), and late answers turned into chat messages. */
  middleware<C extends Context>(): MiddlewareFn<C>;
}

/**
 * `answer` sends an answerCallbackQuery (a bare API call: a burst sends hundreds). `budgetMs` 0 turns the gate
 * off: every press waits for its real answer (the test suite reads those).
 */
export function createAnswerGate(answer: (queryId: string, text: string) => Promise<unknown>, budgetMs: number): AnswerGate {
  if (budgetMs <= 0) return { arrived: () => undefined, middleware: () => (_ctx, next) => next() };
  const answerEarly = (query: CallbackQuery, state: PressState): Promise<unknown> | undefined => {
    if (state.answered) return undefined;
    state.answered = state.early = true;
    clearTimeout(state.timer);
    return answer(query.id, PROCESSING_TOAST).catch(() => undefined);
  };
  const start = (query: CallbackQuery): PressState => {
    let state = presses.get(query);
    if (state) return state;
    const fresh: PressState = { answered: false, early: false };
    fresh.timer = setTimeout(() => void answerEarly(query, fresh), budgetMs);
    presses.set(query, (state = fresh));
    return state;
  };
  return {
    arrived(update, busy) {
      if (!('callback_query' in update)) return;
      const state = start(update.callback_query);
      if (busy) return answerEarly(update.callback_query, state);
    },
    middleware<C extends Context>(): MiddlewareFn<C> {
      return async (ctx, next) => {
        if (!ctx.callbackQuery) return next();
        const state = start(ctx.callbackQuery);
        const realAnswer: AnswerCbQuery = ctx.answerCbQuery.bind(ctx);
        ctx.answerCbQuery = (async (text, extra) => {
          if (!state.answered) {
            state.answered = true;
            clearTimeout(state.timer);
            return realAnswer(text, extra);
          }
          // The early acknowledgment took the answer: a refusal or notice still reaches the user, in the chat.
          if (state.early && text && ctx.chat) await ctx.reply(escapeHtml(text), { parse_mode: 'HTML' });
          return true;
        }) as AnswerCbQuery;
        try {
          await next();
        } finally {
          clearTimeout(state.timer);
        }
      };
    },
  };
}

/** The gate of a bot: early answers go out as bare API calls (a burst sends hundreds). */
export function answerGateFor(token: string, apiRoot: string | undefined, budgetMs = DEFAULT_CALLBACK_ANSWER_BUDGET_MS): AnswerGate {
  const post = createApiPoster(token, apiRoot);
  return createAnswerGate((queryId, text) => post('answerCallbackQuery', { callback_query_id: queryId, text }), budgetMs);
}
