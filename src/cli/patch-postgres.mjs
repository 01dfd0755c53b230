// postinstall: guards postgres.js 3.4.x against writing to a socket that a server-side disconnect already nulled.
// Unpatched, that write throws an uncatchable TypeError (the bot crashes when PostgreSQL restarts). The upstream
// fix proposed in porsager/postgres#1155 only skips the write, which leaves the query it carried — typically the
// ROLLBACK of a transaction whose connection was cut — waiting in the connection's send list; after the reconnect
// that stale entry is taken for the next answer, the connection never becomes free again, and the pool shrinks
// by one connection per cut (test/integration/db-restart.test.ts). Here the queries waiting on the dead socket
// are failed and dropped instead; the query that is waiting for the reconnect (`initial`) is left alone.
// Idempotent; upgrades the earlier guards in place; a no-op once the library has a fix.
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
