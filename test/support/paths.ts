import { join } from 'node:path';

/**
 * Inside the checkout (jest runs from its root), not in the system's tmp, and one directory per jest run (set by
 * global-setup.ts): two checkouts or two runs on one machine must never share, or wipe, each other's stores.
 */
export function testRoot(): string {
  return process.env.ENT_TEST_ROOT ?? join(process.cwd(), 'tmp', 'ent-observatory-tests', `run-${process.pid}`);
}

/**
 * chdb binds one data directory per process, so every test file of a jest worker shares the worker's directory
 * and resets the tables it uses instead of opening a new one.
 */
export function workerDataDir(): string {
  return join(testRoot(), `worker-${process.env.JEST_WORKER_ID ?? '0'}`);
}
