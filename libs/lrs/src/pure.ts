/**
 * The engine's parts that open no database: the Statement resource's checks, a write's preparation and the
 * journal's line format. Worker threads (the bulk loader's, the API's statement preparation) import this entry, not
 * the package's, so that they never load a database client (chdb's native addon, bound to the process's one
 * embedded database, must stay in the main thread).
 */
export { journalLine } from './journal-files.js';
export { LrsErrorCode, LrsException } from './lrs.exception.js';
export { sameAsStored, writeProblems } from './statement-checks.js';
export { prepareWrite, type JournalRow, type PendingStatement } from './statement-write.js';
export { parseJson } from './utf8.js';
