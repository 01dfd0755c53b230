// Group commit: one statement at a time, each carrying what arrived while the one before ran; a failed statement
// fails only the items it carried.
import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/app/group-commit.js';

describe('group commit', () => {
  it('writes the first item alone, then everything that arrived meanwhile in one statement', async () => {
    const statements: number[][] = [];
    let release: () => void = () => {};
    const commit = groupCommit<number>(async (items) => {
      statements.push(items);
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const first = commit.add(1);
    const rest = [2, 3, 4].map((n) => commit.add(n));
    expect(statements).toEqual([[1]]);
    release();
    await first;
    await Promise.resolve();
    expect(statements).toEqual([[1], [2, 3, 4]]);
    release();
    await Promise.all(rest);
    expect(commit.idle).toBe(true);
  });

  it('a failed statement rejects the items it carried, and the next statement goes on', async () => {
    let calls = 0;
    let idle = 0;
    const commit = groupCommit<string>(
      async () => {
        calls++;
        if (calls === 1) throw new Error('database gone');
      },
      () => idle++,
    );
    const results = await Promise.allSettled([commit.add('a'), commit.add('b'), commit.add('c')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('database gone'));
    await expect(commit.add('d')).resolves.toBeUndefined();
    expect(calls).toBe(3);
    expect(idle).toBe(2);
  });
});
