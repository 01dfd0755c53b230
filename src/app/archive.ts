// Evidence files: real-type detection by magic bytes, download with getFile into the sha256-addressed archive, retries.
//
// Every file an ASN sends for a case is checked on its bytes (an extension or MIME type can lie), stored as an
// evidence_files row with Telegram's file_id, and copied into the archive directory so the archive stays
// complete after Telegram forgets the file. A download that fails for a transient reason is recorded in
// archive_error and retried by archivePendingFiles (run from a job).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { TelegramError, type Telegram } from 'telegraf';
import type { Message } from 'telegraf/types';
import type { Db, Tx } from '../db/client.js';
import { evidenceFiles } from '../db/schema/index.js';
import type { Logger } from '../logger.js';

/** Telegram's getFile serves at most 20 MB to bots; a larger file could never reach the archive. */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

/** archive_error values starting with this are not retried (the file can never be archived). */
export const PERMANENT_ERROR_PREFIX = 'permanent: ';

export const EVIDENCE_KINDS = ['pdf', 'jpeg', 'png', 'docx', 'xlsx'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** What the bytes are. Accepted kinds plus a few common ones we name when refusing them. */
export type DetectedKind = EvidenceKind | 'gif' | 'webp' | 'zip' | 'ole' | 'exe' | 'rar' | '7z' | 'text';

export const KIND_MIME: Record<EvidenceKind, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const KIND_EXTENSIONS: Record<EvidenceKind, readonly string[]> = {
  pdf: ['pdf'],
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  png: ['png'],
  docx: ['docx'],
  xlsx: ['xlsx'],
};

/** Short names users recognise, used in refusal messages. */
export const KIND_LABEL: Record<DetectedKind, string> = {
  pdf: 'PDF',
  jpeg: 'JPEG',
  png: 'PNG',
  docx: 'Word (DOCX)',
  xlsx: 'Excel (XLSX)',
  gif: 'GIF',
  webp: 'WEBP',
  zip: 'ZIP',
  ole: 'Word/Excel lama (DOC/XLS)',
  exe: 'program (EXE)',
  rar: 'RAR',
  '7z': '7-Zip',
  text: 'teks',
};

const startsWith = (buf: Buffer, bytes: number[], offset = 0) =>
  buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);

