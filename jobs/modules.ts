// The job modules this application runs, in start order.
import type { JobModuleFactory } from './index.js';
import { slaModule } from './sla.js';
import { remindersModule } from './reminders.js';
import { outboxModule } from './outbox.js';
import { broadcastModule } from './broadcast.js';
import { archiveModule } from './archive.js';

export const jobModules: JobModuleFactory[] = [outboxModule, broadcastModule, slaModule, remindersModule, archiveModule];
