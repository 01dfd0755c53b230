// Heavy libraries (charts, PDF, spreadsheets, the operations page) load on first use instead of at every boot.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A CommonJS module loaded (synchronously) the first time the returned function is called. */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
