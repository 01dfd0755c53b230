// The document archive: content-addressed PDFs, written atomically, read back only when the hash matches.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AppConfig } from '../../config.js';

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Documents are kept in the archive, content-addressed, so a reprint of the same version is the same file. */
export function storagePathFor(config: AppConfig, hash: string): string {
  return join(config.deployment.storage.archiveDir, 'documents', `${hash}.pdf`);
}

/** Writes an archived PDF atomically (a temporary file renamed into place). */
export async function storePdf(path: string, pdf: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, pdf);
  await rename(temporary, path);
}

/** An archived PDF, or null when it is missing or no longer matches its recorded hash. */
export async function readStored(path: string, expectedSha: string): Promise<Buffer | null> {
  try {
    const pdf = await readFile(path);
    return sha256(pdf) === expectedSha ? pdf : null;
  } catch {
    return null;
  }
}
