// A transaction's BEGIN goes out with its first statement (the postgres.js patch in src/cli/patch-postgres.mjs): one
// round trip fewer per transaction, and still a transaction — its first statement is inside it, nothing of another
// caller runs on its connection, concurrent transactions queue for connections, and savepoints work.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createDatabase, rowsOf, type Database } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/** A TCP relay to PostgreSQL that counts the writes the client makes (each arrives as one chunk on loopback). */
async function relay(server: { host: string; port: number }): Promise<{ port: number; writes: () => number; reset(): void; close(): Promise<void> }> {
  let writes = 0;
  const sockets = new Set<Socket>();
  const relayServer: Server = createServer((client) => {
    const upstream = connect(server.port, server.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('data', (chunk) => {
      writes++;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => relayServer.listen(0, '127.0.0.1', resolve));
  const address = relayServer.address();
  if (!address || typeof address === 'string') throw new Error('relay has no port');
  return {
    port: address.port,
    writes: () => writes,
    reset: () => void (writes = 0),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relayServer.close(() => resolve()));
    },
  };
}

let t: TestDatabase;
let proxied: Database;
let pipe: Awaited<ReturnType<typeof relay>>;

beforeAll(async () => {
  t = await createTestDatabase({ maxConnections: 2 });
  await t.db.execute(sql`create table begin_probe (id int primary key, n int not null default 0)`);
  await t.db.execute(sql`insert into begin_probe (id) values (0)`);
  const url = new URL(t.url);
  pipe = await relay({ host: url.hostname, port: Number(url.port || 5432) });
  url.host = `127.0.0.1:${pipe.port}`;
  // One connection: every transaction and every other query share it.
  proxied = await createDatabase({ databaseUrl: url.toString(), maxConnections: 1, watchdog: false });
});
afterAll(async () => {
  await proxied?.close();
  await pipe?.close();
  await t?.drop();
});

const count = async (db: Database['db'], id: number) =>
  rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from begin_probe where id = ${id}`))[0]!.n;

describe('a transaction with BEGIN pipelined', () => {
  it('writes BEGIN and its first statement together: two writes for BEGIN, one statement and COMMIT', async () => {
    const run = () => proxied.db.transaction(async (tx) => rowsOf<{ v: number }>(await tx.execute(sql`select ${41}::int + 1 as v`)));
    // The first run opens the connection and prepares the statement (a describe round trip of its own).
    await run();
    pipe.reset();
    expect(await run()).toEqual([{ v: 42 }]);
    // Unpatched: BEGIN, then the statement once BEGIN is answered, then COMMIT: three writes.
    expect(pipe.writes()).toBe(2);
  });

  it('runs its first statement inside the transaction: a failure after it undoes it', async () => {
    const insertThenFail = () =>
      proxied.db.transaction(async (tx) => {
        await tx.execute(sql`insert into begin_probe (id) values (${1})`);
        throw new Error('batal');
      });
    await expect(insertThenFail()).rejects.toThrow('batal');
    // Again, with the insert prepared: now it leaves in the same write as BEGIN.
    await expect(insertThenFail()).rejects.toThrow('batal');
    expect(await count(t.db, 1)).toBe(0);
  });

  it("lets no other caller's query onto its connection while it is open", async () => {
    let inside!: () => void;
    const insideReached = new Promise<void>((resolve) => (inside = resolve));
    let finish!: () => void;
    const finishNow = new Promise<void>((resolve) => (finish = resolve));
    const tx = proxied.db.transaction(async (tx) => {
      await tx.execute(sql`insert into begin_probe (id) values (${2})`);
      inside();
      await finishNow;
      throw new Error('batal');
    });
    await insideReached;
    // Issued while the transaction holds the only connection: it waits for it. Had it run on that connection
    // inside the transaction, it would see the uncommitted row.
    const outside = count(proxied.db, 2);
    await new Promise((r) => setTimeout(r, 50));
    finish();
    await expect(tx).rejects.toThrow('batal');
    expect(await outside).toBe(0);
  });

  it('queues concurrent transactions for the connection, each one whole', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        proxied.db.transaction(async (tx) => {
          const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select n from begin_probe where id = ${0} for update`));
          await tx.execute(sql`update begin_probe set n = ${row!.n + 1} where id = ${0}`);
        }),
      ),
    );
    const [row] = rowsOf<{ n: number }>(await t.db.execute(sql`select n from begin_probe where id = 0`));
    expect(row!.n).toBe(20);
  });

  it('keeps savepoints: a nested transaction that fails is undone alone', async () => {
    await proxied.db.transaction(async (tx) => {
      await tx.execute(sql`insert into begin_probe (id) values (${3})`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute(sql`insert into begin_probe (id) values (${4})`);
          throw new Error('batal');
        }),
      ).rejects.toThrow('batal');
    });
    expect(await count(t.db, 3)).toBe(1);
    expect(await count(t.db, 4)).toBe(0);
  });
});
