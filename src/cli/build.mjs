// Builds the production start: src/main.ts and everything it imports from src/ and jobs/ as one ES module,
// dist/main.js, so `npm start` runs plain JavaScript instead of compiling TypeScript with tsx at every boot.
// The packages loaded at every boot are bundled too (resolving and loading hundreds of small files was most of the
// boot); those with native code, wasm, data files or worker threads stay external and load from node_modules, as
// do the heavy ones loaded only on first use.
// Run by `npm install` (postinstall) and before `npm start` (prestart, with --if-stale: rebuilds only when a
// source file is newer than the bundle).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// `--outfile=PATH` builds elsewhere (a test reads what the bundle loads at boot without touching dist/).
const outfileArg = process.argv.find((a) => a.startsWith('--outfile='));
const outfile = outfileArg ? outfileArg.slice('--outfile='.length) : join(root, 'dist', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|mjs|js|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const ifStale = process.argv.includes('--if-stale');
if (ifStale && existsSync(outfile)) {
  const built = statSync(outfile).mtimeMs;
  const sources = Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'jobs')), statSync(join(root, 'package.json')).mtimeMs);
  if (sources <= built) process.exit(0);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Without esbuild (an install that skipped it) `npm start` cannot run the bundle; say what to do.
  console.error('esbuild is not installed: run `npm install`, or start with `npx tsx src/main.ts`.');
  process.exit(1);
}
await esbuild.build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [
    '@electric-sql/pglite',
    '@electric-sql/pglite/*',
    'msgpackr',
    'msgpackr-extract',
    'pino',
    'pino/*',
    'thread-stream',
    'pdfkit',
    'exceljs',
    'echarts',
    '@resvg/resvg-js',
    'express',
    '@bull-board/*',
    'esbuild',
  ],
  // Bundled CommonJS packages require Node's built-ins; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __kinerjaCreateRequire } from 'node:module'; const require = __kinerjaCreateRequire(import.meta.url);" },
  // Written beside the bundle, read only with NODE_OPTIONS=--enable-source-maps (parsing it costs ~40 MB at boot).
  sourcemap: true,
  logLevel: 'warning',
});
