// The HTTP side: the server on 127.0.0.1, routing `/bot<token>/<method>` to a method handler (getUpdates to
// the update queue), file downloads under `/file/bot<token>/`, and simulated outages.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from './core.js';
import { ApiError, badRequest, normalizeJsonFields, parseParams, readBody, sanitizeParams, sendJson, type Params } from './http.js';
import { BODY_LIMIT, DOWNLOAD_LIMIT } from './limits.js';
import type { ApiCall } from './types.js';

/** Starts an HTTP server on 127.0.0.1 (ephemeral port unless `port` is given). */
export async function listen(port: number | undefined): Promise<{ server: Server; port: number }> {
  const server = createServer();
  // Keep idle keep-alive sockets open longer than clients do, so a client never reuses a socket the server is closing.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

export class Router {
  private outage?: { until: number; kind: 'bad_gateway' | 'connection' };

  constructor(private readonly core: Core) {}

  simulateOutage(ms: number, kind: 'bad_gateway' | 'connection'): void {
    this.outage = { until: Date.now() + ms, kind };
  }

  endOutage(): void {
    this.outage = undefined;
  }

  async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { core } = this;
    const counters = core.limits.counters;
    counters.requests++;
    const at = Date.now();
    if (this.outage && at < this.outage.until) {
      counters.outageFailures++;
      if (this.outage.kind === 'connection') {
        req.socket.destroy();
        return;
      }
      req.resume();
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q >= 0 ? url.slice(0, q) : url;
    const search = q >= 0 ? url.slice(q) : '';
    if (pathname.startsWith('/file/')) {
      req.resume();
      this.serveFile(res, pathname);
      return;
    }
    const { body, tooLarge } = await readBody(req, BODY_LIMIT);
    const m = /^\/bot([^/]*)\/(?:test\/)?([^/]*)$/.exec(pathname);
    if (!m) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (m[1] !== core.token) {
      sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const log = core.log;
    const method = decodeURIComponent(m[2]!);
    const key = method.toLowerCase();
    const call: ApiCall = { method, params: {}, status: 0, ok: false, at };
    if (tooLarge) {
      log.finish(res, call, new ApiError(413, 'Request Entity Too Large'));
      return;
    }
    let params: Params;
    try {
      params = parseParams(search, req.headers['content-type'], body);
    } catch (err) {
      log.finish(res, call, err instanceof ApiError ? err : badRequest(String(err)));
      return;
    }
    normalizeJsonFields(params);
    if (typeof params.method === 'string' && params.method.toLowerCase() === key) delete params.method; // telegraf's multipart adds it
    call.params = sanitizeParams(params);
    const failure = log.takeFailure(key);
    if (failure) {
      log.finish(res, call, failure);
      return;
    }
    if (key === 'getupdates') {
      core.updates.getUpdates(params, res, call);
      return;
    }
    const handler = core.handlers[key];
    if (!handler) {
      log.finish(res, call, new ApiError(404, 'Not Found'));
      return;
    }
    let result: unknown;
    try {
      result = handler(params);
    } catch (err) {
      log.finish(res, call, err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${String(err)}`));
      return;
    }
    log.finish(res, call, undefined, result);
  }

  private serveFile(res: ServerResponse, pathname: string): void {
    const m = /^\/file\/bot([^/]+)\/(?:test\/)?(.+)$/.exec(pathname);
    if (!m) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (m[1] !== this.core.token) {
      sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const file = this.core.files.byPath.get(decodeURIComponent(m[2]!));
    if (!file || file.size > DOWNLOAD_LIMIT) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    res.writeHead(200, {
      'content-type': file.mime_type ?? 'application/octet-stream',
      'content-length': file.content ? file.content.length : file.size,
    });
    if (file.content) {
      res.end(file.content);
      return;
    }
    // no bytes stored: stream zeros
    const chunk = Buffer.alloc(64 * 1024);
    let left = file.size;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }
}
