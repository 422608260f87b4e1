import type { Warehouse } from './client.js';
import { LeaseHeld, withLease } from './lease.js';
import { command } from './query.js';
import { TABLES } from './tables.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';

describe('leases held in ClickHouse', () => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await freshWarehouse();
  });
  afterAll(async () => {
    await w.client.close();
  });

  it('lets exactly one of several contenders run the work; the others are told who holds it', async () => {
    let running = 0;
    let maxRunning = 0;
    const work = async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 300));
      running -= 1;
      return 'done';
    };
    const results = await Promise.allSettled(
      ['a', 'b', 'c', 'd'].map((holder) => withLease(w, 'recompute', holder, work, { settleMs: 50 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(maxRunning).toBe(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(LeaseHeld);
    }
    // released: the next one gets it
    await expect(withLease(w, 'recompute', 'e', () => Promise.resolve('again'), { settleMs: 10 })).resolves.toBe(
      'again',
    );
  });

  it('takes over a lease whose holder died once its claim expires', async () => {
    await command(
      w.client,
      `INSERT INTO ${TABLES.leases} (name, holder, claim, stamped, expires)
       SELECT 'migrate', 'dead-process', generateUUIDv4(), now64(6, 'UTC'), now64(6, 'UTC') + toIntervalMillisecond(400)`,
    );
    await expect(withLease(w, 'migrate', 'me', () => Promise.resolve(1), { settleMs: 10 })).rejects.toThrow(
      'lease "migrate" is held by dead-process',
    );
    await new Promise((r) => setTimeout(r, 500));
    await expect(withLease(w, 'migrate', 'me', () => Promise.resolve(2), { settleMs: 10 })).resolves.toBe(2);
  });
});
