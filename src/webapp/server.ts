// Serves the Mini App under /app/: its built page and assets (dist/webapp, built from client/) with strict security headers, and its
// JSON API under /app/api/, where every request is signed by Telegram (Authorization: tma <initData>).
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findEmployeeByTelegramId, type EmployeeProfile } from '../app/repositories/employees.js';
import { webAppTexts } from '../chat/texts/webapp.js';
import type { Handler } from '../http.js';
import { validateInitData } from './init-data.js';
import { findProjectFolder } from '../find-up.js';
import { createApiRoutes, type WebAppDeps } from './api.js';
import { ApiError, sendJson } from './json.js';

export const WEB_APP_PREFIX = '/app/';
/** dist/webapp, found upwards from this module (src/webapp/ under tsx, dist/ under npm start). */
export const DEFAULT_DIST_DIR = (() => {
  try {
    return findProjectFolder(import.meta.url, 'dist/webapp', 'index.html') + sep;
  } catch {
    // Not built yet: the page answers 404 until `npm run webapp:build`.
    return fileURLToPath(new URL('../../dist/webapp/', import.meta.url));
  }
})();

/**
 * No inline script or style, nothing from another origin: agencies' networks may allow Telegram and nothing else.
 * Telegram Web shows a Mini App in a frame of web.telegram.org, so only Telegram may frame it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  'frame-ancestors https://web.telegram.org https://webk.telegram.org https://webz.telegram.org',
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

export function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=()');
}

export interface WebAppServerOptions {
  deps: WebAppDeps;
  botToken: string;
  maxAgeSeconds: number;
  distDir?: string;
}

/** The employee signed in by the request's initData; an ApiError(401) otherwise. */
async function signedInEmployee(req: IncomingMessage, options: WebAppServerOptions): Promise<EmployeeProfile> {
  const header = req.headers.authorization;
  const raw = typeof header === 'string' && header.startsWith('tma ') ? header.slice(4) : null;
  if (!raw) throw new ApiError(401, webAppTexts.notSignedIn);
  const result = validateInitData(raw, { botToken: options.botToken, maxAgeSeconds: options.maxAgeSeconds, now: options.deps.now() });
  if (!result.ok) {
    options.deps.logger.warn({ reason: result.reason }, 'mini app: initData refused');
    throw new ApiError(401, webAppTexts.notSignedIn);
  }
  const employee = await findEmployeeByTelegramId(options.deps.db, result.user.id);
  if (!employee) throw new ApiError(401, webAppTexts.notLinked);
  if (!employee.active) throw new ApiError(401, webAppTexts.notSignedIn, { inactive: true });
  return employee;
}

export function createWebAppHandler(options: WebAppServerOptions): Handler {
  const distDir = options.distDir ?? DEFAULT_DIST_DIR;
  const routes = createApiRoutes(options.deps);
  const logger = options.deps.logger.child({ component: 'webapp' });

  const serveStatic = async (path: string, res: ServerResponse): Promise<void> => {
    // /app/ and any client-side path get the page; /app/assets/… the built files.
    const relative = path === WEB_APP_PREFIX || !path.startsWith(`${WEB_APP_PREFIX}assets/`) ? 'index.html' : path.slice(WEB_APP_PREFIX.length);
    const file = normalize(join(distDir, relative));
    if (!file.startsWith(normalize(distDir + sep))) {
      res.statusCode = 404;
      return void res.end();
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      return void res.end(relative === 'index.html' ? 'Mini App belum dibangun (npm run webapp:build).' : 'Berkas tidak ditemukan.');
    }
    res.statusCode = 200;
    res.setHeader('content-type', MIME[extname(file)] ?? 'application/octet-stream');
    // Asset names carry a content hash: cache them for good; the page itself is always revalidated.
    res.setHeader('cache-control', relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable');
    res.end(body);
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/app') {
      res.statusCode = 301;
      res.setHeader('location', WEB_APP_PREFIX);
      res.end();
      return true;
    }
    if (!url.pathname.startsWith(WEB_APP_PREFIX)) return false;
    setSecurityHeaders(res);
    if (!url.pathname.startsWith(`${WEB_APP_PREFIX}api/`)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.statusCode = 405;
        res.end();
        return true;
      }
      await serveStatic(url.pathname, res);
      return true;
    }

    const path = url.pathname.slice(`${WEB_APP_PREFIX}api`.length);
    try {
      const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
      if (!route) throw new ApiError(404, webAppTexts.notFound);
      const me = await signedInEmployee(req, options);
      const params = route.pattern.exec(path)!.slice(1);
      const log = logger.child({ who: me.id, route: `${route.method} ${route.pattern.source}` });
      const body = await route.handle({ req, res, me, params, query: url.searchParams, log });
      if (!res.writableEnded) sendJson(res, 200, body);
    } catch (error) {
      if (error instanceof ApiError) {
        sendJson(res, error.status, { error: error.userMessage, ...error.extra });
      } else {
        logger.error({ err: error, path }, 'mini app API failed');
        sendJson(res, 500, { error: webAppTexts.unexpected });
      }
    }
    return true;
  };
}
