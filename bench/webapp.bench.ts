// Benchmark: the Mini App's first screen. Bundle size (gzip) against the 100 KB budget and against Preact alone;
// time until the SKP editor is ready in headless Chromium from the local server, against a bare static page
// served by a bare HTTP loop in the same browser (issue 18: at most 300 ms).
import './env-setup.js';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { employees } from '../src/db/schema/index.js';
import { freePort } from '../src/redis.js';
import { signInitData } from '../src/webapp/init-data.js';
import { DEFAULT_DIST_DIR } from '../src/webapp/server.js';
import { importExampleRoster } from '../test/support/app.js';
import { chromiumPath, LIGHT_THEME, miniAppUrl } from '../test/support/browser.js';
import { startBenchApp } from './bench-app.js';
import { ensureTemplate, figure, runMain } from './support.js';

const RUNS = 7;
const ASN_NIP = '199207142017032002';
const ASN_TG = 8101;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bundleSizes(): Promise<void> {
  const assets = join(DEFAULT_DIST_DIR, 'assets');
  const gz = (file: string) => gzipSync(readFileSync(file)).length / 1024;
  const files = readdirSync(assets);
  const js = files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(join(assets, f)), 0);
  const css = files.filter((f) => f.endsWith('.css')).reduce((n, f) => n + gz(join(assets, f)), 0);
  const html = gz(join(DEFAULT_DIST_DIR, 'index.html'));
  // Baseline: Preact alone rendering one element, built the same way.
  const bare = await build({
    stdin: { contents: "import { h, render } from 'preact'; render(h('p', null, 'ok'), document.body);", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
  });
  const preactOnly = gzipSync(bare.outputFiles[0]!.contents).length / 1024;
  figure('webapp_first_screen_js_gzip', js, 'KB', { value: 100, better: 'lower' });
  figure('webapp_first_screen_all_gzip', js + css + html, 'KB', { value: 100, better: 'lower' });
  figure('webapp_preact_alone_js_gzip (baseline)', preactOnly, 'KB');
  figure('webapp_js_vs_preact_alone', js / preactOnly, 'x');
}

async function timeUntil(browser: Browser, url: string, selector: string): Promise<number> {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  try {
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector(selector);
    return performance.now() - t0;
  } finally {
    await page.close();
  }
}

async function firstScreen(executablePath: string): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}/app/`;
  const bench = await startBenchApp({ WEB_APP_URL: base, PORT: String(port) });
  const bare = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><meta charset="utf-8"><p id="ready">siap</p>');
  });
  const barePort = await freePort();
  await new Promise<void>((r) => bare.listen(barePort, '127.0.0.1', () => r()));
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    await importExampleRoster(bench.db);
    await bench.db.db.update(employees).set({ telegramUserId: ASN_TG, telegramChatId: ASN_TG }).where(eq(employees.nip, ASN_NIP));
    const token = bench.app.deps.config.env.TELEGRAM_BOT_TOKEN;
    const url = () =>
      miniAppUrl(
        base,
        signInitData({ user: JSON.stringify({ id: ASN_TG, first_name: 'Anisa' }), auth_date: String(Math.floor(Date.now() / 1000)) }, token),
        { screen: 'skp', theme: LIGHT_THEME },
      );
    // One warm-up each: the browser's first start and the SKP case's creation are not what a user waits for twice.
    await timeUntil(browser, url(), '[data-testid=add-rhk]');
    await timeUntil(browser, `http://127.0.0.1:${barePort}/`, '#ready');
    const app: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      app.push(await timeUntil(browser, url(), '[data-testid=add-rhk]'));
      baseline.push(await timeUntil(browser, `http://127.0.0.1:${barePort}/`, '#ready'));
    }
    const a = median(app);
    const b = median(baseline);
    figure('webapp_first_screen_ready_p50', a, 'ms', { value: 300, better: 'lower' });
    figure('webapp_bare_page_ready_p50 (baseline)', b, 'ms');
    figure('webapp_first_screen_vs_bare_page', a / b, 'x');
  } finally {
    await browser.close();
    await new Promise<void>((r) => bare.close(() => r()));
    await bench.stop();
  }
}

async function main(): Promise<number> {
  await ensureTemplate();
  await bundleSizes();
  const executablePath = chromiumPath();
  if (!executablePath) {
    console.error('webapp bench: no Chromium found (set CHROMIUM_PATH or apt-get install chromium); first-screen time not measured');
    return 0;
  }
  await firstScreen(executablePath);
  return 0;
}

runMain(main);
