import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function testRoot(): string {
  return join(tmpdir(), 'ent-observatory-tests');
}

/**
 * chdb binds one data directory per process, so every test file of a jest worker shares the worker's directory
 * and resets the tables it uses instead of opening a new one.
 */
export function workerDataDir(): string {
  return join(testRoot(), `worker-${process.env.JEST_WORKER_ID ?? '0'}`);
}
