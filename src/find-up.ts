// Finds a folder of the project upwards from a module: the code runs from src/ (tsx) or from the bundle in dist/
// (npm start), so a path relative to import.meta.url would differ between the two.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest `<dir>/<folder>` above `moduleUrl` that holds `marker`; throws when there is none. */
export function findProjectFolder(moduleUrl: string, folder: string, marker: string): string {
  const from = dirname(fileURLToPath(moduleUrl));
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, folder);
    if (existsSync(join(candidate, marker))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no ${folder}/ with ${marker} above ${from}`);
  }
}
