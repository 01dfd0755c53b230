// Waiting for what the bot does: bot messages and edits handed to test waiters in call order, and the timers
// behind every wait (unref'd, all cleared when the fake stops).
import type { Core } from './core.js';
import type { BotMessage } from './types.js';
import type { BotRec, ChatState } from './world.js';

export const DEFAULT_WAIT_MS = 5000;

export interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface MessageWaiter extends Waiter<BotMessage> {
  predicate: (m: BotMessage) => boolean;
}

export class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** An unref'd timeout, cleared by clear(). */
  start(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.pending.delete(t);
      fn();
    }, ms);
    t.unref();
    this.pending.add(t);
    return t;
  }

  clear(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
  }
}

export function removeWaiter<K, T>(map: Map<K, Waiter<T>[]>, key: K, w: Waiter<T>): void {
  const list = map.get(key);
  if (!list) return;
  const i = list.indexOf(w);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) map.delete(key);
}

export function rejectAll<T>(list: Waiter<T>[], error: Error): void {
  for (const w of list) {
    clearTimeout(w.timer);
    w.reject(error);
  }
}

/** A predicate that throws (e.g. on a message without text) counts as "no match" instead of breaking the server. */
function safePredicate(predicate: ((m: BotMessage) => boolean) | undefined): (m: BotMessage) => boolean {
  if (!predicate) return () => true;
  return (m) => {
    try {
      return predicate(m);
    } catch {
      return false;
    }
  };
}

export class Waiters {
  private readonly messageWaiters = new Map<number, MessageWaiter[]>();
  private readonly editWaiters = new Map<string, MessageWaiter[]>();

  constructor(private readonly core: Core) {}

  waitForMessage(chatId: number, predicate: ((m: BotMessage) => boolean) | undefined, timeoutMs: number): Promise<BotMessage> {
    const pred = safePredicate(predicate);
    const chat = this.core.world.chats.get(chatId);
    if (chat) {
      const found = this.takeUnconsumed(chat, pred);
      if (found) return Promise.resolve(found);
    }
    return this.addWaiter(this.messageWaiters, chatId, pred, timeoutMs, () => this.describeChat(chatId, `waitForMessage(chat ${chatId})`));
  }

  waitForEdit(chatId: number, messageId: number, predicate: ((m: BotMessage) => boolean) | undefined, timeoutMs: number): Promise<BotMessage> {
    const pred = safePredicate(predicate);
    const rec = this.core.world.chats.get(chatId)?.messages.get(messageId)?.rec;
    if (rec && rec.pub.edits > rec.editsSeen && pred(rec.pub)) {
      rec.editsSeen = rec.pub.edits;
      return Promise.resolve({ ...rec.pub });
    }
    const key = `${chatId}:${messageId}`;
    return this.addWaiter(this.editWaiters, key, pred, timeoutMs, () =>
      this.describeChat(chatId, `waitForEdit(chat ${chatId}, message ${messageId})`),
    );
  }

  /** Hands a new or edited bot message to the first message waiter it matches, and an edit to its edit waiters. */
  onBotMessageChanged(chatId: number, rec: BotRec, edited: boolean): void {
    const waiters = this.messageWaiters.get(chatId);
    if (waiters && !rec.consumed) {
      for (let i = 0; i < waiters.length; i++) {
        const w = waiters[i]!;
        if (!w.predicate(rec.pub)) continue;
        rec.consumed = true;
        waiters.splice(i, 1);
        if (waiters.length === 0) this.messageWaiters.delete(chatId);
        clearTimeout(w.timer);
        w.resolve({ ...rec.pub });
        break;
      }
    }
    if (!edited) return;
    const key = `${chatId}:${rec.pub.message_id}`;
    const ew = this.editWaiters.get(key);
    if (!ew) return;
    for (let i = 0; i < ew.length; i++) {
      const w = ew[i]!;
      if (!w.predicate(rec.pub)) continue;
      rec.editsSeen = rec.pub.edits;
      ew.splice(i, 1);
      if (ew.length === 0) this.editWaiters.delete(key);
      clearTimeout(w.timer);
      w.resolve({ ...rec.pub });
      break;
    }
  }

  /** Rejects every pending wait (the fake stopped). */
  rejectAll(error: Error): void {
    for (const l of this.messageWaiters.values()) rejectAll(l, error);
    for (const l of this.editWaiters.values()) rejectAll(l, error);
    this.messageWaiters.clear();
    this.editWaiters.clear();
  }

  private addWaiter<K>(
    map: Map<K, MessageWaiter[]>,
    key: K,
    predicate: (m: BotMessage) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<BotMessage> {
    const p = new Promise<BotMessage>((resolve, reject) => {
      const w: MessageWaiter = { predicate, resolve, reject };
      w.timer = this.core.timers.start(timeoutMs, () => {
        removeWaiter(map, key, w);
        reject(new Error(`${describe()} timed out after ${timeoutMs} ms`));
      });
      const list = map.get(key) ?? [];
      list.push(w);
      map.set(key, list);
    });
    p.catch(() => {}); // callers that await still see the rejection; abandoned waits do not become unhandled
    return p;
  }

  private takeUnconsumed(chat: ChatState, pred: (m: BotMessage) => boolean): BotMessage | undefined {
    const recs = chat.bot;
    while (chat.firstUnconsumed < recs.length && recs[chat.firstUnconsumed]!.consumed) chat.firstUnconsumed++;
    for (let i = chat.firstUnconsumed; i < recs.length; i++) {
      const r = recs[i]!;
      if (!r.consumed && pred(r.pub)) {
        r.consumed = true;
        return { ...r.pub };
      }
    }
    return undefined;
  }

  private describeChat(chatId: number, what: string): string {
    const recs = this.core.world.chats.get(chatId)?.bot ?? [];
    const lines = recs.slice(-10).map((r) => {
      const m = r.pub;
      const body = m.text ?? (m.caption !== undefined ? `[${m.method}] ${m.caption}` : `[${m.method}]`);
      const flags = [r.consumed ? 'consumed' : '', m.edits ? `edits=${m.edits}` : '', m.deleted ? 'deleted' : ''].filter(Boolean).join(',');
      return `  #${m.message_id}${flags ? ` (${flags})` : ''}: ${JSON.stringify(body.length > 200 ? `${body.slice(0, 200)}…` : body)}`;
    });
    const header = `${what}: ${recs.length} bot message(s) in the chat${recs.length > 10 ? ' (last 10 shown)' : ''}`;
    return `${header}\n${lines.join('\n')}${this.core.log.recentFailures(chatId)}\n`;
  }
}
