// Webhook delivery: setWebhook/deleteWebhook/getWebhookInfo, and posting queued updates to the bot's URL
// (up to max_connections at once, one at a time per chat, retried until the bot answers 2xx).
import type { Core } from './core.js';
import { nowSec } from './core.js';
import { ApiError, badRequest, paramBool, paramInt, paramString, type Params } from './http.js';
import type { ApiCall, Update } from './types.js';
import type { QueueEntry } from './updates.js';

export const CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

export interface WebhookState {
  url: string;
  secret?: string;
  maxConnections: number;
  inflight: number;
  busyChats: Map<number, number>;
  retry: QueueEntry[];
  lastError?: { date: number; message: string };
  abort: AbortController;
}

function updateChatId(u: Update): number | undefined {
  const m = u.message ?? u.edited_message ?? u.callback_query?.message;
  if (m) return m.chat.id;
  if (u.callback_query) return u.callback_query.from.id;
  const other = u.my_chat_member as { chat?: { id?: number } } | undefined;
  return other?.chat?.id;
}

export function setWebhook(core: Core, p: Params): true {
  const q = core.updates;
  const url = paramString(p, 'url') ?? '';
  if (q.webhook) {
    q.webhook.abort.abort();
    q.webhook = undefined;
  }
  if (paramBool(p, 'drop_pending_updates')) q.dropAllPending();
  q.setAllowedUpdates(p.allowed_updates);
  if (url === '') return true;
  if (!/^https?:\/\/\S+$/i.test(url)) throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  const secret = paramString(p, 'secret_token');
  if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
    throw badRequest('bad webhook: secret token contains unallowed characters');
  }
  const maxConnections = paramInt(p, 'max_connections') ?? 40;
  if (maxConnections < 1 || maxConnections > 100) throw badRequest('bad webhook: max_connections must be between 1 and 100');
  // A held long poll is terminated by setting a webhook.
  q.terminatePoll(CONFLICT_WEBHOOK);
  // updates handed out by getUpdates but not confirmed are delivered again
  for (let i = q.qHead; i < q.queue.length; i++) {
    const e = q.queue[i]!;
    if (!e.dropped && e.delivered) {
      e.delivered = false;
      q.undelivered++;
    }
  }
  const wh: WebhookState = {
    url,
    maxConnections,
    inflight: 0,
    busyChats: new Map(),
    retry: [],
    abort: new AbortController(),
  };
  if (secret !== undefined) wh.secret = secret;
  q.webhook = wh;
  setImmediate(() => pumpWebhook(core));
  return true;
}

export function deleteWebhook(core: Core, p: Params): true {
  const q = core.updates;
  if (q.webhook) {
    q.webhook.abort.abort();
    q.webhook = undefined;
  }
  if (paramBool(p, 'drop_pending_updates')) q.dropAllPending();
  return true;
}

export function webhookInfo(core: Core): Record<string, unknown> {
  const q = core.updates;
  const wh = q.webhook;
  const info: Record<string, unknown> = {
    url: wh?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: q.unconfirmedUpdates(),
  };
  if (wh) {
    info.max_connections = wh.maxConnections;
    if (q.allowedUpdates) info.allowed_updates = [...q.allowedUpdates];
    if (wh.lastError) {
      info.last_error_date = wh.lastError.date;
      info.last_error_message = wh.lastError.message;
    }
  }
  return info;
}

export function pumpWebhook(core: Core): void {
  const q = core.updates;
  const wh = q.webhook;
  if (!wh || core.stopped) return;
  const now = Date.now();
  while (wh.inflight < wh.maxConnections) {
    let entry = wh.retry.shift();
    if (!entry) {
      for (let i = q.qHead; i < q.queue.length; i++) {
        const e = q.queue[i]!;
        if (e.dropped || e.delivered) continue;
        if (!q.isAllowed(e.type)) {
          e.dropped = true;
          q.undelivered--;
          continue;
        }
        const chatId = updateChatId(e.update);
        if (chatId !== undefined && (wh.busyChats.get(chatId) ?? 0) > 0) continue; // keep per-chat order
        entry = e;
        break;
      }
    }
    if (!entry) break;
    q.markDelivered(entry, now);
    const chatId = updateChatId(entry.update);
    if (chatId !== undefined) wh.busyChats.set(chatId, (wh.busyChats.get(chatId) ?? 0) + 1);
    wh.inflight++;
    const e = entry;
    void postUpdate(core, wh, e).then((ok) => {
      wh.inflight--;
      if (chatId !== undefined) {
        const n = (wh.busyChats.get(chatId) ?? 1) - 1;
        if (n <= 0) wh.busyChats.delete(chatId);
        else wh.busyChats.set(chatId, n);
      }
      if (ok) {
        e.dropped = true;
        while (q.qHead < q.queue.length && q.queue[q.qHead]!.dropped) q.qHead++;
        q.compactQueue();
        pumpWebhook(core);
      } else if (q.webhook === wh) {
        core.timers.start(core.opts.webhookRetryMs, () => {
          wh.retry.push(e);
          pumpWebhook(core);
        });
      }
    });
  }
  if (q.hasPollWaiters()) q.notifyPollWaiters();
}

async function postUpdate(core: Core, wh: WebhookState, entry: QueueEntry): Promise<boolean> {
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (wh.secret) headers['x-telegram-bot-api-secret-token'] = wh.secret;
    const res = await fetch(wh.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(entry.update),
      signal: wh.abort.signal,
    });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) {
      wh.lastError = { date: nowSec(), message: `Wrong response from the webhook: ${res.status} ${res.statusText}` };
      return false;
    }
    // A method call in the webhook response (telegraf's webhookReply) is executed like a request.
    if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('application/json')) {
      let payload: unknown;
      try {
        payload = JSON.parse(text);
      } catch {
        payload = undefined;
      }
      if (payload && typeof payload === 'object' && typeof (payload as Params).method === 'string') {
        const { method, ...params } = payload as Params & { method: string };
        const call: ApiCall = { method, params, status: 0, ok: false, at: Date.now() };
        const handler = core.handlers[method.toLowerCase()];
        try {
          if (!handler || method.toLowerCase() === 'getupdates') throw new ApiError(404, 'Not Found');
          handler(params);
          call.ok = true;
          call.status = 200;
        } catch (err) {
          const e = err instanceof ApiError ? err : new ApiError(500, String(err));
          call.status = e.code;
          call.description = e.description;
        }
        core.log.record(call);
      }
    }
    return true;
  } catch (err) {
    wh.lastError = { date: nowSec(), message: `Connection failed: ${String(err)}` };
    return false;
  }
}
