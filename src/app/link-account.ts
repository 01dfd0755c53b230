// Use cases: link a Telegram account to an employee (shared contact or one-time code), issue codes, unlink.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { findEmployeeById, findEmployeeByNip, findEmployeesByPhone, type EmployeeProfile } from './repositories/employees.js';
import { employeeAudit, employees, linkCodes } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import { parseNip } from '../domain/nip.js';
import { normalizePhone } from '../domain/phone.js';
import type { AccessPolicy } from './access-policy.js';

export interface TelegramIdentity {
  telegramUserId: number;
  chatId: number;
}

export function hashLinkCode(code: string): string {
  return createHash('sha256').update(code.trim()).digest('hex');
}

/** Crockford's base32 alphabet: digits and capitals without I, L, O and U, so nothing reads as something else. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * 12 characters of Crockford base32 = 60 random bits. A code lives a week, is used once and is looked up by its hash,
 * so that is plenty; and an employee reading it off a WhatsApp message types it without telling 0 from O or _ from -.
 * It also fits Telegram's deep-link alphabet.
 */
export function generateLinkCode(): string {
  const bytes = randomBytes(12);
  let code = '';
  for (const b of bytes) code += CODE_ALPHABET[b & 31];
  // A code of letters only (about 1 in 90) typed in lower case would read as a word, not a code (looksLikeLinkCode):
  // its last character becomes a digit.
  return /\d/.test(code) ? code : code.slice(0, 11) + CODE_ALPHABET[bytes[11]! % 10];
}

/**
 * Whether a message could be a link code typed on its own (without /daftar): 12 characters of the code's alphabet
 * or its look-alikes, with a digit or all in capitals, so a 12-letter word typed in lower case is not taken for one.
 */
export function looksLikeLinkCode(text: string): boolean {
  if (!/^[0-9A-TV-Z]{12}$/i.test(text) || /^\d+$/.test(text)) return false;
  return /\d/.test(text) || text === text.toUpperCase();
}

/**
 * The hashes a typed code may be stored under. Codes are typed in any case and with the look-alikes Crockford
 * allows (O for 0, I and L for 1); a code issued before the alphabet changed (base64url, case-sensitive) is still
 * matched as typed.
 */
function linkCodeHashes(typed: string): string[] {
  const exact = typed.trim();
  const normal = exact.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return [...new Set([hashLinkCode(normal), hashLinkCode(exact)])];
}

async function linkInTransaction(
  tx: Tx,
  employeeId: string,
  who: TelegramIdentity,
  now: Date,
  via: Record<string, unknown>,
): Promise<EmployeeProfile> {
  // Lock the employee row: two simultaneous links of the same NIP must not both win.
  const [row] = await tx
    .select({ id: employees.id, active: employees.active, telegramUserId: employees.telegramUserId })
    .from(employees)
    .where(eq(employees.id, employeeId))
    .for('update');
  if (!row) throw new DomainError('EMPLOYEE_NOT_FOUND');
  if (!row.active) throw new DomainError('EMPLOYEE_INACTIVE');
  if (row.telegramUserId !== null && row.telegramUserId !== who.telegramUserId) throw new DomainError('NIP_LINKED_ELSEWHERE');
  const [other] = await tx
    .select({ id: employees.id, nama: employees.nama })
    .from(employees)
    .where(eq(employees.telegramUserId, who.telegramUserId));
  if (other && other.id !== employeeId) throw new DomainError('TELEGRAM_LINKED_ELSEWHERE', undefined, { nama: other.nama });
  if (row.telegramUserId === who.telegramUserId) {
    return (await findEmployeeById(tx, employeeId))!;
  }
  await tx
    .update(employees)
    .set({ telegramUserId: who.telegramUserId, telegramChatId: who.chatId, linkedAt: now, unreachableAt: null, updatedAt: now })
    .where(eq(employees.id, employeeId));
  await tx.insert(employeeAudit).values({
    employeeId,
    actorId: employeeId,
    actorLabel: `telegram:${who.telegramUserId}`,
    action: 'telegram_linked',
    details: { telegramUserId: who.telegramUserId, ...via },
    at: now,
  });
  return (await findEmployeeById(tx, employeeId))!;
}

export async function linkByContact(
  db: Db,
  input: TelegramIdentity & { contactUserId: number | undefined; phoneNumber: string; now: Date },
): Promise<EmployeeProfile> {
  // Telegram does not sign contacts: only a contact of the sender's own account proves the number is theirs.
  if (input.contactUserId !== input.telegramUserId) throw new DomainError('CONTACT_NOT_OWN');
  // Telegram sends contact numbers as bare digits in international form ("6281…"): restore the "+".
  const raw = input.phoneNumber.trim();
  const phone = normalizePhone(/^\d+$/.test(raw) && !raw.startsWith('0') ? `+${raw}` : raw);
  if (!phone) throw new DomainError('PHONE_NOT_FOUND');
  return db.transaction(async (tx) => {
    const matches = await findEmployeesByPhone(tx, phone);
    if (matches.length === 0) throw new DomainError('PHONE_NOT_FOUND');
    const active = matches.filter((m) => m.active);
    if (active.length === 0) throw new DomainError('EMPLOYEE_INACTIVE');
    if (active.length > 1) throw new DomainError('PHONE_AMBIGUOUS');
    return linkInTransaction(tx, active[0]!.id, input, input.now, { via: 'contact' });
  });
}

