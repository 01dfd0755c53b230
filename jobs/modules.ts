// The job modules this application runs, in start order.
import type { JobModuleFactory } from './index.js';
import { outboxModule } from './outbox.js';

export const jobModules: JobModuleFactory[] = [outboxModule];
