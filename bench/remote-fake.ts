// Parent side of bench/remote-fake-child.ts: starts the fake Bot API in its own process and calls its batch ops.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Reply = { id: number; result?: unknown; error?: string } | { ready: { token: string; apiRoot: string } };

export class RemoteFake {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly token: string,
    readonly apiRoot: string,
  ) {
    child.on('message', (raw) => {
      const reply = raw as Reply;
      if (!('id' in reply)) return;
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error !== undefined) waiter?.reject(new Error(reply.error));
      else waiter?.resolve(reply.result);
    });
  }

  static async start(): Promise<RemoteFake> {
    const child = fork(fileURLToPath(new URL('./remote-fake-child.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = await new Promise<{ token: string; apiRoot: string }>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`fake Bot API process exited (${code})`)));
      child.on('message', (raw) => {
        const reply = raw as Reply;
        if ('ready' in reply) resolve(reply.ready);
      });
    });
    return new RemoteFake(child, ready.token, ready.apiRoot);
  }

  /** The fake's process id (for its CPU share of a run). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  call<T>(op: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, op, args });
    });
  }

  async stop(): Promise<void> {
    if (!this.child.connected) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.disconnect();
    await exited;
  }
}
