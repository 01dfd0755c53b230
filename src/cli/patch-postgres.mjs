// postinstall: guards postgres.js 3.4.x against writing to a socket that a server-side disconnect already
// nulled (an uncatchable TypeError that would crash the bot when PostgreSQL restarts). Same guard as the
// upstream fix proposed in porsager/postgres#1155; idempotent, and a no-op once the library has it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MARK = '/* kinerja-bot: null-socket guard */';
const FROM = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const TO = `  function nextWrite(fn) {\n    ${MARK} if (!socket) { nextWriteTimer !== null && clearImmediate(nextWriteTimer); chunk = nextWriteTimer = null; return false }\n    const x = socket.write(chunk, fn)`;

for (const flavour of ['src', 'cjs/src', 'cf/src']) {
  const file = join('node_modules', 'postgres', flavour, 'connection.js');
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  if (!text.includes(FROM)) {
    console.warn(`patch-postgres: ${file} changed upstream; guard not applied (check whether it is still needed)`);
    continue;
  }
  writeFileSync(file, text.replace(FROM, TO));
}
