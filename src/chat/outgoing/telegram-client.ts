// The Bot API client every process uses: telegraf's Telegram with keep-alive connections whatever the API root.
import { Agent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Telegram } from 'telegraf';

/**
 * telegraf keeps connections alive to https://api.telegram.org but drops its agent for an http:// root — which is
 * how a self-hosted Bot API server (telegram-bot-api on localhost:8081) is reached. Without keep-alive every call
 * opens a new TCP connection, which caps an announcement's rate; one shared keep-alive agent restores it.
 */
const httpAgent = new Agent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 128 });

export function withKeepAlive<T extends Telegram>(telegram: T): T {
  if (telegram.options.apiRoot.startsWith('http://')) telegram.options.agent = httpAgent;
  return telegram;
}

/** webhookReply off: every API call gets its real result, in polling and webhook mode alike. */
export function createTelegram(token: string, apiRoot = 'https://api.telegram.org'): Telegram {
  return withKeepAlive(new Telegram(token, { apiRoot, webhookReply: false }));
}

const httpsAgent = new HttpsAgent({ keepAlive: true, keepAliveMsecs: 10_000, maxSockets: 128 });

/**
 * A bare Bot API call that only needs to arrive (its result is not read): about a third of the CPU of a call
 * through telegraf + node-fetch. Used for the "Sedang diproses" answers, which a burst sends by the hundred.
 * Resolves when Telegram has answered (rejects on a network error or a non-2xx status).
 */
export function createApiPoster(token: string, apiRoot = 'https://api.telegram.org'): (method: string, payload: object) => Promise<void> {
  const secure = apiRoot.startsWith('https://');
  const send = secure ? httpsRequest : httpRequest;
  const agent = secure ? httpsAgent : httpAgent;
  const base = `${apiRoot.replace(/\/+$/, '')}/bot${token}/`;
  return (method, payload) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify(payload);
      const req = send(
        `${base}${method}`,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`${method}: HTTP ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}
