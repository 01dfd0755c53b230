// Callback queries: the taps the bot must answer, answerCallbackQuery (too late or twice -> "query is too old"),
// and waiting for an answer.
import type { Core } from '../core.js';
import { countChars } from '../format.js';
import { badRequest, paramBool, paramInt, paramString, type Params } from '../http.js';
import { CALLBACK_TEXT_LIMIT } from '../limits.js';
import type { CallbackAnswer } from '../types.js';
import { rejectAll, removeWaiter, type Waiter } from '../waiters.js';

const QUERY_TOO_OLD = 'query is too old and response timeout expired or query ID is invalid';

export interface CallbackRec {
  id: string;
  createdAt: number;
  handedOutAt?: number;
  answer?: CallbackAnswer;
}

export class CallbackQueries {
  private readonly queries = new Map<string, CallbackRec>();
  private nextSeq = 1;
  private readonly waiters = new Map<string, Waiter<CallbackAnswer>[]>();

  constructor(private readonly core: Core) {}

  /** A new query id, as Telegram shapes them. */
  nextId(): string {
    return `${4_000_000_000 + this.core.botUser.id}${String(this.nextSeq++).padStart(9, '0')}`;
  }

  has(id: string): boolean {
    return this.queries.has(id);
  }

  /** Makes query `id` answerable from now on. */
  register(id: string): CallbackRec {
    const rec: CallbackRec = { id, createdAt: Date.now() };
    this.queries.set(id, rec);
    return rec;
  }

  answerOf(id: string): CallbackAnswer | undefined {
    const a = this.queries.get(id)?.answer;
    return a ? { ...a } : undefined;
  }

  waitForAnswer(id: string, timeoutMs: number): Promise<CallbackAnswer & { latencyMs: number; sinceTapMs: number }> {
    const rec = this.queries.get(id);
    if (!rec) return Promise.reject(new Error(`FakeTelegram: unknown callback query ${id}`));
    const withLatency = (a: CallbackAnswer) => ({ ...a, latencyMs: a.answeredAt - (rec.handedOutAt ?? rec.createdAt), sinceTapMs: a.answeredAt - rec.createdAt });
    if (rec.answer) return Promise.resolve(withLatency(rec.answer));
    const p = new Promise<CallbackAnswer>((resolve, reject) => {
      const w: Waiter<CallbackAnswer> = { resolve, reject };
      w.timer = this.core.timers.start(timeoutMs, () => {
        removeWaiter(this.waiters, id, w);
        reject(new Error(`waitForCallbackAnswer(${id}) timed out after ${timeoutMs} ms${this.core.log.recentFailures()}`));
      });
      const list = this.waiters.get(id) ?? [];
      list.push(w);
      this.waiters.set(id, list);
    }).then(withLatency);
    p.catch(() => {});
    return p;
  }

  /** answerCallbackQuery */
  answer(p: Params): true {
    const id = paramString(p, 'callback_query_id') ?? '';
    const rec = this.queries.get(id);
    const now = Date.now();
    if (!rec || rec.answer || now - rec.createdAt > this.core.opts.callbackAnswerTimeoutMs) throw badRequest(QUERY_TOO_OLD);
    const text = paramString(p, 'text');
    if (text !== undefined && countChars(text) > CALLBACK_TEXT_LIMIT) throw badRequest('MESSAGE_TOO_LONG');
    const answer: CallbackAnswer = { answeredAt: now };
    if (text !== undefined) answer.text = text;
    if (p.show_alert !== undefined) answer.show_alert = paramBool(p, 'show_alert');
    const url = paramString(p, 'url');
    if (url !== undefined) answer.url = url;
    const cacheTime = paramInt(p, 'cache_time');
    if (cacheTime !== undefined) answer.cache_time = cacheTime;
    rec.answer = answer;
    const waiters = this.waiters.get(id);
    if (waiters) {
      this.waiters.delete(id);
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.resolve({ ...answer });
      }
    }
    return true;
  }

  /** Rejects every pending wait (the fake stopped). */
  rejectAll(error: Error): void {
    for (const l of this.waiters.values()) rejectAll(l, error);
    this.waiters.clear();
  }
}
