// The job modules this application runs, in start order.
import type { JobModuleFactory } from './index.js';

export const jobModules: JobModuleFactory[] = [];
