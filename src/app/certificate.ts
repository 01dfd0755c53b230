// The ASN Berprestasi certificate (seed 004, step 7 "Mencetak sertifikat"): data, PDF and its verification code.
//
// Issued when the nomination completes: the nominee receives it with the congratulation, and /verifikasi of its
// code lists the nomination's data files. The signature block is the head (kepala) of the perangkat daerah of
// the Tim BKPSDM member who printed it, i.e. the Kepala BKPSDM/BKPP.
import { join } from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import type { AppConfig } from '../config.js';
import type { Db, DbOrTx } from '../db/client.js';
import { findEmployeeById } from './repositories/employees.js';
import { caseEvents, documents, units } from '../db/schema/index.js';
import type { AgencyTimeZone } from '../domain/calendar.js';
import { formatDate, formatShortDateTime } from '../domain/format.js';
import { formatNip } from '../domain/nip.js';
import { resolveAssignee } from './case-engine.js';
import { newVerificationCode, pdfSafe, readStored, sha256, signingPlace, storePdf } from './documents.js';
import { BOLD, REGULAR, pdfBytes, pdfInfo, pdfkit, registerFonts } from './documents/pdf-table.js';
import { findCaseRow } from './repositories/cases.js';

export const CERTIFICATE_KIND = 'sertifikat';

export interface CertificateData {
  caseId: string;
  caseVersion: number;
  year: string;
  instansiName: string;
  timeZone: AgencyTimeZone;
  nominee: { nama: string; nip: string; jabatan: string };
  perangkatDaerah: string;
  /** The score the Kepala SKPD set at step 2, as typed. */
  score: string;
  /** The Kepala BKPSDM/BKPP (head of the printer's perangkat daerah); null when the roster names nobody. */
  signer: { nama: string; nip: string; jabatan: string } | null;
  signerUnit: string | null;
}

async function perangkatDaerahName(db: DbOrTx, unitId: string): Promise<string> {
  const [unit] = await db.select({ path: units.path }).from(units).where(eq(units.id, unitId));
  return unit?.path.split(' / ')[0] ?? '';
}

/** Loads what the certificate of a completed nomination prints. Null when the case is not a completed nomination. */
export async function loadCertificateData(db: DbOrTx, config: AppConfig, caseId: string): Promise<CertificateData | null> {
  const row = await findCaseRow(db, caseId);
  if (!row || row.procedureCode !== 'asn-berprestasi' || row.status !== 'completed') return null;
  const nominee = await findEmployeeById(db, row.subjectId);
  if (!nominee) return null;
  // The printer: whoever completed the last step (7, "Mencetak sertifikat").
  const [printed] = await db
    .select({ actorId: caseEvents.actorId })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, 'complete')))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  const signerId = printed?.actorId ? await resolveAssignee(db, 'kepala_unit', printed.actorId) : null;
  const signer = signerId ? await findEmployeeById(db, signerId) : null;
  const data = row.data as { nilai?: unknown };
  return {
    caseId,
    caseVersion: row.version,
    year: row.period,
    instansiName: config.deployment.instansi.name,
    timeZone: config.deployment.instansi.timeZone,
    nominee: { nama: nominee.nama, nip: nominee.nip, jabatan: nominee.jabatan },
    perangkatDaerah: await perangkatDaerahName(db, nominee.unitId),
    score: typeof data.nilai === 'string' && data.nilai.trim() !== '' ? data.nilai.trim() : '-',
    signer: signer ? { nama: signer.nama, nip: signer.nip, jabatan: signer.jabatan } : null,
    signerUnit: signer ? await perangkatDaerahName(db, signer.unitId) : null,
  };
}

