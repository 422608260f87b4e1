import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { type Warehouse, createWarehouse } from './client.js';
import { LeaseHeld, announce, presentHolders, withLease } from './lease.js';
import { command, queryRows } from './query.js';
import { TABLES } from './tables.js';
import { migrate } from './migrate.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { type ClickHouseServer, startClickHouseServer } from '../../../test/support/clickhouse-server.js';
import { testRoot, workerDataDir } from '../../../test/support/paths.js';

/** Four contenders at once for `name`, on `warehouses` in turn: which ran the work, and how many ran it together. */
async function contend(warehouses: Warehouse[], name: string, settleMs: number) {
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
    ['a', 'b', 'c', 'd'].map((holder, i) =>
      withLease(warehouses[i % warehouses.length] as Warehouse, name, holder, work, { settleMs }),
    ),
  );
  return { results, maxRunning };
}

/** A claim on `name` as a process killed while holding it leaves: live for `ms` more. */
async function deadClaim(w: Warehouse, name: string, ms: number): Promise<void> {
  await command(
    w.client,
    `INSERT INTO ${TABLES.leases} (name, holder, claim, stamped, expires)
     SELECT {name:String}, 'dead-process', generateUUIDv4(), now64(6, 'UTC'), now64(6, 'UTC') + toIntervalMillisecond({ms:UInt32})`,
    { name, ms },
  );
}

describe('leases on a ClickHouse server: held in its `leases` table, among processes', () => {
  let server: ClickHouseServer;
  let w: Warehouse;
  let other: Warehouse;
  beforeAll(async () => {
    server = await startClickHouseServer();
    const dir = mkdtempSync(join(testRoot(), 'lease-client-'));
    w = createWarehouse({ url: server.url, dataDir: dir });
    other = createWarehouse({ url: server.url, dataDir: dir });
    await migrate(w);
  });
  afterAll(async () => {
    await w.client.close();
    await other.client.close();
    await server.stop();
  });

  it('lets exactly one of several contenders run the work; the others are told who holds it', async () => {
    const { results, maxRunning } = await contend([w, other], 'recompute', 50);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(maxRunning).toBe(1);
    for (const r of results.filter((x) => x.status === 'rejected')) expect(r.reason).toBeInstanceOf(LeaseHeld);
    // released: the next one gets it
    await expect(withLease(w, 'recompute', 'e', () => Promise.resolve('again'), { settleMs: 10 })).resolves.toBe(
      'again',
    );
  });

  it('takes over a lease whose holder died once its claim expires', async () => {
    await deadClaim(w, 'migrate', 400);
    await expect(withLease(w, 'migrate', 'me', () => Promise.resolve(1), { settleMs: 10 })).rejects.toThrow(
      'lease "migrate" is held by dead-process',
    );
    await new Promise((r) => setTimeout(r, 500));
    await expect(withLease(w, 'migrate', 'me', () => Promise.resolve(2), { settleMs: 10 })).resolves.toBe(2);
  });
});

describe('leases on an embedded store: held in the one process chdb lets open it', () => {
  let w: Warehouse;
  let other: Warehouse;
  beforeAll(async () => {
    w = await freshWarehouse();
    other = createWarehouse({ dataDir: workerDataDir() }); // the same data directory, as a second client would
  });
  afterAll(async () => {
    await other.client.close();
    await w.client.close();
  });

  it('refuses the store to a second process (the premise: every contender is in this one)', async () => {
    const script = `import { createWarehouse, queryRows } from '@ent-observatory/warehouse';
const w = createWarehouse({ dataDir: process.argv[1] });
await queryRows(w.client, 'SELECT 1');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, workerDataDir()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/Cannot lock file .*status/);
    // This process's store is untouched.
    expect(await queryRows<{ one: number }>(w.client, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('lets exactly one of several contenders run the work, on any client of the store, without writing claims', async () => {
    const { results, maxRunning } = await contend([w, other], 'recompute', 50);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(maxRunning).toBe(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(LeaseHeld);
      expect((r.reason as LeaseHeld).holder).toMatch(/^[abcd]$/);
    }
    const [claims] = await queryRows<{ n: string }>(
      w.client,
      `SELECT toString(count()) AS n FROM ${TABLES.leases} WHERE name = 'recompute'`,
    );
    expect(claims?.n).toBe('0');
    await expect(withLease(other, 'recompute', 'e', () => Promise.resolve('again'))).resolves.toBe('again');
  });

  it('is released when the work fails', async () => {
    await expect(withLease(w, 'migrate', 'me', () => Promise.reject(new Error('half-way')))).rejects.toThrow(
      'half-way',
    );
    await expect(withLease(w, 'migrate', 'me', () => Promise.resolve(3))).resolves.toBe(3);
  });

  it('ignores a claim a killed process left in `leases`: no one else can hold the store', async () => {
    await deadClaim(w, 'migrate', 60_000);
    await expect(withLease(w, 'migrate', 'me', () => Promise.resolve(4))).resolves.toBe(4);
  });

  it("counts this process's announcements only: a killed writer's is not a second writer", async () => {
    await deadClaim(w, 'lrs-writer', 60_000);
    expect(await presentHolders(w, 'lrs-writer')).toEqual([]);
    const api = announce(w, 'lrs-writer', 'api:here');
    await api.ready;
    const cli = announce(other, 'lrs-writer', 'cli:here');
    expect(await presentHolders(other, 'lrs-writer')).toEqual(['api:here', 'cli:here']);
    await api.stop();
    expect(await presentHolders(w, 'lrs-writer')).toEqual(['cli:here']);
    await cli.stop();
    expect(await presentHolders(w, 'lrs-writer')).toEqual([]);
  });
});
