// Operations page on the HTTP port: Bull Board at /admin/queues listing every queue, behind HTTP basic auth.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { createBullBoard } from '@bull-board/api';
import type { Queue } from 'bullmq';
import type express from 'express';
import { secretMatches, type Handler } from './http.js';
import type { Logger } from './logger.js';

export const ADMIN_QUEUES_PATH = '/admin/queues';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export interface OpsHandlerOptions {
  user?: string;
  password?: string;
  /** Read on first use: the job modules start after the HTTP handlers are built. */
  queues: () => Queue[];
  logger: Logger;
}

/** Both parts compared in constant time, so a wrong user and a wrong password take as long. */
export function basicAuthMatches(header: string | undefined, user: string, password: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = secretMatches(decoded.slice(0, colon), user);
  const passwordOk = secretMatches(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

function isOpsPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0]!;
  return path === ADMIN_QUEUES_PATH || path.startsWith(`${ADMIN_QUEUES_PATH}/`);
}

export function createOpsHandler(options: OpsHandlerOptions): Handler {
  const { user, password, logger } = options;
  if (!user || !password) {
    logger.info(`Bull Board disabled: set ADMIN_HTTP_USER and ADMIN_HTTP_PASSWORD to open ${ADMIN_QUEUES_PATH}`);
    return () => false;
  }
  let app: Promise<express.Express> | undefined;
  // Bull Board and express load at the first request to the page, not at boot.
  const build = async (): Promise<express.Express> => {
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }, { default: express }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
      import('express'),
    ]);
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
    // @bull-board/express pins its own patch release of @bull-board/api: the same interface, declared twice.
    createBullBoard({ queues: options.queues().map((q) => new BullMQAdapter(q)), serverAdapter: serverAdapter as unknown as BoardServerAdapter });
    const built = express();
    built.disable('x-powered-by');
    built.use(ADMIN_QUEUES_PATH, serverAdapter.getRouter());
    return built;
  };
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (!isOpsPath(req.url)) return false;
    if (!basicAuthMatches(req.headers.authorization, user, password)) {
      res.statusCode = 401;
      res.setHeader('WWW-Authenticate', 'Basic realm="kinerja-bot operations", charset="UTF-8"');
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('authentication required');
      return true;
    }
    app ??= build();
    const handler = await app;
    await new Promise<void>((resolve) => {
      res.once('finish', () => resolve());
      res.once('close', () => resolve());
      handler(req as express.Request, res as express.Response, (error?: unknown) => {
        if (error) logger.warn({ err: error }, 'operations page failed');
        if (!res.headersSent) {
          res.statusCode = error ? 500 : 404;
          res.end(error ? 'error' : 'not found');
        }
        resolve();
      });
    });
    return true;
  };
}
