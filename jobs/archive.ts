// Keeps the evidence archive complete: files whose download failed at receipt are fetched again until stored.
import { archivePendingFiles } from '../src/app/archive.js';
import { runSummaries } from '../src/chat/texts/operations.js';
import type { JobModuleFactory } from './index.js';

const INTERVAL_MS = 60_000;

export const archiveModule: JobModuleFactory = (deps) => {
  const log = deps.logger.child({ module: 'archive' });
  let running: Promise<unknown> | null = null;
  const run = async () => {
    running ??= archivePendingFiles(deps)
      .then((result) => {
        if (result.archived + result.failed + result.permanent > 0) log.info(result, 'evidence archive pass');
        return result;
      })
      .finally(() => {
        running = null;
      });
    return running as Promise<Awaited<ReturnType<typeof archivePendingFiles>>>;
  };
  const timer =
    deps.runWorkers === false ? undefined : setInterval(() => void run().catch((error) => log.warn({ err: error }, 'archive pass failed')), INTERVAL_MS);
  timer?.unref();
  return {
    name: 'archive',
    reconcile: async () => {
      await run();
    },
    runNow: {
      'archive-evidence': async () => {
        return runSummaries.evidenceArchived(await run());
      },
    },
    async close() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
};
