// The fake Bot API in a process of its own, as Telegram is not in the bot's process: benchmarks measure the bot,
// not the fake's share of the same event loop. Driven over the IPC channel by bench/remote-fake.ts.
import { FakeTelegram } from '../test/support/fake-telegram.js';

interface Request {
  id: number;
  op: string;
  args: unknown[];
}

const fake = await FakeTelegram.start({ unlimited: "the benchmarks set the limits they measure against themselves" });

/** Batch operations, so a burst of 200 taps is one message over IPC rather than 200. */
const ops: Record<string, (...args: never[]) => unknown> = {
  addStartedUsers(ids: number[]) {
    for (const id of ids) {
      fake.addUser({ id, first_name: 'P' });
      fake.markStarted(id);
    }
  },
  setLimits: (limits: Parameters<FakeTelegram['setLimits']>[0]) => fake.setLimits(limits),
  resetStats: () => fake.resetStats(),
  stats: () => fake.stats(),
  /** Taps every button at once; returns the callback query ids. */
  tapMany(taps: Array<{ userId: number; chatId: number; messageId: number; data: string }>) {
    return taps.map((t) => fake.tapButton(t.userId, { chatId: t.chatId, messageId: t.messageId }, t.data).callback_query.id);
  },
  /** For each tap: the answer's text and ms since the tap, and ms from the tap to an edit of the message matching `pattern`. */
  async awaitTaps(taps: Array<{ queryId: string; chatId: number; messageId: number }>, pattern: string, timeoutMs: number) {
    const re = new RegExp(pattern);
    return Promise.all(
      taps.map(async (t) => {
        const answer = await fake.waitForCallbackAnswer(t.queryId, timeoutMs);
        const tappedAt = answer.answeredAt - answer.sinceTapMs;
        const edited = await fake.waitForEdit(t.chatId, t.messageId, (m) => re.test(m.text ?? ''), timeoutMs);
        return { text: answer.text ?? '', sinceTapMs: answer.sinceTapMs, handedOutMs: answer.sinceTapMs - answer.latencyMs, outcomeMs: (edited.editedAt ?? Date.now()) - tappedAt };
      }),
    );
  },
  /** For each tap: ms from the tap to its answer (for a baseline bot, which edits nothing). */
  async awaitAnswers(queryIds: string[], timeoutMs: number) {
    return Promise.all(queryIds.map(async (id) => (await fake.waitForCallbackAnswer(id, timeoutMs)).sinceTapMs));
  },
  /** How many messages carrying `marker` in their buttons each chat received. */
  countsByChat(marker: string) {
    const counts: Record<number, number> = {};
    for (const m of fake.messages()) {
      if (!JSON.stringify(m.reply_markup ?? {}).includes(marker)) continue;
      counts[m.chat_id] = (counts[m.chat_id] ?? 0) + 1;
    }
    return counts;
  },
};

process.on('message', (raw) => {
  const req = raw as Request;
  void (async () => {
    try {
      const fn = ops[req.op];
      if (!fn) throw new Error(`unknown op ${req.op}`);
      process.send!({ id: req.id, result: await (fn as (...args: unknown[]) => unknown)(...req.args) });
    } catch (error) {
      process.send!({ id: req.id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
process.on('disconnect', () => void fake.stop().finally(() => process.exit(0)));
process.send!({ ready: { token: fake.token, apiRoot: fake.apiRoot } });
