// The HTTP port: /healthz, and in webhook mode the Telegram webhook (401 without the right secret header).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

export function secretMatches(received: string | string[] | undefined, expected: string): boolean {
  if (typeof received !== 'string') return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const NOT_FOUND_TEXT = 'Halaman tidak ditemukan. kinerja-bot dipakai lewat Telegram: buka chat bot lalu ketik /start.';

export function createHttpServer(handlers: Handler[]): Server {
  return createServer((req, res) => {
    void (async () => {
      for (const handler of handlers) {
        if (await handler(req, res)) return;
      }
      // Whoever opens the address in a browser reads it: in Indonesian, and where the bot is to be found.
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end(NOT_FOUND_TEXT);
    })().catch(() => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
}

export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
