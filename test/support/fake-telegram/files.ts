// Files the fake knows: the store (by id and by download path) and its helpers: identifiers, MIME guessing,
// image dimensions, the PhotoSize/Document objects messages carry.
import { randomBytes } from 'node:crypto';
import { badRequest } from './http.js';
import type { BotMessageDocument, BotMessagePhotoSize, TgMessage, TgPhotoSize } from './types.js';

export type FileKind = 'document' | 'photo' | 'sticker';

export interface FileRecord {
  file_id: string;
  file_unique_id: string;
  kind: FileKind;
  size: number;
  /** Bytes; absent for files registered without content (downloads then stream zeros). */
  content?: Buffer;
  /** Relative path served under /file/bot<token>/. */
  path: string;
  file_name?: string;
  mime_type?: string;
  width?: number;
  height?: number;
  /** For photos: all sizes of the same picture, smallest first. */
  sizes?: FileRecord[];
}

const ID_PREFIX: Record<FileKind, string> = {
  document: 'BQACAgIAAxkBAAI',
  photo: 'AgACAgIAAxkBAAI',
  sticker: 'CAACAgIAAxkBAAI',
};

const DIR: Record<FileKind, string> = { document: 'documents', photo: 'photos', sticker: 'stickers' };
const EXT: Record<FileKind, string> = { document: 'dat', photo: 'jpg', sticker: 'webp' };

const salt = randomBytes(4).toString('hex');

export function makeFileIds(kind: FileKind, n: number): { file_id: string; file_unique_id: string; path: string } {
  const tag = Buffer.from(`${salt}:${n}`).toString('base64url');
  return {
    file_id: `${ID_PREFIX[kind]}${tag}${'A'.repeat(Math.max(0, 40 - tag.length))}`,
    file_unique_id: `AgAD${tag}`,
    path: `${DIR[kind]}/file_${n}.${EXT[kind]}`,
  };
}

/** Keeps the real extension in the download path when there is one. */
export function pathWithExtension(path: string, fileName: string | undefined): string {
  const ext = fileName && /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
  return ext ? path.replace(/\.[a-z]+$/, `.${ext.toLowerCase()}`) : path;
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html',
  zip: 'application/zip',
  gz: 'application/gzip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
};

/** Telegram derives a document's MIME type from the file name; multipart part headers win when specific. */
export function guessMime(fileName: string, partContentType?: string): string {
  if (partContentType && partContentType !== 'application/octet-stream') return partContentType.split(';')[0]!.trim();
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return (ext && MIME[ext]) || 'application/octet-stream';
}

/** Width and height of a PNG, GIF or JPEG; a plausible default otherwise. */
export function imageSize(buf: Buffer): { width: number; height: number } {
  try {
    if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47) {
      return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
    }
    if (buf.length >= 10 && buf.toString('latin1', 0, 3) === 'GIF') {
      return { width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
    }
    if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
      let i = 2;
      while (i + 9 < buf.length) {
        if (buf[i] !== 0xff) {
          i++;
          continue;
        }
        const marker = buf[i + 1]!;
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return { width: buf.readUInt16BE(i + 7), height: buf.readUInt16BE(i + 5) };
        }
        i += 2 + buf.readUInt16BE(i + 2);
      }
    }
  } catch {
    // fall through
  }
  return { width: 800, height: 600 };
}

/** Dimensions of Telegram's generated thumbnail sizes ("s" 90 px, "m" 320 px, then the original, capped at 2560). */
export function photoSizeDims(width: number, height: number): Array<{ width: number; height: number }> {
  const scale = (max: number) => {
    const f = Math.min(1, max / Math.max(width, height, 1));
    return { width: Math.max(1, Math.round(width * f)), height: Math.max(1, Math.round(height * f)) };
  };
  const out = [scale(90)];
  if (Math.max(width, height) > 320) out.push(scale(320));
  const full = scale(2560);
  const last = out[out.length - 1]!;
  if (full.width !== last.width || full.height !== last.height || out.length < 2) out.push(full);
  return out;
}

export class FileStore {
  readonly byId = new Map<string, FileRecord>();
  readonly byPath = new Map<string, FileRecord>();
  private nextSeq = 1;

  create(kind: FileKind, size: number, content: Buffer | undefined, fileName?: string, mimeType?: string): FileRecord {
    const ids = makeFileIds(kind, this.nextSeq++);
    const file: FileRecord = { file_id: ids.file_id, file_unique_id: ids.file_unique_id, kind, size, path: pathWithExtension(ids.path, fileName) };
    if (content) file.content = content;
    if (fileName !== undefined) file.file_name = fileName;
    if (mimeType !== undefined) file.mime_type = mimeType;
    this.byId.set(file.file_id, file);
    this.byPath.set(file.path, file);
    return file;
  }

  /** A photo: one record per size (same bytes), the largest returned with all sizes attached. */
  createPhoto(content: Buffer): FileRecord {
    const { width, height } = imageSize(content);
    const sizes = photoSizeDims(width, height).map((d) => {
      const f = this.create('photo', content.length, content, undefined, 'image/jpeg');
      f.width = d.width;
      f.height = d.height;
      return f;
    });
    for (const s of sizes) s.sizes = sizes;
    return sizes[sizes.length - 1]!;
  }

  photoOwner(file: FileRecord): FileRecord {
    const sizes = file.sizes;
    return sizes ? sizes[sizes.length - 1]! : file;
  }

  photoSizesOf(file: FileRecord): TgPhotoSize[] {
    return (file.sizes ?? [file]).map((s) => photoSize(s));
  }

  documentOf(file: FileRecord): NonNullable<TgMessage['document']> {
    const d: NonNullable<TgMessage['document']> = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size };
    if (file.file_name !== undefined) d.file_name = file.file_name;
    if (file.mime_type !== undefined) d.mime_type = file.mime_type;
    return d;
  }

  /** A file_id the fake issued, or an HTTP URL (registered as a file without content). */
  byIdOrUrl(v: string, kind: FileKind): FileRecord {
    const known = this.byId.get(v);
    if (known) return known;
    if (/^https?:\/\//i.test(v)) {
      const name = decodeURIComponent(v.split(/[?#]/)[0]!.split('/').pop() || 'file');
      return this.create(kind === 'photo' ? 'photo' : 'document', 0, undefined, name, guessMime(name));
    }
    throw badRequest('wrong file identifier/HTTP URL specified');
  }

  botDocument(file: FileRecord): BotMessageDocument {
    const d: BotMessageDocument = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size };
    if (file.file_name !== undefined) d.file_name = file.file_name;
    if (file.mime_type !== undefined) d.mime_type = file.mime_type;
    if (file.content) d.content = file.content;
    return d;
  }

  botPhoto(file: FileRecord): BotMessagePhotoSize[] {
    return (file.sizes ?? [file]).map((s) => {
      const out: BotMessagePhotoSize = { ...photoSize(s) };
      if (s.content) out.content = s.content;
      return out;
    });
  }
}

function photoSize(f: FileRecord): TgPhotoSize {
  return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.size, width: f.width ?? 0, height: f.height ?? 0 };
}
