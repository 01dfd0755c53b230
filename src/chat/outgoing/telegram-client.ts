// The Bot API client every process uses: telegraf's Telegram with keep-alive connections whatever the API root.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Telegram, TelegramError } from 'telegraf';

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
 * A JSON POST of `method` to the Bot API at `base` over the shared keep-alive agent of its protocol; `onAnswer` gets
 * the response (its body not yet read). Network errors, and a timeout when `timeoutMs` is given, reject.
 */
function postJson(
  base: string,
  method: string,
  body: string,
  onAnswer: (res: IncomingMessage) => void,
  reject: (error: unknown) => void,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): void {
  const secure = base.startsWith('https://');
  const req = (secure ? httpsRequest : httpRequest)(
    `${base}${method}`,
    {
      method: 'POST',
      agent: secure ? httpsAgent : httpAgent,
      ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    },
    onAnswer,
  );
  if (options.timeoutMs !== undefined) {
    req.on('timeout', () => req.destroy(Object.assign(new Error(`${method}: no answer from the Bot API`), { name: 'TimeoutError' })));
  }
  req.on('error', reject);
  req.end(body);
}

/**
 * A bare Bot API call that only needs to arrive (its result is not read): about a third of the CPU of a call
 * through telegraf + node-fetch. Used for the "Sedang diproses" answers, which a burst sends by the hundred.
 * Resolves when Telegram has answered (rejects on a network error or a non-2xx status).
 */
export function createApiPoster(token: string, apiRoot = 'https://api.telegram.org'): (method: string, payload: object) => Promise<void> {
  const base = `${apiRoot.replace(/\/+$/, '')}/bot${token}/`;
  return (method, payload) =>
    new Promise<void>((resolve, reject) => {
      postJson(
        base,
        method,
        JSON.stringify(payload),
        (res) => {
          res.resume();
          res.on('end', () => ((res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`${method}: HTTP ${res.statusCode}`))));
        },
        reject,
      );
    });
}

type RawCall = (method: string, payload: unknown, extra?: { signal?: AbortSignal }) => Promise<unknown>;

/** Does telegraf have to upload something with this call (an InputFile by source or URL)? Its own test, mirrored. */
function uploadsFile(payload: unknown): boolean {
  if (!payload || typeof payload !== 'object') return false;
  const isInputFile = (v: unknown) => {
    if (!v || typeof v !== 'object') return false;
    const o = v as { source?: unknown; url?: unknown; media?: unknown };
    if (o.source || o.url) return true;
    const media = o.media as { source?: unknown; url?: unknown } | null | undefined;
    return Boolean(media && typeof media === 'object' && (media.source || media.url));
  };
  return Object.entries(payload).some(([key, value]) => {
    if (key === 'link_preview_options') return false;
    if (Array.isArray(value)) return value.some((item) => isInputFile({ media: (item as { media?: unknown } | null)?.media }));
    return isInputFile(value);
  });
}

/** Null and undefined fields are left out, as telegraf does. */
const withoutNulls = (_key: string, value: unknown) => (value == null ? undefined : value);

/** The answer could not be read as the Bot API's JSON (a proxy's error page): as node-fetch names it, worth retrying. */
class UnreadableAnswer extends Error {
  override name = 'FetchError';
}

/**
 * The same Bot API call as telegraf's `callApi`, for calls that upload nothing: the JSON body posted over the shared
 * keep-alive agent and the answer parsed, with telegraf's results and errors (a TelegramError with the answer;
 * a 5xx as a TelegramError with its status). It takes about a third of the CPU of telegraf + node-fetch per call,
 * which a burst of approvals or an announcement pays thousands of times. Uploads go through telegraf.
 */
export function directBotApiCall(telegram: Telegram, viaTelegraf: RawCall): RawCall {
  const { apiRoot, apiMode, testEnv } = telegram.options;
  const base = new URL(`./${apiMode}${telegram.token}${testEnv ? '/test' : ''}/`, apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`).href;
  return (method, payload, extra) => {
    if (telegram.options.webhookReply || uploadsFile(payload)) return viaTelegraf(method, payload, extra);
    return new Promise<unknown>((resolve, reject) => {
      postJson(
        base,
        method,
        JSON.stringify(payload ?? {}, withoutNulls),
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 500;
            if (status >= 500) {
              reject(new TelegramError({ error_code: status, description: res.statusMessage ?? 'Server Error' }, { method, payload }));
              return;
            }
            let data: { ok?: boolean; result?: unknown; error_code?: number; description?: string };
            try {
              data = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof data;
            } catch {
              reject(new UnreadableAnswer(`${method}: the Bot API answered HTTP ${status} with a body that is not JSON`));
              return;
            }
            if (data.ok) resolve(data.result);
            else reject(new TelegramError(data as ConstructorParameters<typeof TelegramError>[0], { method, payload }));
          });
        },
        reject,
        { timeoutMs: 500_000, ...(extra?.signal ? { signal: extra.signal } : {}) },
      );
    });
  };
}
