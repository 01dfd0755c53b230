// `npm run bench [-- NAME...]`: runs every bench/*.bench.ts (or those whose name contains a NAME) one after the
// other, each in its own process so one benchmark's memory and pools never skew the next. Their figures
// (`name: value unit` lines on stdout) pass straight through; this runner's own progress notes go to stderr.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function runOne(file: string): Promise<number> {
  return new Promise((resolve) => {
    // tsx as a loader: the same TypeScript handling as `npm run bench` itself.
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit', env: process.env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
    .sort();
  if (files.length === 0) {
    console.error(`no benchmark matches ${filters.join(', ') || '(none found in bench/)'}`);
    return 2;
  }
  const failed: string[] = [];
  for (const file of files) {
    console.error(`# ${file}`);
    const started = performance.now();
    const code = await runOne(file);
    console.error(`# ${file} ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (code !== 0) failed.push(file);
  }
  if (failed.length > 0) console.error(`failed benchmarks: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
});
