// Producing a case's document: access check, archived reprint or a new document with its own code.
import { and, desc, eq, gt } from 'drizzle-orm';
import { type EmployeeProfile } from '../repositories/employees.js';
import { caseEvents, documents } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import { isPrintable } from './printable.js';
import type { DocumentKind, DocumentDeps } from './printable.js';
import { documentFileName } from './labels.js';
import { loadDocumentData } from './read-model.js';
import { renderDocumentPdf } from './layout.js';
import { newVerificationCode } from './verification.js';
import { sha256, storagePathFor, storePdf, readStored } from './storage.js';

export interface RenderedDocument {
  pdf: Buffer;
  verificationCode: string;
  fileName: string;
  kind: DocumentKind;
  documentId: string;
  caseVersion: number;
  period: string;
  subjectNama: string;
}


/**
 * The PDF of a case for someone allowed to see it. The same case version printed again returns the archived
 * file with its code; a new version gets a new document, code and row in `documents`.
 * Throws AccessDenied (see the access policy), DomainError CASE_NOT_FOUND, DOCUMENT_NOT_AVAILABLE or DOCUMENT_NOT_READY.
 */
export async function renderCaseDocument(
  deps: DocumentDeps,
  input: { caseId: string; requestedBy: EmployeeProfile; now: Date },
): Promise<RenderedDocument> {
  await deps.access.require(input.requestedBy, 'caseDocument', { kind: 'case', caseId: input.caseId });
  const data = await loadDocumentData(deps.db, input.caseId, { procedures: deps.procedures });
  if (!isPrintable(deps.procedures.get(data.procedure.code), data)) {
    throw new DomainError('DOCUMENT_NOT_READY', 'The case has no printable document yet', { kind: data.kind, status: data.status });
  }
  const fileName = documentFileName(data);
  const result = (pdf: Buffer, row: { id: string; verificationCode: string }): RenderedDocument => ({
    pdf,
    verificationCode: row.verificationCode,
    fileName,
    kind: data.kind,
    documentId: row.id,
    caseVersion: data.caseVersion,
    period: data.period,
    subjectNama: data.pegawai.nama,
  });

  const [previous] = await deps.db
    .select()
    .from(documents)
    .where(and(eq(documents.caseId, data.caseId), eq(documents.kind, data.kind), eq(documents.caseVersion, data.caseVersion)))
    .orderBy(desc(documents.createdAt))
    .limit(1);
  // A keberatan decided since that print changed the result without a new case version: print afresh.
  const [redecided] = previous
    ? await deps.db
        .select({ id: caseEvents.id })
        .from(caseEvents)
        .where(and(eq(caseEvents.caseId, data.caseId), eq(caseEvents.action, 'keberatan_decided'), gt(caseEvents.at, previous.createdAt)))
        .limit(1)
    : [];
  const stored = previous?.storagePath && !redecided ? await readStored(previous.storagePath, previous.sha256) : null;
  if (previous && stored) return result(stored, previous);

  // A clash of random codes is astronomically rare (32^10); the unique index decides, and we draw again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const verificationCode = newVerificationCode();
    const pdf = await renderDocumentPdf(data, { verificationCode, printedAt: input.now });
    const hash = sha256(pdf);
    const path = storagePathFor(deps.config, hash);
    await storePdf(path, pdf);
    const inserted = await deps.db
      .insert(documents)
      .values({
        caseId: data.caseId,
        kind: data.kind,
        caseVersion: data.caseVersion,
        verificationCode,
        sha256: hash,
        storagePath: path,
        createdBy: input.requestedBy.id,
        createdAt: input.now,
      })
      .onConflictDoNothing({ target: documents.verificationCode })
      .returning({ id: documents.id, verificationCode: documents.verificationCode });
    if (inserted[0]) return result(pdf, inserted[0]);
  }
  throw new Error('could not allocate a unique verification code');
}
