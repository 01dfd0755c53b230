// Group commit: items written as they come, one statement at a time, each statement carrying every item that
// arrived while the one before it ran. At rest an item is written at once, alone; under a burst, many items share
// a statement instead of each paying its own round trip (and the database its own write).

export interface GroupCommit<T> {
  /** Resolves when the item is written; rejects with the error of the statement that carried it. */
  add(item: T): Promise<void>;
  /** Nothing waiting and no statement running. */
  readonly idle: boolean;
}

export function groupCommit<T>(write: (items: T[]) => Promise<void>, onIdle: () => void = () => {}): GroupCommit<T> {
  let pending: Array<{ item: T; settle: (error?: unknown) => void }> = [];
  let writing = false;

  async function flush(): Promise<void> {
    writing = true;
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      let failure: unknown;
      try {
        await write(batch.map((p) => p.item));
      } catch (error) {
        failure = error ?? new Error('group commit: the statement failed');
      }
      for (const p of batch) p.settle(failure);
    }
    writing = false;
    onIdle();
  }

  return {
    add(item) {
      const written = new Promise<void>((resolve, reject) => {
        pending.push({ item, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      });
      if (!writing) void flush();
      return written;
    },
    get idle() {
      return !writing && pending.length === 0;
    },
  };
}
