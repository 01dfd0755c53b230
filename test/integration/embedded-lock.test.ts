// The embedded database's lock file: one holder at a time, a live holder refuses, a dead one is taken over.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabaseBusy, lockEmbeddedDatabase } from '../../src/db/embedded-lock.js';

const lockPath = () => join(mkdtempSync(join(tmpdir(), 'kinerja-lock-')), 'pglite.lock');

/** A process that runs until killed, and its pid. */
function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return { pid: child.pid!, stop: () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.kill('SIGKILL'))) };
}

describe('the embedded database lock', () => {
  it('holds the owner pid, refuses a second open in the same process, and is gone once released', () => {
    const path = lockPath();
    const release = lockEmbeddedDatabase(path, 'data/pglite');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(() => lockEmbeddedDatabase(path, 'data/pglite')).toThrow(EmbeddedDatabaseBusy);
    release();
    expect(existsSync(path)).toBe(false);
    lockEmbeddedDatabase(path, 'data/pglite')();
  });

  it('refuses while another live process holds it, naming that process', async () => {
    const path = lockPath();
    const other = otherProcess();
    try {
      writeFileSync(path, JSON.stringify({ pid: other.pid, command: 'src/main.ts' }));
      let refused: unknown;
      try {
        lockEmbeddedDatabase(path, 'data/pglite');
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(EmbeddedDatabaseBusy);
      expect((refused as Error).message).toMatch(new RegExp(`pid ${other.pid}, src/main.ts.*stop the bot first, or set DATABASE_URL`));
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: other.pid });
    } finally {
      await other.stop();
    }
  });

  it('takes over a lock whose process is gone (a crash), or that cannot be read', async () => {
    const path = lockPath();
    const gone = otherProcess();
    await gone.stop();
    writeFileSync(path, JSON.stringify({ pid: gone.pid }));
    const release = lockEmbeddedDatabase(path, 'data/pglite');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    release();
    writeFileSync(path, 'not json');
    lockEmbeddedDatabase(path, 'data/pglite')();
    expect(existsSync(path)).toBe(false);
  });
});
