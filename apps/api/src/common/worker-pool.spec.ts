import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { WorkerPool } from './worker-pool.js';

const script = pathToFileURL(join(process.cwd(), 'test/support/pool-worker.mjs'));

describe('WorkerPool', () => {
  let pool: WorkerPool<number | string, unknown, string>;
  afterEach(() => pool.close());

  it('answers each job with its own result', async () => {
    pool = new WorkerPool(script, 2, { initial: 'a' }, 'a test thread');
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => pool.run(n)))).toEqual([2, 4, 6, 8, 10]);
  });

  it('rejects a job its thread refused, and goes on with the next', async () => {
    pool = new WorkerPool(script, 1, { initial: 'a' }, 'a test thread');
    await expect(pool.run('throw')).rejects.toThrow('a test thread failed: asked to throw');
    expect(await pool.run(21)).toBe(42);
  });

  it('replaces a thread that died, with the last update, and fails only the jobs it held', async () => {
    const deaths: boolean[] = [];
    pool = new WorkerPool(script, 1, { initial: 'first' }, 'a test thread', (_, replaced) => deaths.push(replaced));
    expect(await pool.run('update')).toBe('first');
    pool.update('second');
    await expect(pool.run('die')).rejects.toThrow('a test thread died');
    expect(pool.size).toBe(1);
    expect(await pool.run('update')).toBe('second');
    expect(await pool.run(5)).toBe(10);
    expect(deaths).toEqual([true]);
  });

  it('stops replacing threads that cannot start, and says so instead of waiting forever', async () => {
    const deaths: boolean[] = [];
    pool = new WorkerPool(new URL('file:///nonexistent/worker.mjs'), 1, {}, 'a test thread', (_, replaced) =>
      deaths.push(replaced),
    );
    await expect(pool.run(1)).rejects.toThrow('a test thread died');
    // Replaced twice more, then given up.
    for (let i = 0; i < 100 && pool.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(pool.size).toBe(0);
    expect(deaths).toEqual([true, true, false]);
    await expect(pool.run(1)).rejects.toThrow('a test thread: no thread could start');
  });
});
