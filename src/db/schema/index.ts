// The drizzle schema, one table group a file.
export * from './organisation.js';
export * from './bot.js';
export * from './cases.js';
export * from './chat.js';
export * from './jobs.js';
export * from './evaluation.js';
