// Builds the Mini App's page (src/webapp/client/) into dist/webapp: one bundled, minified script and stylesheet with
// content hashes, and index.html pointing at them. Run at install (postinstall), by `npm run webapp:build`, and
// before `npm start` (prestart, with --if-stale: only when a source of the page is newer than the built one).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const project = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = join(project, 'src', 'webapp', 'client');
const dist = join(project, 'dist', 'webapp');
const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 10);

// The page also imports the shared rules and labels of src/domain.
const sources = [root, join(project, 'src', 'domain')];
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}
const builtPage = join(dist, 'index.html');
if (process.argv.includes('--if-stale') && existsSync(builtPage)) {
  if (Math.max(...sources.map(newestSource)) <= statSync(builtPage).mtimeMs) process.exit(0);
}

const result = await build({
  entryPoints: { app: join(root, 'main.tsx'), style: join(root, 'style.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome87', 'safari14'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  write: false,
  outdir: 'out',
  legalComments: 'none',
  logLevel: 'warning',
});

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });
const names = {};
for (const file of result.outputFiles) {
  const ext = file.path.endsWith('.css') ? 'css' : 'js';
  const name = `${ext === 'css' ? 'style' : 'app'}-${hash(file.text)}.${ext}`;
  writeFileSync(join(dist, 'assets', name), file.text);
  names[ext] = name;
}
const html = readFileSync(join(root, 'index.html'), 'utf8').replace('%CSS%', names.css).replace('%JS%', names.js);
writeFileSync(join(dist, 'index.html'), html);
console.log(`webapp built: ${names.js}, ${names.css}`);