export async function redeemLinkCode(db: Db, input: TelegramIdentity & { code: string; now: Date }): Promise<EmployeeProfile> {
  const hashes = linkCodeHashes(input.code);
  return db.transaction(async (tx) => {
    const [code] = await tx.select().from(linkCodes).where(inArray(linkCodes.codeHash, hashes)).for('update');
    if (!code) throw new DomainError('CODE_INVALID');
    if (code.usedAt) throw new DomainError('CODE_USED');
    if (code.expiresAt.getTime() <= input.now.getTime()) throw new DomainError('CODE_EXPIRED');
    const profile = await linkInTransaction(tx, code.employeeId, input, input.now, { via: 'code', codeId: code.id });
    await tx
      .update(linkCodes)
      .set({ usedAt: input.now, usedByTelegramId: input.telegramUserId })
      .where(and(eq(linkCodes.id, code.id), isNull(linkCodes.usedAt)));
    return profile;
  });
}

/** Issues a one-time link code for the employee with NIP `nipInput`. Throws AccessDenied when the policy refuses. */
export async function issueLinkCode(
  db: Db,
  access: Pick<AccessPolicy, 'require'>,
  input: { issuer: EmployeeProfile; nipInput: string; now: Date; ttlDays: number },
): Promise<{ code: string; target: EmployeeProfile; expiresAt: Date }> {
  await access.require(input.issuer, 'issueLinkCode');
  const nip = parseNip(input.nipInput);
  if (!nip.ok) throw new DomainError('NIP_INVALID', nip.reason, { reason: nip.reason });
  const target = await findEmployeeByNip(db, nip.nip);
  if (!target) throw new DomainError('EMPLOYEE_NOT_FOUND', undefined, { nip: nip.nip });
  await access.require(input.issuer, 'issueLinkCode', { kind: 'employee', employeeId: target.id });
  if (!target.active) throw new DomainError('EMPLOYEE_INACTIVE');
  const code = generateLinkCode();
  const expiresAt = new Date(input.now.getTime() + input.ttlDays * 24 * 3600 * 1000);
  await db.transaction(async (tx) => {
    await tx.insert(linkCodes).values({ employeeId: target.id, codeHash: hashLinkCode(code), issuedBy: input.issuer.id, expiresAt, createdAt: input.now });
    await tx.insert(employeeAudit).values({
      employeeId: target.id,
      actorId: input.issuer.id,
      actorLabel: `telegram:${input.issuer.telegramUserId}`,
      action: 'link_code_issued',
      details: { expiresAt: expiresAt.toISOString() },
      at: input.now,
    });
  });
  return { code, target, expiresAt };
}

/** Unlinks the Telegram account of the employee with NIP `nipInput`. Throws AccessDenied when the policy refuses. */
export async function unlinkTelegram(
  db: Db,
  access: Pick<AccessPolicy, 'require'>,
  input: { admin: EmployeeProfile; nipInput: string; now: Date },
): Promise<EmployeeProfile> {
  await access.require(input.admin, 'unlink');
  const nip = parseNip(input.nipInput);
  if (!nip.ok) throw new DomainError('NIP_INVALID', nip.reason, { reason: nip.reason });
  const target = await findEmployeeByNip(db, nip.nip);
  if (!target) throw new DomainError('EMPLOYEE_NOT_FOUND', undefined, { nip: nip.nip });
  await access.require(input.admin, 'unlink', { kind: 'employee', employeeId: target.id });
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(employees).where(eq(employees.id, target.id)).for('update');
    if (!row) throw new DomainError('EMPLOYEE_NOT_FOUND', undefined, { nip: nip.nip });
    if (row.telegramUserId === null) throw new DomainError('NOT_LINKED', undefined, { nama: row.nama });
    await tx
      .update(employees)
      .set({ telegramUserId: null, telegramChatId: null, linkedAt: null, updatedAt: input.now })
      .where(eq(employees.id, row.id));
    await tx.insert(employeeAudit).values({
      employeeId: row.id,
      actorId: input.admin.id,
      actorLabel: `telegram:${input.admin.telegramUserId}`,
      action: 'telegram_unlinked',
      details: { telegramUserId: row.telegramUserId },
      at: input.now,
    });
    return (await findEmployeeById(tx, row.id))!;
  });
}

/** Marks a recipient unreachable after Telegram's 403 (blocked or never started). */
export async function markUnreachable(db: Db, telegramUserId: number, now: Date): Promise<void> {
  await db
    .update(employees)
    .set({ unreachableAt: now })
    .where(and(eq(employees.telegramUserId, telegramUserId), sql`${employees.unreachableAt} is null`));
}

/** They wrote to the bot again (or unblocked it): Telegram delivers to them again, at once. */
export async function markReachable(db: Db, telegramUserId: number): Promise<void> {
  await db
    .update(employees)
    .set({ unreachableAt: null })
    .where(and(eq(employees.telegramUserId, telegramUserId), sql`${employees.unreachableAt} is not null`));
}
