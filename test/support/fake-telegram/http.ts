// HTTP plumbing for the fake Bot API: body reading, request parameter parsing (query string, JSON,
// urlencoded, multipart/form-data) and the error type handlers throw.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Thrown by method handlers; turned into `{ok:false,error_code,description,parameters}`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(`${code}: ${description}`);
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

/** A file part of a multipart request. */
export interface UploadedFile {
  readonly kind: 'upload';
  filename: string;
  contentType?: string;
  data: Buffer;
}

export function isUpload(v: unknown): v is UploadedFile {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'upload';
}

export type Params = Record<string, unknown>;

export interface ReadBody {
  body: Buffer;
  /** More than `limit` bytes arrived; `body` is truncated and must not be parsed. */
  tooLarge: boolean;
}

/** Reads the whole request body, keeping at most `limit` bytes (the rest is drained and dropped). */
export function readBody(req: IncomingMessage, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), tooLarge });
    });
    req.on('error', reject);
  });
}

function headerParam(header: string, name: string): string | undefined {
  // name="value" or name=value, case-insensitive name, at start or after ';'
  const re = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i');
  const m = re.exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Minimal multipart/form-data parser (RFC 7578) over a complete body. Text parts become strings,
 * parts with a filename become UploadedFile (whose data is a view into `body`).
 */
export function parseMultipart(body: Buffer, boundary: string): Params {
  const out: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest('failed to parse multipart/form-data: boundary not found');
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    // skip transport padding up to CRLF
    const lineEnd = body.indexOf(CRLF, pos);
    if (lineEnd < 0) throw badRequest('failed to parse multipart/form-data: truncated part');
    pos = lineEnd + 2;
    const headerEnd = body.indexOf(HEADER_END, pos - 2);
    let headersText: string;
    let dataStart: number;
    if (headerEnd === pos - 2) {
      headersText = ''; // part without headers
      dataStart = pos + 2;
    } else {
      if (headerEnd < 0) throw badRequest('failed to parse multipart/form-data: part headers not terminated');
      headersText = body.toString('utf8', pos, headerEnd);
      dataStart = headerEnd + 4;
    }
    const end = body.indexOf(nextDelimiter, dataStart);
    if (end < 0) throw badRequest('failed to parse multipart/form-data: closing boundary not found');
    let disposition = '';
    let contentType: string | undefined;
    for (const line of headersText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-disposition') disposition = value;
      else if (name === 'content-type') contentType = value;
    }
    const name = headerParam(disposition, 'name');
    const filename = headerParam(disposition, 'filename');
    const data = body.subarray(dataStart, end);
    if (name !== undefined) {
      if (filename !== undefined) {
        const file: UploadedFile = { kind: 'upload', filename, data };
        if (contentType !== undefined) file.contentType = contentType;
        out[name] = file;
      } else {
        out[name] = data.toString('utf8');
      }
    }
    pos = end + 2; // now at "--boundary"
  }
  return out;
}

/** Parses the request parameters: query string merged with the body (body wins). */
export function parseParams(search: string, contentType: string | undefined, body: Buffer): Params {
  const params: Params = {};
  if (search.length > 1) {
    for (const [k, v] of new URLSearchParams(search)) params[k] = v;
  }
  if (body.length === 0) return params;
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest("can't parse JSON object");
    }
    Object.assign(params, parsed);
  } else if (ct.startsWith('multipart/form-data')) {
    const boundary = headerParam(contentType ?? '', 'boundary');
    if (!boundary) throw badRequest('failed to parse multipart/form-data: no boundary');
    Object.assign(params, parseMultipart(body, boundary));
  } else if (ct.startsWith('application/x-www-form-urlencoded') || ct === '') {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
  } else {
    throw badRequest(`unsupported Content-Type "${contentType ?? ''}"`);
  }
  return params;
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

// ---- parameter coercion (values arrive as strings from GET/urlencoded/multipart) ----

export function paramString(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function paramInt(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Math.trunc(Number(v));
  return undefined;
}

export function paramBool(p: Params, name: string): boolean {
  const v = p[name];
  return v === true || v === 'true' || v === '1' || v === 1 || v === 'True';
}

/** A JSON-typed parameter: objects pass through, strings are parsed. */
export function paramJson(p: Params, name: string, errorText: string): unknown {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      throw badRequest(errorText);
    }
  }
  return v;
}

const JSON_FIELDS = [
  'reply_markup',
  'entities',
  'caption_entities',
  'allowed_updates',
  'commands',
  'scope',
  'reply_parameters',
  'link_preview_options',
];

/** Parses JSON-typed fields that arrived as strings (GET, urlencoded, multipart), in place. */
export function normalizeJsonFields(p: Params): void {
  for (const k of JSON_FIELDS) {
    const v = p[k];
    if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
      try {
        p[k] = JSON.parse(v);
      } catch {
        // left as a string; validation reports it
      }
    }
  }
}

/** The parameters as recorded: uploaded files replaced by {filename, size}. */
export function sanitizeParams(p: Params): Params {
  let out: Params | undefined;
  for (const k in p) {
    const v = p[k];
    if (isUpload(v)) {
      out ??= { ...p };
      out[k] = { filename: v.filename, size: v.data.length };
    }
  }
  return out ?? p;
}
