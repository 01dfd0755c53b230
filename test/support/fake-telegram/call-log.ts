// What the bot called and how each call was answered: the calls() log, the failures a test scripted with
// failNext(), and the one place a call's JSON answer is written.
import type { ServerResponse } from 'node:http';
import { ApiError, sendJson } from './http.js';
import type { Limits } from './limits.js';
import type { Settings } from './options.js';
import type { ApiCall, ApiErrorSpec } from './types.js';

export class CallLog {
  private entries: ApiCall[] = [];
  private readonly failures = new Map<string, Array<{ error: ApiErrorSpec; remaining: number }>>();

  constructor(
    private readonly opts: Settings,
    private readonly limits: Limits,
  ) {}

  /** Answers a call (an error or `{ok:true,result}`) and records it. */
  finish(res: ServerResponse, call: ApiCall, error: ApiError | undefined, result?: unknown): void {
    let status = 200;
    let payload: unknown;
    if (error) {
      status = error.code;
      const body: Record<string, unknown> = { ok: false, error_code: error.code, description: error.description };
      if (error.parameters) body.parameters = error.parameters;
      payload = body;
      call.description = error.description;
      if (error.code === 429) this.limits.counters.rejected429++;
    } else {
      payload = { ok: true, result };
    }
    call.status = status;
    call.ok = !error;
    this.record(call);
    sendJson(res, status, payload);
  }

  record(call: ApiCall): void {
    this.entries.push(call);
    const cap = this.opts.callLogLimit;
    if (this.entries.length > cap * 2) this.entries = this.entries.slice(-cap);
  }

  calls(method?: string): ApiCall[] {
    const cap = this.opts.callLogLimit;
    const log = this.entries.length > cap ? this.entries.slice(-cap) : this.entries.slice();
    if (method === undefined) return log;
    const m = method.toLowerCase();
    return log.filter((c) => c.method.toLowerCase() === m);
  }

  failNext(method: string, error: ApiErrorSpec, count: number): void {
    const key = method.toLowerCase();
    const list = this.failures.get(key) ?? [];
    list.push({ error, remaining: count });
    this.failures.set(key, list);
  }

  /** The scripted failure for this call of `key` (lower-case method), if any. */
  takeFailure(key: string): ApiError | undefined {
    const list = this.failures.get(key);
    const f = list?.[0];
    if (!list || !f) return undefined;
    if (--f.remaining <= 0) list.shift();
    const e = f.error;
    return new ApiError(e.error_code, e.description, e.retry_after !== undefined ? { retry_after: e.retry_after } : undefined);
  }

  /** The bot's last failed calls (optionally for one chat), for timeout messages. */
  recentFailures(chatId?: number): string {
    const out: string[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < 5; i--) {
      const c = this.entries[i]!;
      if (c.ok || c.method.toLowerCase() === 'getupdates') continue;
      if (chatId !== undefined && c.params.chat_id !== undefined && Number(c.params.chat_id) !== chatId) continue;
      out.push(`  ${c.method} -> ${c.status} ${c.description ?? ''}`);
    }
    return out.length > 0 ? `\nrecent failed calls:\n${out.reverse().join('\n')}` : '';
  }
}
