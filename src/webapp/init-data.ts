// Validates a Mini App's signed initData exactly as Telegram specifies
// (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app).
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface InitDataUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type InitDataResult =
  | { ok: true; user: InitDataUser; authDate: Date; fields: Map<string, string> }
  | { ok: false; reason: 'malformed' | 'missing_hash' | 'duplicate_key' | 'bad_hash' | 'expired' | 'no_user' };

/** secret_key = HMAC-SHA256(key "WebAppData", message bot token). */
function secretKeyOf(botToken: string): Buffer {
  return createHmac('sha256', 'WebAppData').update(botToken).digest();
}

/** The data-check-string: every field but `hash`, sorted by key, as key=value joined by line feeds. */
export function dataCheckString(fields: Map<string, string>): string {
  return [...fields.entries()]
    .filter(([key]) => key !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** Signs fields as Telegram does (tests and the benchmark build initData with it). */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const map = new Map(Object.entries(fields));
  const hash = createHmac('sha256', secretKeyOf(botToken)).update(dataCheckString(map)).digest('hex');
  const params = new URLSearchParams(fields);
  params.set('hash', hash);
  return params.toString();
}

export function validateInitData(raw: string, options: { botToken: string; maxAgeSeconds: number; now: Date }): InitDataResult {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const fields = new Map<string, string>();
  for (const [key, value] of params) {
    // A repeated key makes the signed string ambiguous (which value did Telegram sign?): refuse it outright.
    if (fields.has(key)) return { ok: false, reason: 'duplicate_key' };
    fields.set(key, value);
  }
  const hash = fields.get('hash');
  if (!hash) return { ok: false, reason: 'missing_hash' };
  if (!/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'bad_hash' };
  const expected = createHmac('sha256', secretKeyOf(options.botToken)).update(dataCheckString(fields)).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'bad_hash' };

  const authSeconds = Number(fields.get('auth_date'));
  if (!Number.isInteger(authSeconds) || authSeconds <= 0) return { ok: false, reason: 'malformed' };
  const ageSeconds = options.now.getTime() / 1000 - authSeconds;
  if (ageSeconds > options.maxAgeSeconds) return { ok: false, reason: 'expired' };

  let user: InitDataUser;
  try {
    user = JSON.parse(fields.get('user') ?? 'null') as InitDataUser;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!user || typeof user.id !== 'number' || !Number.isSafeInteger(user.id)) return { ok: false, reason: 'no_user' };
  return { ok: true, user, authDate: new Date(authSeconds * 1000), fields };
}
