// Verification codes: how they are issued and typed back, and what a printed code stands for.
import { randomInt } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { findEmployeeById } from '../repositories/employees.js';
import { caseEvents, cases, documents, employees, evidenceFiles } from '../../db/schema/index.js';
import type { DocumentKind } from './printable.js';
import { TRANSITION_ACTIONS } from './read-model.js';

/** No 0/O, 1/I: a code read off paper and typed on a phone must not be ambiguous. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const VERIFICATION_CODE_LENGTH = 10;

export function newVerificationCode(): string {
  let code = '';
  for (let i = 0; i < VERIFICATION_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** 'abcd-e2345 f' → 'ABCDE2345F'; null when it cannot be a code we issued. */
export function normalizeVerificationCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  const valid = code.length === VERIFICATION_CODE_LENGTH && [...code].every((ch) => CODE_ALPHABET.includes(ch));
  return valid ? code : null;
}


export interface VerifiedDocument {
  /** 'sertifikat': the ASN Berprestasi certificate (see certificate.ts). */
  kind: DocumentKind | 'sertifikat';
  caseId: string;
  caseVersion: number;
  currentVersion: number;
  revision: number | null;
  period: string;
  subjectNama: string;
  subjectNip: string;
  createdAt: Date;
  createdByNama: string | null;
  sha256: string;
  /** For a certificate: the nomination's data files, oldest first. */
  files: Array<{ name: string; sha256: string | null }>;
}

/** What a printed verification code stands for, or null when no document carries it. */
export async function verifyDocument(db: DbOrTx, input: string): Promise<VerifiedDocument | null> {
  const code = normalizeVerificationCode(input);
  if (!code) return null;
  const [row] = await db
    .select({
      kind: documents.kind,
      caseId: documents.caseId,
      caseVersion: documents.caseVersion,
      currentVersion: cases.version,
      period: cases.period,
      subjectNama: employees.nama,
      subjectNip: employees.nip,
      createdAt: documents.createdAt,
      createdBy: documents.createdBy,
      sha256: documents.sha256,
    })
    .from(documents)
    .innerJoin(cases, eq(cases.id, documents.caseId))
    .innerJoin(employees, eq(employees.id, cases.subjectId))
    .where(eq(documents.verificationCode, code));
  if (!row) return null;
  const creator = row.createdBy ? await findEmployeeById(db, row.createdBy) : null;
  // Each version is made by exactly one transition event (version 1 by 'start'), so the event that produced the
  // printed version tells the revision the case had then.
  const [event] = await db
    .select({ revision: caseEvents.revision })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, row.caseId), inArray(caseEvents.action, TRANSITION_ACTIONS)))
    .orderBy(asc(caseEvents.id))
    .offset(Math.max(row.caseVersion - 1, 0))
    .limit(1);
  const kind = row.kind === 'evaluasi' || row.kind === 'sertifikat' ? row.kind : 'skp';
  const files =
    kind === 'sertifikat'
      ? (
          await db
            .select({ fileName: evidenceFiles.fileName, sha256: evidenceFiles.sha256 })
            .from(evidenceFiles)
            .where(eq(evidenceFiles.caseId, row.caseId))
            .orderBy(asc(evidenceFiles.createdAt))
        ).map((f) => ({ name: f.fileName ?? 'berkas tanpa nama', sha256: f.sha256 }))
      : [];
  return {
    kind,
    files,
    caseId: row.caseId,
    caseVersion: row.caseVersion,
    currentVersion: row.currentVersion,
    revision: event?.revision ?? null,
    period: row.period,
    subjectNama: row.subjectNama,
    subjectNip: row.subjectNip,
    createdAt: row.createdAt,
    createdByNama: creator?.nama ?? null,
    sha256: row.sha256,
  };
}
