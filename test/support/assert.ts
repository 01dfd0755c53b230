// Assertion helpers shared by the integration tests.
import { expect } from 'vitest';

/** drizzle wraps driver errors as "Failed query: …" with the database's message in `cause`. */
export async function expectDbError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the database to refuse').not.toBeNull();
  const e = error as { message?: string; cause?: { message?: string } };
  expect(`${e.message}\n${e.cause?.message ?? ''}`).toMatch(pattern);
}
