// Builds the Mini App (webapp/) into webapp/dist: one bundled, minified script and stylesheet with content hashes,
// and index.html pointing at them. Run at install (postinstall) and by `npm run webapp:build`.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../webapp');
const dist = join(root, 'dist');
const hash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 10);

const result = await build({
  entryPoints: { app: join(root, 'src/main.tsx'), style: join(root, 'src/style.css') },
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
