// Helpers for Mini App tests: an app serving /app/, signed initData for a Telegram user, and API calls.
import { eq } from 'drizzle-orm';
import type { ExportUploadOptions } from '../../src/app/export-upload.js';
import { employees } from '../../src/db/schema/index.js';
import { freePort } from '../../src/redis.js';
import { signInitData } from '../../src/webapp/init-data.js';
import { importExampleRoster, startTestApp, type TestApp } from './app.js';

export const people = {
  anisa: { nip: '199207142017032002', tg: 8101 },
  yuliana: { nip: '198601152010012007', tg: 8102 },
  lilis: { nip: '197612012002122003', tg: 8103 },
  siti: { nip: '198303272008012005', tg: 8104 },
  melati: { nip: '199011052019022001', tg: 8106 },
  rini: { nip: '199508232023212003', tg: 8107 },
} as const;
export type Person = keyof typeof people;

export interface WebAppTest {
  t: TestApp;
  port: number;
  base: string;
  ids: Record<Person, string>;
  initData(tg: number, authDate?: Date): string;
  call(who: Person | number | null, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>;
}

export async function startWebAppTest(options: { exportUpload?: ExportUploadOptions; now?: () => Date } = {}): Promise<WebAppTest> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/app/`;
  const t = await startTestApp({ env: { WEB_APP_URL: base, PORT: String(port) }, ...options });
  // initData is signed at the app's "now", which it checks the signature's age against.
  const clock = options.now ?? (() => new Date());
  await importExampleRoster(t.db);
  const ids = {} as Record<Person, string>;
  for (const [key, p] of Object.entries(people)) {
    t.fake.addUser({ id: p.tg, first_name: key });
    t.fake.markStarted(p.tg);
    const [row] = await t.db.db
      .update(employees)
      .set({ telegramUserId: p.tg, telegramChatId: p.tg })
      .where(eq(employees.nip, p.nip))
      .returning({ id: employees.id });
    ids[key as Person] = row!.id;
  }
  const token = t.config.env.TELEGRAM_BOT_TOKEN;
  const initData = (tg: number, authDate = clock()) =>
    signInitData(
      {
        query_id: `AA${tg}`,
        user: JSON.stringify({ id: tg, first_name: 'Uji', language_code: 'id' }),
        auth_date: String(Math.floor(authDate.getTime() / 1000)),
      },
      token,
    );
  const call: WebAppTest['call'] = async (who, method, path, body) => {
    const tg = who === null ? null : typeof who === 'number' ? who : people[who].tg;
    const response = await fetch(`${base}api${path}`, {
      method,
      headers: {
        ...(tg !== null ? { authorization: `tma ${initData(tg)}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: response.status, json, headers: response.headers };
  };
  return { t, port, base, ids, initData, call };
}
