// One process at a time on the embedded database: a lock file beside the PGlite directory holds the owner's pid.
//
// PGlite is Postgres in single-user mode and takes no lock of its own: a second process opening the same directory
// (an import or a migration while the bot runs) writes into it unseen by the first and its work is lost, or the
// directory is left unreadable. The lock is taken before PGlite opens anything; a lock whose process is gone (a
// crash, a SIGKILL) is taken over.
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

export class EmbeddedDatabaseBusy extends Error {
  constructor(
    readonly directory: string,
    readonly holderPid: number,
    readonly holderCommand: string | null,
  ) {
    super(
      `The embedded database in ${directory} is in use by another process (pid ${holderPid}${holderCommand ? `, ${holderCommand}` : ''}). ` +
        'It serves one process at a time: stop the bot first, or set DATABASE_URL to use PostgreSQL, where both can run together.',
    );
    this.name = 'EmbeddedDatabaseBusy';
  }
}

interface LockContent {
  pid: number;
  command?: string;
  since?: string;
}

/** Locks this process holds, so a second open in the same process is refused too. */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockContent | null {
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    return typeof content.pid === 'number' && Number.isInteger(content.pid) && content.pid > 0 ? (content as LockContent) : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock at `path` for the directory `directory`, or throws EmbeddedDatabaseBusy naming the holder.
 * Returns the release function (also run at process exit).
 */
export function lockEmbeddedDatabase(path: string, directory: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written aside, then linked into place: the lock appears whole or not at all (link fails if it exists).
    const draft = `${path}.${process.pid}.tmp`;
    const content: LockContent = { pid: process.pid, command: process.argv.slice(1).join(' ').slice(0, 200), since: new Date().toISOString() };
    writeFileSync(draft, JSON.stringify(content));
    let linked = false;
    try {
      linkSync(draft, path);
      linked = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
    if (linked) {
      held.add(path);
      const release = () => {
        if (!held.delete(path)) return;
        process.off('exit', release);
        if (readLock(path)?.pid === process.pid) {
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to release.
          }
        }
      };
      process.on('exit', release);
      return release;
    }
    const holder = readLock(path);
    // The same pid is only a live holder if this very process holds the lock (after a restart in a container the
    // new process may get the pid of the one that crashed).
    const liveHolder = holder && (holder.pid === process.pid ? held.has(path) : isAlive(holder.pid));
    if (holder && liveHolder) throw new EmbeddedDatabaseBusy(directory, holder.pid, holder.command ?? null);
    // A stale lock (its process is gone) or an unreadable one: remove it and try again.
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