/** Renders the certificate as a landscape A4 PDF (pure: same data and options, same bytes). */
export async function renderCertificatePdf(
  data: CertificateData,
  options: { verificationCode: string; printedAt: Date; compress?: boolean },
): Promise<Buffer> {
  const { verificationCode: code, printedAt } = options;
  const doc = new (pdfkit())({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 56, bottom: 48, left: 64, right: 64 },
    compress: options.compress ?? true,
    info: pdfInfo({ title: `Sertifikat ASN Berprestasi ${data.year} - ${data.nominee.nama}`, instansiName: data.instansiName, verificationCode: code, printedAt }),
  });
  registerFonts(doc);
  const finished = pdfBytes(doc);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const line = (text: string, font: string, size: number, gap = 0.3) => {
    doc.font(font).fontSize(size).text(pdfSafe(text), left, doc.y, { width, align: 'center' });
    doc.moveDown(gap);
  };
  doc.lineWidth(2).rect(28, 28, doc.page.width - 56, doc.page.height - 56).stroke();
  doc.lineWidth(0.6).rect(34, 34, doc.page.width - 68, doc.page.height - 68).stroke();
  doc.y = doc.page.margins.top;
  if (data.instansiName) line(data.instansiName.toUpperCase(), BOLD, 13);
  if (data.signerUnit) line(data.signerUnit.toUpperCase(), REGULAR, 11, 1);
  line('SERTIFIKAT', BOLD, 30, 0.1);
  line(`ASN BERPRESTASI TAHUN ${data.year}`, BOLD, 16, 1);
  line('Diberikan kepada:', REGULAR, 11, 0.4);
  line(data.nominee.nama, BOLD, 20, 0.2);
  line(`NIP. ${formatNip(data.nominee.nip)}`, REGULAR, 11, 0.1);
  line(data.nominee.jabatan, REGULAR, 11, 0.1);
  line(`Perangkat Daerah: ${data.perangkatDaerah}`, REGULAR, 11, 0.8);
  line(`sebagai ASN Berprestasi Tahun ${data.year} dengan nilai ${data.score}.`, REGULAR, 12, 1.2);

  // Signature block on the right, verification on the left, on the same band.
  const top = doc.y;
  const half = width / 2;
  const place = signingPlace(data.instansiName);
  const dateLine = `${place ? `${place}, ` : ''}${formatDate(printedAt, data.timeZone).replace(/^[^,]+,\s*/, '')}`;
  const right = left + half + 20;
  const signWidth = half - 20;
  doc.font(REGULAR).fontSize(10.5);
  doc.text(pdfSafe(dateLine), right, top, { width: signWidth, align: 'center' });
  doc.text(pdfSafe(data.signer ? data.signer.jabatan : 'Kepala BKPSDM'), right, doc.y, { width: signWidth, align: 'center' });
  doc.font(BOLD).text(pdfSafe(data.signer?.nama ?? '..............................'), right, top + 90, {
    width: signWidth,
    align: 'center',
    underline: true,
  });
  doc.font(REGULAR).text(pdfSafe(`NIP. ${data.signer ? formatNip(data.signer.nip) : '..............................'}`), right, doc.y, {
    width: signWidth,
    align: 'center',
  });
  doc.font(BOLD).fontSize(9.5).text(`Kode verifikasi: ${code}`, left, top + 40, { width: half - 20 });
  doc.font(REGULAR).fontSize(8.5).text(`Verifikasi: /verifikasi ${code}`, left, doc.y + 2, { width: half - 20 });
  doc.text(`Dicetak dari kinerja-bot pada ${formatShortDateTime(printedAt, data.timeZone)}`, left, doc.y + 2, { width: half - 20 });
  doc.end();
  return finished;
}

export interface IssuedCertificate {
  pdf: Buffer;
  verificationCode: string;
  fileName: string;
  year: string;
}

/**
 * The certificate of a completed nomination: issued once per case version and archived; asked again (the
 * notification retried), the archived file comes back with the same code. Null when the case is not a completed
 * nomination.
 */
export async function issueCertificate(
  deps: { db: Db; config: AppConfig },
  input: { caseId: string; now: Date },
): Promise<IssuedCertificate | null> {
  const data = await loadCertificateData(deps.db, deps.config, input.caseId);
  if (!data) return null;
  const fileName = `Sertifikat-ASN-Berprestasi-${data.year}-${data.nominee.nip}.pdf`;
  const [previous] = await deps.db
    .select()
    .from(documents)
    .where(and(eq(documents.caseId, data.caseId), eq(documents.kind, CERTIFICATE_KIND), eq(documents.caseVersion, data.caseVersion)))
    .orderBy(desc(documents.createdAt))
    .limit(1);
  const stored = previous?.storagePath ? await readStored(previous.storagePath, previous.sha256) : null;
  if (previous && stored) return { pdf: stored, verificationCode: previous.verificationCode, fileName, year: data.year };
  for (let attempt = 0; attempt < 5; attempt++) {
    const verificationCode = newVerificationCode();
    const pdf = await renderCertificatePdf(data, { verificationCode, printedAt: input.now });
    const hash = sha256(pdf);
    const path = join(deps.config.deployment.storage.archiveDir, 'documents', `${hash}.pdf`);
    await storePdf(path, pdf);
    const inserted = await deps.db
      .insert(documents)
      .values({
        caseId: data.caseId,
        kind: CERTIFICATE_KIND,
        caseVersion: data.caseVersion,
        verificationCode,
        sha256: hash,
        storagePath: path,
        createdBy: null,
        createdAt: input.now,
      })
      .onConflictDoNothing({ target: documents.verificationCode })
      .returning({ verificationCode: documents.verificationCode });
    if (inserted[0]) return { pdf, verificationCode, fileName, year: data.year };
  }
  throw new Error('could not allocate a unique verification code');
}
