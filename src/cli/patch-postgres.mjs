// postinstall: guards postgres.js 3.4.x against writing to a socket that a server-side disconnect already nulled.
// Unpatched, that write throws an uncatchable TypeError (the bot crashes when PostgreSQL restarts); the upstream
// fix proposed in porsager/postgres#1155 only skips the write, which leaves the query it carried pending forever —
// typically the ROLLBACK of a transaction whose connection was cut, so that reserved connection never returns to
// the pool. Here the queries waiting on the dead connection are failed instead, as the library itself does when a
// connection closes cleanly: the transaction rolls back (the server already did), its connection is released,
// and the bot answers "coba lagi". Idempotent; upgrades the earlier guard; a no-op once the library has a fix.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARK = '/* kinerja-bot: null-socket guard v2 */';
const GUARD =
  `${MARK} if (!socket) { nextWriteTimer !== null && clearImmediate(nextWriteTimer); chunk = nextWriteTimer = null; ` +
  `(query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options)); return false }`;
const ORIGINAL = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const PATCHED = `  function nextWrite(fn) {\n    ${GUARD}\n    const x = socket.write(chunk, fn)`;
/** The first version of the guard (skip the write only). */
const V1 = /\/\* kinerja-bot: null-socket guard \*\/ [^\n]*/;

for (const flavour of ['src', 'cjs/src', 'cf/src']) {
  const file = join('node_modules', 'postgres', flavour, 'connection.js');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  if (V1.test(text)) {
    writeFileSync(file, text.replace(V1, GUARD));
    continue;
  }
  if (!text.includes(ORIGINAL)) {
    console.warn(`patch-postgres: ${file} changed upstream; guard not applied (check whether it is still needed)`);
    continue;
  }
  writeFileSync(file, text.replace(ORIGINAL, PATCHED));
}
