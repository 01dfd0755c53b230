// initData validation as Telegram specifies: a valid one, and each way a forged or stale one must fail.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dataCheckString, signInitData, validateInitData } from '../../src/webapp/init-data.js';

const token = '123456789:AAFakeTokenForInitDataTests_abc';
const now = new Date('2026-03-02T01:00:00Z');
const authDate = String(Math.floor(now.getTime() / 1000) - 60);
const fields = {
  query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
  user: JSON.stringify({ id: 8101, first_name: 'Anisa', language_code: 'id' }),
  auth_date: authDate,
};
const options = { botToken: token, maxAgeSeconds: 3600, now };

describe('validateInitData', () => {
  it('accepts initData signed with the bot token and returns the user', () => {
    const result = validateInitData(signInitData(fields, token), options);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.user.id).toBe(8101);
      expect(result.authDate.getTime()).toBe(Number(authDate) * 1000);
    }
  });

  it('follows the documented algorithm (independent computation)', () => {
    const secret = createHmac('sha256', 'WebAppData').update(token).digest();
    const check = Object.keys(fields)
      .sort()
      .map((k) => `${k}=${fields[k as keyof typeof fields]}`)
      .join('\n');
    expect(dataCheckString(new Map(Object.entries(fields)))).toBe(check);
    const hash = createHmac('sha256', secret).update(check).digest('hex');
    const raw = new URLSearchParams({ ...fields, hash }).toString();
    expect(validateInitData(raw, options).ok).toBe(true);
  });

  it('refuses initData with one field changed', () => {
    const signed = new URLSearchParams(signInitData(fields, token));
    signed.set('user', JSON.stringify({ id: 8102, first_name: 'Anisa', language_code: 'id' }));
    expect(validateInitData(signed.toString(), options)).toEqual({ ok: false, reason: 'bad_hash' });
  });

  it("refuses initData signed with another bot's token", () => {
    const other = signInitData(fields, '987654321:AAAnotherBotsTokenEntirely_xyz');
    expect(validateInitData(other, options)).toEqual({ ok: false, reason: 'bad_hash' });
  });

  it('refuses initData older than the allowed age', () => {
    const old = signInitData({ ...fields, auth_date: String(Math.floor(now.getTime() / 1000) - 3601) }, token);
    expect(validateInitData(old, options)).toEqual({ ok: false, reason: 'expired' });
    expect(validateInitData(old, { ...options, maxAgeSeconds: 7200 }).ok).toBe(true);
  });

  it('refuses initData without a hash', () => {
    const raw = new URLSearchParams(fields).toString();
    expect(validateInitData(raw, options)).toEqual({ ok: false, reason: 'missing_hash' });
    expect(validateInitData(`${raw}&hash=`, options)).toEqual({ ok: false, reason: 'missing_hash' });
  });

  it('refuses duplicate keys, even when one copy is the signed one', () => {
    const signed = signInitData(fields, token);
    const forged = `${signed}&user=${encodeURIComponent(JSON.stringify({ id: 1 }))}`;
    expect(validateInitData(forged, options)).toEqual({ ok: false, reason: 'duplicate_key' });
    const twoHashes = `${signed}&hash=${'0'.repeat(64)}`;
    expect(validateInitData(twoHashes, options)).toEqual({ ok: false, reason: 'duplicate_key' });
  });

  it('refuses signed initData without a user', () => {
    const { user: _user, ...rest } = fields;
    expect(validateInitData(signInitData(rest, token), options)).toEqual({ ok: false, reason: 'no_user' });
  });
});