/** Entry names of a ZIP archive, read from its central directory (empty when it is not a readable ZIP). */
function zipEntryNames(buf: Buffer): string[] {
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  const floor = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= floor; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count && offset + 46 <= buf.length; n++) {
    if (buf.readUInt32LE(offset) !== 0x02014b50) break;
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    names.push(buf.toString('utf8', offset + 46, Math.min(buf.length, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function looksLikeText(buf: Buffer): boolean {
  const sample = buf.subarray(0, 512);
  if (sample.length === 0) return false;
  for (const byte of sample) if (byte < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d].includes(byte)) return false;
  return true;
}

/** The real type of a file from its first bytes (and, for Office files, its ZIP directory); null if unknown. */
export function detectFileType(buf: Buffer): DetectedKind | null {
  if (buf.length === 0) return null;
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04]) || startsWith(buf, [0x50, 0x4b, 0x05, 0x06])) {
    const names = zipEntryNames(buf);
    const officeXml = names.includes('[Content_Types].xml');
    if (officeXml && names.some((n) => n.startsWith('word/'))) return 'docx';
    if (officeXml && names.some((n) => n.startsWith('xl/'))) return 'xlsx';
    return 'zip';
  }
  if (startsWith(buf, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(buf, [0x4d, 0x5a])) return 'exe';
  if (startsWith(buf, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar';
  if (startsWith(buf, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (looksLikeText(buf)) return 'text';
  return null;
}

export function isEvidenceKind(kind: string | null | undefined): kind is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(kind ?? '');
}

export function extensionOf(fileName: string | null | undefined): string | null {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(fileName ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/** The evidence kind a file name's extension claims, or null when the extension is not one we accept. */
export function kindOfExtension(ext: string): EvidenceKind | null {
  return EVIDENCE_KINDS.find((k) => KIND_EXTENSIONS[k].includes(ext)) ?? null;
}

export function kindOfMime(mime: string | null | undefined): EvidenceKind | null {
  return EVIDENCE_KINDS.find((k) => KIND_MIME[k] === mime) ?? null;
}

export type FileRefusal =
  | { reason: 'too_big'; sizeBytes: number }
  | { reason: 'type_not_allowed'; what: string; allowed: readonly EvidenceKind[] }
  | { reason: 'extension_mismatch'; extension: string; actual: string; allowed: readonly EvidenceKind[] }
  | { reason: 'unavailable' };

export interface DeclaredFile {
  fileName?: string | null;
  mimeType?: string | null;
  sizeBytes?: number | null;
}

/**
 * What can be judged before downloading: the size Telegram reports, and an extension or MIME type that is
 * already outside the accepted kinds. Returns the kind the file claims to be (null when it names none).
 */
export function checkDeclaredFile(
  file: DeclaredFile,
  allowed: readonly EvidenceKind[],
): { ok: true; claimed: EvidenceKind | null } | { ok: false; refusal: FileRefusal } {
  if ((file.sizeBytes ?? 0) > MAX_EVIDENCE_BYTES) return { ok: false, refusal: { reason: 'too_big', sizeBytes: file.sizeBytes! } };
  const ext = extensionOf(file.fileName);
  if (ext) {
    const claimed = kindOfExtension(ext);
    if (!claimed || !allowed.includes(claimed)) {
      return { ok: false, refusal: { reason: 'type_not_allowed', what: `.${ext}`, allowed } };
    }
    return { ok: true, claimed };
  }
  const mime = file.mimeType ?? null;
  if (mime && mime !== 'application/octet-stream') {
    const claimed = kindOfMime(mime);
    if (!claimed || !allowed.includes(claimed)) return { ok: false, refusal: { reason: 'type_not_allowed', what: mime, allowed } };
    return { ok: true, claimed };
  }
  return { ok: true, claimed: null };
}

/** Judges the downloaded bytes: their real type must be accepted and agree with the extension, if any. */
export function checkFileContent(
  content: Buffer,
  file: DeclaredFile,
  allowed: readonly EvidenceKind[],
): { ok: true; kind: EvidenceKind } | { ok: false; refusal: FileRefusal } {
  if (content.length > MAX_EVIDENCE_BYTES) return { ok: false, refusal: { reason: 'too_big', sizeBytes: content.length } };
  const detected = detectFileType(content);
  if (!detected) return { ok: false, refusal: { reason: 'type_not_allowed', what: 'tidak dikenal', allowed } };
  // A name that lies is the clearer reason ("laporan.pdf is a JPEG"), whatever the real kind is.
  const ext = extensionOf(file.fileName);
  if (ext && kindOfExtension(ext) !== detected) {
    return { ok: false, refusal: { reason: 'extension_mismatch', extension: ext, actual: KIND_LABEL[detected], allowed } };
  }
  if (!isEvidenceKind(detected) || !allowed.includes(detected)) {
    return { ok: false, refusal: { reason: 'type_not_allowed', what: KIND_LABEL[detected], allowed } };
  }
  return { ok: true, kind: detected };
}

// ---------------------------------------------------------------------------------------------------------
// The archive directory

export interface ArchiveDeps {
  db: Db;
  config: { deployment: { storage: { archiveDir: string } } };
  telegram: Telegram;
  now: () => Date;
  logger?: Logger;
}

/** storage_path is relative to the archive directory, so the directory can move. */
export function archivePath(archiveDir: string, storagePath: string): string {
  const base = isAbsolute(archiveDir) ? archiveDir : resolve(archiveDir);
  return join(base, storagePath);
}

export function sha256Of(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Writes the bytes under <sha[0:2]>/<sha>.<ext> (once: the same content is stored once). */
export async function storeInArchive(archiveDir: string, content: Buffer, kind: EvidenceKind): Promise<{ sha256: string; storagePath: string }> {
  const sha256 = sha256Of(content);
  const storagePath = `${sha256.slice(0, 2)}/${sha256}.${KIND_EXTENSIONS[kind][0]}`;
  const target = archivePath(archiveDir, storagePath);
  const existing = await stat(target).catch(() => null);
  if (existing?.size === content.length) return { sha256, storagePath };
  await mkdir(dirname(target), { recursive: true });
  // Write then rename: a crash mid-write never leaves a truncated file under the content's name.
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  return { sha256, storagePath };
}

class DownloadError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly tooBig = false,
  ) {
    super(message);
  }
}

/** Fetches a file through getFile; classifies failures as permanent (Telegram will never serve it) or not. */
export async function downloadTelegramFile(telegram: Telegram, fileId: string): Promise<Buffer> {
  let link: URL;
  try {
    link = await telegram.getFileLink(fileId);
  } catch (error) {
    if (error instanceof TelegramError && error.code === 400) {
      const tooBig = /too big/i.test(error.description);
      throw new DownloadError(`getFile: ${error.description}`, true, tooBig);
    }
    throw new DownloadError(`getFile: ${(error as Error).message}`, false);
  }
  let response: Response;
  try {
    response = await fetch(link, { signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new DownloadError(`download: ${(error as Error).message}`, false);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new DownloadError(`download: HTTP ${response.status}`, false);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_EVIDENCE_BYTES) {
    await response.body?.cancel().catch(() => {});
    throw new DownloadError(`download: ${declared} bytes`, true, true);
  }
  return Buffer.from(await response.arrayBuffer());
}

// ---------------------------------------------------------------------------------------------------------
// Receiving a file for a case

export type EvidenceRow = typeof evidenceFiles.$inferSelect;

export interface IncomingFile extends DeclaredFile {
  fileId: string;
  fileUniqueId?: string | null;
}

/** The file a chat message carries (a document, or the largest size of a photo), if any. */
export function incomingFileOf(msg: Message): IncomingFile | null {
  if ('document' in msg) {
    const d = msg.document;
    return { fileId: d.file_id, fileUniqueId: d.file_unique_id, fileName: d.file_name, mimeType: d.mime_type, sizeBytes: d.file_size };
  }
  if ('photo' in msg) {
    // Telegram sends several sizes of a photo, largest last.
    const p = msg.photo[msg.photo.length - 1]!;
    return { fileId: p.file_id, fileUniqueId: p.file_unique_id, mimeType: 'image/jpeg', sizeBytes: p.file_size };
  }
  return null;
}

export interface ReceiveEvidenceInput {
  caseId: string;
  ownerId: string;
  /** An RHK id, 'skp_draft_pdf', ... */
  purpose: string;
  file: IncomingFile;
  allowed: readonly EvidenceKind[];
}

export type ReceiveEvidenceResult =
  | { ok: true; evidence: EvidenceRow; archived: boolean }
  | { ok: false; refusal: FileRefusal };

/**
 * Checks, downloads and archives one file, then records it; `attach` runs in the same transaction as the
 * insert (e.g. adding the file to a draft), so a file is either recorded and attached, or neither.
 *
 * When the download fails for a transient reason the bytes cannot be checked: the file is accepted on its
 * declared type, recorded with archive_error, and checked when archivePendingFiles fetches it.
 */
export async function receiveEvidenceFile(
  deps: ArchiveDeps,
  input: ReceiveEvidenceInput,
  attach?: (tx: Tx, evidence: EvidenceRow) => Promise<void>,
): Promise<ReceiveEvidenceResult> {
  const { file, allowed } = input;
  const declared = checkDeclaredFile(file, allowed);
  if (!declared.ok) return declared;

  let content: Buffer | null = null;
  let archiveError: string | null = null;
  try {
    content = await downloadTelegramFile(deps.telegram, file.fileId);
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    if (error.tooBig) return { ok: false, refusal: { reason: 'too_big', sizeBytes: file.sizeBytes ?? MAX_EVIDENCE_BYTES + 1 } };
    // Telegram does not know the file: nothing to check or archive, so the user must send it again.
    if (error.permanent) return { ok: false, refusal: { reason: 'unavailable' } };
    deps.logger?.warn({ err: error, fileId: file.fileId }, 'evidence download failed; archived later');
    archiveError = error.message;
  }

  let values: typeof evidenceFiles.$inferInsert;
  const base = {
    caseId: input.caseId,
    ownerId: input.ownerId,
    purpose: input.purpose,
    telegramFileId: file.fileId,
    telegramFileUniqueId: file.fileUniqueId ?? null,
    fileName: file.fileName ?? null,
    createdAt: deps.now(),
  };
  if (content) {
    const checked = checkFileContent(content, file, allowed);
    if (!checked.ok) return checked;
    const stored = await storeInArchive(deps.config.deployment.storage.archiveDir, content, checked.kind);
    values = {
      ...base,
      mimeType: KIND_MIME[checked.kind],
      sizeBytes: content.length,
      sha256: stored.sha256,
      storagePath: stored.storagePath,
      archivedAt: deps.now(),
    };
  } else {
    // Photos are always JPEG; otherwise trust the declared type until the bytes arrive.
    const kind = declared.claimed ?? 'jpeg';
    if (!allowed.includes(kind)) return { ok: false, refusal: { reason: 'type_not_allowed', what: KIND_LABEL[kind], allowed } };
    values = { ...base, mimeType: KIND_MIME[kind], sizeBytes: file.sizeBytes ?? 0, archiveError };
  }

  const evidence = await deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(evidenceFiles).values(values).returning();
    if (attach) await attach(tx, row!);
    return row!;
  });
  return { ok: true, evidence, archived: content !== null };
}

// ---------------------------------------------------------------------------------------------------------
// Reconcile: archive what could not be fetched at receipt

export interface ArchiveRunResult {
  archived: number;
  failed: number;
  /** Files that can never be archived (Telegram forgot them, or their bytes are not what they claimed). */
  permanent: number;
}

/**
 * Downloads every recorded file that is not in the archive yet (oldest first, `limit` per run). Safe to run
 * concurrently with itself: a row is only marked archived while still unarchived.
 */
export async function archivePendingFiles(deps: ArchiveDeps, options: { limit?: number } = {}): Promise<ArchiveRunResult> {
  const pending = await deps.db
    .select()
    .from(evidenceFiles)
    .where(
      and(
        isNull(evidenceFiles.archivedAt),
        or(isNull(evidenceFiles.archiveError), sql`${evidenceFiles.archiveError} not like ${`${PERMANENT_ERROR_PREFIX}%`}`),
      ),
    )
    .orderBy(asc(evidenceFiles.createdAt))
    .limit(options.limit ?? 100);
  const result: ArchiveRunResult = { archived: 0, failed: 0, permanent: 0 };
  for (const row of pending) {
    const fail = async (message: string, permanent: boolean) => {
      await deps.db
        .update(evidenceFiles)
        .set({ archiveError: `${permanent ? PERMANENT_ERROR_PREFIX : ''}${message}`.slice(0, 500) })
        .where(and(eq(evidenceFiles.id, row.id), isNull(evidenceFiles.archivedAt)));
      if (permanent) result.permanent++;
      else result.failed++;
    };
    let content: Buffer;
    try {
      content = await downloadTelegramFile(deps.telegram, row.telegramFileId);
    } catch (error) {
      if (!(error instanceof DownloadError)) throw error;
      deps.logger?.warn({ err: error, evidenceId: row.id }, 'archiving evidence failed');
      await fail(error.message, error.permanent);
      continue;
    }
    // Accepted unseen at receipt: the bytes must still be what the file claimed to be.
    const checked = checkFileContent(content, { fileName: row.fileName }, EVIDENCE_KINDS);
    if (!checked.ok || KIND_MIME[checked.kind] !== row.mimeType) {
      const detected = detectFileType(content);
      await fail(`content is ${detected ? KIND_LABEL[detected] : 'unknown'}, recorded as ${row.mimeType}`, true);
      continue;
    }
    const stored = await storeInArchive(deps.config.deployment.storage.archiveDir, content, checked.kind);
    await deps.db
      .update(evidenceFiles)
      .set({ sha256: stored.sha256, storagePath: stored.storagePath, sizeBytes: content.length, archivedAt: deps.now(), archiveError: null })
      .where(and(eq(evidenceFiles.id, row.id), isNull(evidenceFiles.archivedAt)));
    result.archived++;
  }
  return result;
}
