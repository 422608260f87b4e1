import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Each run starts from empty embedded stores of its own: a directory named after this process (see paths.ts), so
 * that two runs in one checkout (a session's and CI's, or a loop of one file beside another) never wipe each other's.
 * Directories of runs whose process is gone are removed. jest loads this file outside its resolver, so the root is
 * spelt here as in paths.ts, and handed to the workers through the environment they inherit.
 */
export default function globalSetup(): void {
  // Storage is UTC; tests must not depend on the machine's zone (display zones are set explicitly).
  process.env.TZ = 'UTC';
  // Fixtures are fixed dates (some years back) and a TTL deletes at merges, whenever they happen: retention is off
  // in tests (the servers, CLIs and built processes they start inherit this), except where a test sets it
  // (test/retention.e2e.ts).
  process.env.STATEMENT_RETENTION_MONTHS ??= '0';
  process.env.PERSON_ROLLUP_RETENTION_MONTHS ??= '0';
  const root = join(process.cwd(), 'tmp', 'ent-observatory-tests');
  let entries: string[] = [];
  try {
    entries = readdirSync(root);
  } catch {
    // first run in this checkout
  }
  for (const entry of entries) {
    const pid = /^run-(\d+)$/.exec(entry)?.[1];
    if (pid === undefined || !isAlive(Number(pid))) rmSync(join(root, entry), { recursive: true, force: true });
  }
  process.env.ENT_TEST_ROOT = join(root, `run-${process.pid}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
