// The database handle the use cases take. Adapters (bot, jobs, the Mini App) open it and pass it along; they never
// query it themselves.
export { createDatabase, type Database, type DatabaseOptions, type Db, type DbOrTx, type Tx } from '../db/client.js';
