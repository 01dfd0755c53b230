// The one Telegram error classifier: one case for every error text listed in docs/telegram.md.
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { classifyTelegramError, isRetryable, redactPayload } from '../../src/chat/telegram-errors.js';

const api = (error_code: number, description: string, parameters?: { retry_after?: number }) =>
  new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });
const bad = (text: string) => api(400, `Bad Request: ${text}`);

describe('classifyTelegramError', () => {
  it.each([
    [api(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), { kind: 'rate_limited', retryAfterMs: 7000 }],
    [api(403, 'Forbidden: bot was blocked by the user'), { kind: 'unreachable', reason: 'blocked', untilTheyWrite: true }],
    [api(403, 'Forbidden: user is deactivated'), { kind: 'unreachable', reason: 'deactivated', untilTheyWrite: false }],
    [api(403, 'Forbidden: bot was kicked from the group chat'), { kind: 'unreachable', reason: 'not_member', untilTheyWrite: true }],
    [api(403, 'Forbidden: bot was kicked from the supergroup chat'), { kind: 'unreachable', reason: 'not_member', untilTheyWrite: true }],
    [api(403, 'Forbidden: bot is not a member of the group chat'), { kind: 'unreachable', reason: 'not_member', untilTheyWrite: true }],
    [api(403, "Forbidden: bot can't initiate conversation with a user"), { kind: 'unreachable', reason: 'not_started', untilTheyWrite: true }],
    [bad('chat not found'), { kind: 'unreachable', reason: 'chat_not_found', untilTheyWrite: true }],
    [bad('user not found'), { kind: 'unreachable', reason: 'chat_not_found', untilTheyWrite: true }],
    [
      bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message'),
      { kind: 'not_modified' },
    ],
    [bad('message to edit not found'), { kind: 'message_gone' }],
    [bad('message to delete not found'), { kind: 'message_gone' }],
    [bad('message to be replied not found'), { kind: 'message_gone' }],
    [bad('query is too old and response timeout expired or query ID is invalid'), { kind: 'query_too_old' }],
    [bad('there is no text in the message to edit'), { kind: 'wrong_edit_kind' }],
    [bad('there is no caption in the message to edit'), { kind: 'wrong_edit_kind' }],
    [bad("can't parse entities: Unsupported start tag \"x\" at byte offset 3"), { kind: 'bad_request', description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3" }],
    [bad('message is too long'), { kind: 'bad_request', description: 'Bad Request: message is too long' }],
    [bad('message caption is too long'), { kind: 'bad_request', description: 'Bad Request: message caption is too long' }],
    [bad('reply markup is too long'), { kind: 'bad_request', description: 'Bad Request: reply markup is too long' }],
    [bad('BUTTON_DATA_INVALID'), { kind: 'bad_request', description: 'Bad Request: BUTTON_DATA_INVALID' }],
    [bad("can't use file of type Document as Photo"), { kind: 'wrong_file_kind' }],
    [bad('wrong file identifier/HTTP URL specified'), { kind: 'file_unavailable' }],
    [bad('wrong file_id or the file is temporarily unavailable'), { kind: 'file_unavailable' }],
    [bad('file is too big'), { kind: 'file_too_big' }],
    [api(401, 'Unauthorized'), { kind: 'fatal', description: 'Unauthorized' }],
    [
      api(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'),
      { kind: 'fatal', description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' },
    ],
    [api(500, 'Internal Server Error'), { kind: 'transient' }],
    [api(502, 'Bad Gateway'), { kind: 'transient' }],
  ])('%s', (error, expected) => {
    expect(classifyTelegramError(error)).toEqual(expected);
  });

  it('a 429 without retry_after waits 5 s', () => {
    expect(classifyTelegramError(api(429, 'Too Many Requests'))).toEqual({ kind: 'rate_limited', retryAfterMs: 5000 });
  });

  it('no answer at all (refused, reset, timeout, a body that is not JSON) is transient', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const fetchError = Object.assign(new Error('invalid json response body'), { name: 'FetchError', type: 'invalid-json' });
    for (const e of [refused, reset, fetchError]) expect(classifyTelegramError(e)).toEqual({ kind: 'transient' });
    expect(isRetryable(classifyTelegramError(refused))).toBe(true);
  });

  it('an error of ours is not a Telegram answer', () => {
    expect(classifyTelegramError(new TypeError('x is undefined'))).toEqual({ kind: 'other' });
    expect(isRetryable(classifyTelegramError(bad('chat not found')))).toBe(false);
  });

  it('redacts what people wrote from a logged payload', () => {
    expect(redactPayload({ chat_id: 5, text: 'rahasia', parse_mode: 'HTML', reply_markup: { inline_keyboard: [] } })).toEqual({
      chat_id: 5,
      text: '[7 chars]',
      parse_mode: 'HTML',
      reply_markup: '[markup]',
    });
  });
});
