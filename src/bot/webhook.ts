// Webhook mode: the HTTP handler of Telegram's POSTs (secret, size and shape checked first) and the registration of
// the webhook at boot, which leaves alone a webhook another deployment registered at another URL.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Handler } from '../http.js';
import { secretMatches } from '../http.js';
import type { Logger } from '../logger.js';
import type { BotContext } from './context.js';

/** Telegram's updates are a few kilobytes; anything near this is not from Telegram. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

type BodyProblem = 'too_large' | 'not_json' | 'not_an_update';

async function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BODY_BYTES) return 'too_large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_WEBHOOK_BODY_BYTES) return 'too_large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The update in a request body, or what is wrong with it. */
export function parseWebhookBody(body: Buffer): Update | BodyProblem {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return 'not_json';
  }
  // An update is an object with a non-negative integer update_id: not null, not an array, not a bare value.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not_an_update';
  const id = (value as { update_id?: unknown }).update_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return 'not_an_update';
  return value as Update;
}

/**
 * POST `path` with the right secret header: the update is handled; a wrong or missing secret gets 401; a body that
 * is not an update (null, an array, not JSON, over 1 MB) gets 400 and a log line without the body. Never 500 for
 * what a client sent.
 */
export function webhookHandler(input: {
  bot: Telegraf<BotContext>;
  path: string;
  secret: string;
  logger: Logger;
  /** Claims the update for this process (see claimWebhookUpdate); without it the bot's own check decides. */
  claim?: (update: Update) => Promise<'claimed' | 'handled' | 'busy'>;
}): Handler {
  const refuse = (req: IncomingMessage, res: ServerResponse, problem: BodyProblem, bytes: number | null) => {
    input.logger.warn({ problem, bytes, contentType: req.headers['content-type'] ?? null }, 'webhook request refused: not an update');
    res.statusCode = 400;
    if (problem === 'too_large') {
      // The rest of the body is not read: close the connection once the answer is out.
      res.setHeader('connection', 'close');
      res.once('finish', () => req.destroy());
    }
    res.end('bad request');
  };
  return async (req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== input.path) return false;
    if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], input.secret)) {
      res.statusCode = 401;
      res.end('unauthorized');
      return true;
    }
    const body = await readBody(req);
    if (body === 'too_large') {
      refuse(req, res, 'too_large', Number(req.headers['content-length']) || null);
      return true;
    }
    const update = parseWebhookBody(body);
    if (typeof update === 'string') {
      refuse(req, res, update, body.length);
      return true;
    }
    const claim = input.claim ? await input.claim(update) : 'claimed';
    if (claim === 'busy') {
      // Another receiver is handling it: Telegram delivers it again later, when it is done or that one died.
      res.statusCode = 503;
      res.end('in progress elsewhere');
      return true;
    }
    if (claim === 'claimed') await input.bot.handleUpdate(update, res);
    if (!res.writableEnded) res.end();
    return true;
  };
}

/**
 * Registers the webhook, unless Telegram already has one at another URL: several instances share one WEBHOOK_URL
 * behind a load balancer, and an instance configured with a different URL (another deployment with the same
 * token, a typo) must not take the bot's updates away from it. It logs an error and leaves it, unless `force`.
 * Returns whether this instance registered the webhook.
 */
export async function registerWebhook(
  bot: Telegraf<BotContext>,
  input: { url: string; secret: string; force: boolean; allowedUpdates: Array<'message' | 'edited_message' | 'callback_query' | 'my_chat_member'>; logger: Logger },
): Promise<boolean> {
  const info = await bot.telegram.getWebhookInfo();
  if (info.url && info.url !== input.url && !input.force) {
    input.logger.error(
      { registered: info.url, configured: input.url },
      'Telegram has the webhook at another URL; not replacing it (set WEBHOOK_FORCE=1 to replace it)',
    );
    return false;
  }
  if (info.url && info.url !== input.url) input.logger.warn({ registered: info.url, configured: input.url }, 'WEBHOOK_FORCE=1: replacing the webhook');
  // The same URL is registered again: the secret and the allowed updates follow this configuration.
  await bot.telegram.setWebhook(input.url, { secret_token: input.secret, allowed_updates: input.allowedUpdates });
  input.logger.info({ url: input.url }, 'webhook registered');
  return true;
}
