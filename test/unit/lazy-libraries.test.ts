// The production start (dist/main.js, issue 19) loads the heavy libraries when they are first used, not at boot:
// a static import of one of them in any module the bot imports would put it back on every start.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOADED_ON_FIRST_USE = ['pdfkit', 'exceljs', 'echarts', '@resvg/resvg-js', 'express', '@bull-board/'];

describe('the production bundle', () => {
  it('imports none of the heavy libraries at the top level', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinerja-bundle-'));
    try {
      const outfile = join(dir, 'main.js');
      execFileSync(process.execPath, ['src/cli/build.mjs', `--outfile=${outfile}`], { stdio: 'pipe' });
      const bundle = readFileSync(outfile, 'utf8');
      const topLevel = [...bundle.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]!);
      expect(topLevel.length).toBeGreaterThan(0);
      expect(topLevel.filter((name) => LOADED_ON_FIRST_USE.some((heavy) => name === heavy || name.startsWith(heavy)))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
