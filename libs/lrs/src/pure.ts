/**
 * The engine's parts that open no database: the Statement resource's checks and the journal's line format. The bulk
 * loader's worker threads import this entry, not the package's, so that they never load a database client (chdb's
 * native addon, bound to the process's one embedded database, must stay in the main thread).
 */
export { journalLine } from './journal-files.js';
export { sameAsStored, writeProblems } from './statement-checks.js';
