// postinstall: two patches of postgres.js 3.4.x.
//
// 1. A guard against writing to a socket that a server-side disconnect already nulled.
// Unpatched, that write throws an uncatchable TypeError (the bot crashes when PostgreSQL restarts). The upstream
// fix proposed in porsager/postgres#1155 only skips the write, which leaves the query it carried — typically the
// ROLLBACK of a transaction whose connection was cut — waiting in the connection's send list; after the reconnect
// that stale entry is taken for the next answer, the connection never becomes free again, and the pool shrinks
// by one connection per cut (test/integration/db-restart.test.ts). Here the queries waiting on the dead socket
// are failed and dropped instead; the query that is waiting for the reconnect (`initial`) is left alone.
// Idempotent; upgrades the earlier guards in place; a no-op once the library has a fix.
//
// 2. A transaction's BEGIN goes out with its first statement. sql.begin() waits for BEGIN's answer before it runs
// the callback, so every transaction paid a round trip for BEGIN alone (in a burst of approvals, one of about ten
// per tap, each a socket write that wakes a server process). Patched, begin() waits only until BEGIN is handed to
// a connection, and that connection is given to the transaction at once, so the first statement is written
// behind BEGIN in the same write. The server runs them in order; a BEGIN refused by the server (it cannot be, short
// of a lost connection, which fails the statements behind it too) fails the transaction before its COMMIT.
// (postgres.js puts the connection of a freshly written BEGIN among the "full" ones, where the transaction's own
// statements would wait for BEGIN's answer; the patch moves it back to the transaction's reserved ones right after.)
// test/integration/pipelined-begin.test.ts checks both the saved round trip and the transaction's guarantees.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARK = '/* kinerja-bot: null-socket guard v3 */';
const GUARD =
  `${MARK} if (!socket) { nextWriteTimer !== null && clearImmediate(nextWriteTimer); chunk = nextWriteTimer = null; ` +
  `query && queryError(query, Errors.connection('CONNECTION_CLOSED', options)); ` +
  `while (sent.length) queryError(sent.shift(), Errors.connection('CONNECTION_CLOSED', options)); return false }`;
const ORIGINAL = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const PATCHED = `  function nextWrite(fn) {\n    ${GUARD}\n    const x = socket.write(chunk, fn)`;
/** Earlier versions of the guard: v1 skipped the write only; v2 also failed the query waiting for a reconnect. */
const EARLIER = /\/\* kinerja-bot: null-socket guard (?:v2 )?\*\/ [^\n]*/;

const BEGIN_MARK = '/* kinerja-bot: pipelined begin v1 */';
const BEGIN_ORIGINAL = "      await sql.unsafe('begin ' + options.replace(/[^a-z ]/ig, ''), [], { onexecute }).execute()";
const BEGIN_PATCHED =
  `      ${BEGIN_MARK} await new Promise((resolve, reject) => { ` +
  `const q = sql.unsafe('begin ' + options.replace(/[^a-z ]/ig, ''), [], { onexecute: c => { onexecute(c); ` +
  `process.nextTick(() => { c.queue === full && move(c, reserved); resolve() }) } }); ` +
  `q.then(null, e => { beginError = e; reject(e) }); q.execute() })`;
const DECLARE_ORIGINAL = '    let savepoints = 0\n';
const DECLARE_PATCHED = `    let savepoints = 0\n      , beginError = null ${BEGIN_MARK}\n`;
const COMMIT_ORIGINAL = '      if (!name) {\n        prepare\n';
const COMMIT_PATCHED = `      if (!name) {\n        ${BEGIN_MARK} if (beginError) throw beginError\n        prepare\n`;

for (const flavour of ['src', 'cjs/src', 'cf/src']) {
  const file = join('node_modules', 'postgres', flavour, 'index.js');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes(BEGIN_MARK)) continue;
  if (![BEGIN_ORIGINAL, DECLARE_ORIGINAL, COMMIT_ORIGINAL].every((original) => text.split(original).length === 2)) {
    console.warn(`patch-postgres: ${file} changed upstream; BEGIN is not pipelined (a round trip more per transaction)`);
    continue;
  }
  writeFileSync(file, text.replace(BEGIN_ORIGINAL, BEGIN_PATCHED).replace(DECLARE_ORIGINAL, DECLARE_PATCHED).replace(COMMIT_ORIGINAL, COMMIT_PATCHED));
}

for (const flavour of ['src', 'cjs/src', 'cf/src']) {
  const file = join('node_modules', 'postgres', flavour, 'connection.js');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  if (EARLIER.test(text)) {
    writeFileSync(file, text.replace(EARLIER, GUARD));
    continue;
  }
  if (!text.includes(ORIGINAL)) {
    console.warn(`patch-postgres: ${file} changed upstream; guard not applied (check whether it is still needed)`);
    continue;
  }
  writeFileSync(file, text.replace(ORIGINAL, PATCHED));
}
