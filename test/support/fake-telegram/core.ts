// The parts of one fake Bot API, wired together by the facade; each part reaches the others through this.
import type { Params } from './http.js';
import type { CallLog } from './call-log.js';
import type { FileStore } from './files.js';
import type { Limits } from './limits.js';
import type { CallbackQueries } from './methods/callbacks.js';
import type { Settings } from './options.js';
import type { FakeUser } from './types.js';
import type { UpdateQueue } from './updates.js';
import type { Timers, Waiters } from './waiters.js';
import type { World } from './world.js';

export type Handler = (p: Params) => unknown;

export interface Core {
  readonly token: string;
  readonly botUser: FakeUser;
  readonly opts: Settings;
  readonly timers: Timers;
  readonly world: World;
  readonly files: FileStore;
  readonly limits: Limits;
  readonly log: CallLog;
  readonly waiters: Waiters;
  readonly callbacks: CallbackQueries;
  readonly updates: UpdateQueue;
  /** Method handlers by lower-case method name. */
  readonly handlers: Record<string, Handler>;
  stopped: boolean;
}

export const nowSec = (): number => Math.floor(Date.now() / 1000);
