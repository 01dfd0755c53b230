// E2E as a new user would: `npm start` with only a token (embedded database), the roster CLI, a contact link, SIGTERM.
// The embedded database serves one process at a time: an import or a migration while the bot runs stops before
// writing, says why and exits non-zero; the bot keeps its data; once the bot stops, the import runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../support/fake-telegram.js';

const TSX = ['--import', 'tsx'];

function run(script: string, args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [...TSX, script, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

let fake: FakeTelegram;
beforeAll(async () => {
  fake = await FakeTelegram.start();
});
afterAll(async () => {
  await fake.stop();
});

describe('a fresh start', () => {
  it('refuses to boot on bad configuration, listing every bad variable', async () => {
    const p = run('src/main.ts', [], { BOT_MODE: 'webhooks', LOG_LEVEL: 'loud' });
    expect(await p.exit).toBe(1);
    expect(p.output()).toMatch(/TELEGRAM_BOT_TOKEN: required/);
    expect(p.output()).toMatch(/BOT_MODE: expected "polling" or "webhook"/);
    expect(p.output()).toMatch(/LOG_LEVEL/);
  });

  it('imports the roster into the embedded database, boots with only a token, links by contact, refuses a second process, stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kinerja-boot-'));
    const cli = run('src/cli/roster-import.ts', ['examples/roster.csv'], { DATA_DIR: dataDir });
    expect(await cli.exit).toBe(0);
    expect(cli.output()).toMatch(/pegawai baru: 4\d/);
    // A later roster renames Rudi.
    const renamed = join(dataDir, 'roster-baru.csv');
    writeFileSync(renamed, readFileSync('examples/roster.csv', 'utf8').replace('Rudi Hartono', 'Rudi Hartono Baru'));

    const app = run('src/main.ts', [], { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    try {
      await fake.waitForPolling(60_000);
      expect(app.output()).toMatch(/embedded PGlite/);
      const user = fake.addUser({ id: 9101, first_name: 'Rudi' });
      fake.sendText(user.id, '/start');
      expect((await fake.waitForMessage(user.id, undefined, 20_000)).text).toMatch(/Bagikan nomor saya/);
      fake.sendContact(user.id, { phone_number: '6281234560111', first_name: 'Rudi', user_id: user.id });
      const greeting = await fake.waitForMessage(user.id, undefined, 20_000);
      expect(greeting.text).toMatch(/Rudi Hartono/);

      // While the bot runs: the import and a migration stop before writing, and say what to do.
      const refused = run('src/cli/roster-import.ts', [renamed], { DATA_DIR: dataDir });
      expect(await refused.exit).toBe(1);
      expect(refused.output()).toMatch(/Impor dibatalkan, tidak ada data yang diubah: basis data bawaan .* sedang dipakai proses lain/);
      expect(refused.output()).toMatch(/Hentikan bot terlebih dahulu[\s\S]*DATABASE_URL/);
      const migration = run('src/cli/migrate.ts', [], { DATA_DIR: dataDir });
      expect(await migration.exit).toBe(1);
      expect(migration.output()).toMatch(/in use by another process \(pid \d+[\s\S]*stop the bot first, or set DATABASE_URL/);
      // The bot still serves, with its data as it was.
      fake.sendText(user.id, '/profil');
      const profile = await fake.waitForMessage(user.id, (m) => /NIP/.test(m.text ?? ''), 20_000);
      expect(profile.text).toMatch(/Rudi Hartono/);
      expect(profile.text).not.toMatch(/Rudi Hartono Baru/);
    } finally {
      app.child.kill('SIGTERM');
    }
    expect(await app.exit).toBe(0);
    expect(app.output()).toMatch(/stopped/);
    expect(app.output()).not.toMatch(/Aborted|RuntimeError/);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);

    // The refused import changed nothing: with the bot stopped it finds the rename still to do, and applies it.
    const applied = run('src/cli/roster-import.ts', [renamed], { DATA_DIR: dataDir });
    expect(await applied.exit).toBe(0);
    expect(applied.output()).toMatch(/diperbarui: 1/);
  }, 150_000);
});
