// Calls the Mini App's API, signed by Telegram's initData.
import { launch } from './telegram.ts';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function api<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`./api${path}`, {
      method,
      headers: { authorization: `tma ${launch.initData}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch {
    throw new ApiFailure(0, 'Koneksi terputus. Periksa jaringan lalu coba lagi.', {});
  }
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new ApiFailure(response.status, typeof json.error === 'string' ? json.error : 'Maaf, terjadi kesalahan. Silakan coba lagi.', json);
  return json as T;
}

/** A file from the API (evidence) as an object URL the page can show. */
export async function apiFileUrl(path: string): Promise<{ url: string; type: string }> {
  const response = await fetch(`./api${path}`, { headers: { authorization: `tma ${launch.initData}` } }).catch(() => null);
  if (!response) throw new ApiFailure(0, 'Koneksi terputus. Periksa jaringan lalu coba lagi.', {});
  if (!response.ok) {
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    throw new ApiFailure(response.status, typeof json.error === 'string' ? json.error : 'Berkas tidak dapat dibuka.', json);
  }
  const blob = await response.blob();
  return { url: URL.createObjectURL(blob), type: blob.type };
}
