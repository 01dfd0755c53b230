// The database as the adapters see it: the handle they pass to use cases, and opening one in a process of its own.
// Adapters (bot, jobs, the Mini App) never query it themselves.
export { createDatabase, type Database, type DatabaseOptions, type Db, type DbOrTx, type Tx } from '../db/client.js';
