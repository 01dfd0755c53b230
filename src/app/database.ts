// The database as the adapters see it: the handle they pass to use cases, and opening one in a process of its own.
export { createDatabase, type Database, type Db } from '../db/client.js';
