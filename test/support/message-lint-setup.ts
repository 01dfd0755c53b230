// vitest setupFiles entry: every FakeTelegram started in a test file has what the bot sent it linted after each
// test (and once more after the file, for messages sent in beforeAll/afterAll hooks).
import { appendFileSync } from 'node:fs';
import { afterAll, afterEach, expect } from 'vitest';
import { FakeTelegram } from './fake-telegram.js';
import { LINT_EXEMPT_FILES } from './message-lint-exceptions.js';
import { describeFindings, lintCalls } from './message-lint.js';
import type { ApiCall } from './fake-telegram/types.js';

const fakes = new Set<FakeTelegram>();
const linted = new WeakSet<ApiCall>();
const seenTexts = new Set<string>();

const originalStart = FakeTelegram.start.bind(FakeTelegram);
FakeTelegram.start = async (...args: Parameters<typeof FakeTelegram.start>) => {
  const fake = await originalStart(...args);
  fakes.add(fake);
  return fake;
};

function exempt(): boolean {
  const path = expect.getState().testPath ?? '';
  return LINT_EXEMPT_FILES.some((e) => e.file.test(path.replace(/\\/g, '/')));
}

function lintNewCalls(): void {
  if (exempt()) return;
  const fresh: ApiCall[] = [];
  for (const fake of fakes) {
    for (const call of fake.calls()) {
      if (linted.has(call)) continue;
      linted.add(call);
      // A refused call (a 400 for bad markup, a 429 retried later) showed nobody anything.
      if (call.ok) fresh.push(call);
    }
  }
  const findings = lintCalls(fresh, seenTexts);
  if (findings.length === 0) return;
  // MESSAGE_LINT_REPORT=<file> collects findings instead of failing (to survey the whole suite at once).
  const report = process.env.MESSAGE_LINT_REPORT;
  if (report) {
    appendFileSync(report, findings.map((f) => JSON.stringify({ file: expect.getState().testPath, ...f })).join('\n') + '\n');
    return;
  }
  throw new Error(describeFindings(findings));
}

afterEach(() => lintNewCalls());
afterAll(() => {
  lintNewCalls();
  fakes.clear();
});
