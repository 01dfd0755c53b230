// Baselines for the announcement benchmark, against the same fake Bot API: a bare keep-alive HTTP loop (what the
// machine and the fake allow at all) and the ecosystem's send-until-429 pattern (grammY's auto-retry: send as fast
// as possible, on a 429 sleep retry_after and send the same message again).
import { Agent, request } from 'node:http';

export interface LoopResult {
  seconds: number;
  delivered: number;
  rejected429: number;
}

interface Answer {
  ok: boolean;
  error_code?: number;
  parameters?: { retry_after?: number };
}

function post(agent: Agent, url: URL, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer);
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends one announcement-sized sendMessage (HTML, one inline button, as the bot's) to every chat over `concurrency`
 * keep-alive connections. `retryOn429`: sleep retry_after and send again (auto-retry); otherwise a 429 counts and
 * the message is dropped (the bare loop runs without limits, so it never sees one).
 */
export async function sendToAll(
  api: { apiRoot: string; token: string },
  chats: number[],
  opts: { concurrency: number; retryOn429: boolean; text: string },
): Promise<LoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const url = new URL(`${api.apiRoot}/bot${api.token}/sendMessage`);
  const result: LoopResult = { seconds: 0, delivered: 0, rejected429: 0 };
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < chats.length) {
          const chat = chats[next++]!;
          const body = JSON.stringify({
            chat_id: chat,
            text: opts.text,
            parse_mode: 'HTML',
            reply_markup: { inline_keyboard: [[{ text: '✅ Sudah dibaca', callback_data: 'ack:baseline' }]] },
          });
          for (;;) {
            const answer = await post(agent, url, body);
            if (answer.ok) {
              result.delivered++;
              break;
            }
            if (answer.error_code !== 429) throw new Error(`baseline send to ${chat} failed: ${JSON.stringify(answer)}`);
            result.rejected429++;
            if (!opts.retryOn429) break;
            await new Promise((r) => setTimeout(r, (answer.parameters?.retry_after ?? 1) * 1000));
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
