// The bad-input corpus (bench/bad-input.ts): every input answered clearly in Indonesian, nothing changed, no crash.
import { describe, expect, it } from 'vitest';
import { badInputDrill, corpus } from '../../bench/bad-input.js';

describe('bad input corpus', () => {
  it('has at least 40 inputs', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });

  it('answers each clearly (or stays silent where right), changes nothing and keeps running', async () => {
    const result = await badInputDrill();
    const failed = result.lines.filter((l) => l.startsWith('FAIL') || l.includes('NO'));
    expect(failed, result.lines.join('\n')).toEqual([]);
    expect(result.ok).toBe(true);
  }, 240_000);
});
