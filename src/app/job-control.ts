// The port through which the chat and the operations page start work on the job system. jobs/ implements it and
// runtime.ts wires it in, so bot/ never imports jobs/ (and jobs/ never imports bot/).

export interface BroadcastQueueControl {
  /** Enqueues the queued deliveries of a broadcast that just started. */
  enqueue(broadcastId: string): Promise<number>;
  /** Drops the waiting jobs of a cancelled broadcast's batches (best effort: workers skip them anyway). */
  discard(broadcastId: string, batches: number[]): Promise<void>;
}

export interface JobControl {
  /** The jobs an operator may run now (/jalankan). */
  jobNames(): string[];
  /** Runs a job now and returns its one-line result. */
  runNow(name: string, args?: Record<string, unknown>): Promise<string>;
  /** The announcement queue, when this deployment runs one. */
  broadcasts?: BroadcastQueueControl;
}
