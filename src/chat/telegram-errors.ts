// The one classifier of Telegram's error answers: what each means for the product (docs/telegram.md, "Error answers").
// Every place that sends to Telegram asks this module; nothing else reads error_code or description.

/** What a failed Bot API call means for the product. */
export type TelegramFailure =
  /** 429: wait `retryAfterMs`, send again; never drop. */
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** 5xx, no answer, connection refused/reset, timeout: back off and try again. */
  | { kind: 'transient' }
  /** The recipient cannot be reached; `untilTheyWrite`: a message from them makes them reachable again. */
  | { kind: 'unreachable'; reason: UnreachableReason; untilTheyWrite: boolean }
  /** "message is not modified": the edit is already there — not an error. */
  | { kind: 'not_modified' }
  /** The button was answered too late: the outcome goes into the message or a chat message instead. */
  | { kind: 'query_too_old' }
  /** The message to edit, delete or reply to is gone: send a new one. */
  | { kind: 'message_gone' }
  /** Edit the caption instead of the text, or the other way round. */
  | { kind: 'wrong_edit_kind' }
  /** A file sent with the method of another kind. */
  | { kind: 'wrong_file_kind' }
  /** The file id no longer works: upload it again from the archive. */
  | { kind: 'file_unavailable' }
  /** Over getFile's 20 MB. */
  | { kind: 'file_too_big' }
  /** A bug of ours (formatting, length, callback data, anything else 4xx): log with the method, never repeat. */
  | { kind: 'bad_request'; description: string }
  /** Wrong token or a second polling instance: stop and tell the operator. */
  | { kind: 'fatal'; description: string }
  /** Not an answer from Telegram at all (a bug of ours before the request left). */
  | { kind: 'other' };

export type UnreachableReason = 'blocked' | 'deactivated' | 'not_started' | 'not_member' | 'chat_not_found';

export type TelegramFailureKind = TelegramFailure['kind'];

interface BotApiErrorShape {
  response?: { error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
  code?: unknown;
  type?: unknown;
  name?: unknown;
}

/** Error codes of a request that never got an answer (node's system errors, node-fetch's). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
]);

/** The Bot API answer inside a telegraf TelegramError (or anything shaped like one). */
export function botApiAnswer(error: unknown): { code: number; description: string; retryAfter?: number } | null {
  const response = (error as BotApiErrorShape | null)?.response;
  if (!response || typeof response.error_code !== 'number') return null;
  const retryAfter = Number(response.parameters?.retry_after);
  return {
    code: response.error_code,
    description: typeof response.description === 'string' ? response.description : '',
    ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
  };
}

export function classifyTelegramError(error: unknown): TelegramFailure {
  const answer = botApiAnswer(error);
  if (!answer) {
    const e = error as BotApiErrorShape | null;
    // node-fetch wraps socket errors (and a body that is not JSON, as a proxy's 502 page) as FetchError.
    if (e?.name === 'FetchError' || e?.name === 'AbortError' || e?.name === 'TimeoutError') return { kind: 'transient' };
    if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code)) return { kind: 'transient' };
    return { kind: 'other' };
  }
  const { code } = answer;
  const text = answer.description.toLowerCase();
  if (code === 429) return { kind: 'rate_limited', retryAfterMs: Math.max(1, answer.retryAfter ?? 5) * 1000 };
  if (code >= 500) return { kind: 'transient' };
  if (code === 401 || code === 409) return { kind: 'fatal', description: answer.description };
  if (code === 403) {
    if (text.includes('blocked by the user')) return { kind: 'unreachable', reason: 'blocked', untilTheyWrite: true };
    if (text.includes('user is deactivated')) return { kind: 'unreachable', reason: 'deactivated', untilTheyWrite: false };
    if (text.includes("can't initiate conversation")) return { kind: 'unreachable', reason: 'not_started', untilTheyWrite: true };
    return { kind: 'unreachable', reason: 'not_member', untilTheyWrite: true };
  }
  if (text.includes('chat not found') || text.includes('user not found')) {
    return { kind: 'unreachable', reason: 'chat_not_found', untilTheyWrite: true };
  }
  if (text.includes('message is not modified')) return { kind: 'not_modified' };
  if (text.includes('query is too old') || text.includes('query id is invalid')) return { kind: 'query_too_old' };
  if (/message to (edit|delete|be replied) not found/.test(text)) return { kind: 'message_gone' };
  if (/there is no (text|caption) in the message to edit/.test(text)) return { kind: 'wrong_edit_kind' };
  if (/can't use file of type/.test(text)) return { kind: 'wrong_file_kind' };
  if (text.includes('wrong file identifier') || text.includes('wrong file_id') || text.includes('file is temporarily unavailable')) {
    return { kind: 'file_unavailable' };
  }
  if (text.includes('file is too big')) return { kind: 'file_too_big' };
  return { kind: 'bad_request', description: answer.description };
}

/** Worth sending again (late rather than never). */
export function isRetryable(failure: TelegramFailure): boolean {
  return failure.kind === 'rate_limited' || failure.kind === 'transient';
}

/** The payload of a failed call as it may be logged: ids, method and lengths, never the texts people wrote. */
export function redactPayload(payload: unknown): Record<string, unknown> {
  if (!payload || typeof payload !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
    if (typeof value === 'string') {
      out[key] = key.endsWith('_id') || key === 'parse_mode' || key === 'chat_id' ? value : `[${value.length} chars]`;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      out[key] = value;
    } else if (key === 'reply_markup') {
      out[key] = '[markup]';
    } else if (value !== undefined) {
      out[key] = '[object]';
    }
  }
  return out;
}
