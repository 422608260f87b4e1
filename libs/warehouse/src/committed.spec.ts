import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { type Warehouse, createWarehouse } from './client.js';
import { committedBefore } from './committed.js';
import { command } from './query.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { type ClickHouseServer, startClickHouseServer } from '../../../test/support/clickhouse-server.js';
import { testRoot } from '../../../test/support/paths.js';

/** committedBefore's instant, in ms since the epoch. */
async function instant(w: Warehouse, marginMs = 0, notAfter?: number): Promise<number> {
  return Date.parse(`${(await committedBefore(w, marginMs, notAfter)).replace(' ', 'T')}Z`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The instant before which every inserted row is committed (what the visit rollups' catch-up records as counted):
 * never later than the start of an insert still running, whatever its length, on both paths.
 */
function holdsBeforeRunningInserts(
  mode: string,
  open: () => Promise<Warehouse>,
  close: (w: Warehouse) => Promise<void>,
) {
  describe(`committedBefore (${mode})`, () => {
    let w: Warehouse;
    beforeAll(async () => {
      w = await open();
      await command(w.client, 'DROP TABLE IF EXISTS committed_probe');
      await command(w.client, 'CREATE TABLE committed_probe (x UInt64) ENGINE = MergeTree ORDER BY x');
    });
    afterAll(async () => {
      await close(w);
    });

    it('is now less the margin when no insert runs', async () => {
      const before = Date.now();
      const at = await instant(w);
      expect(at).toBeGreaterThanOrEqual(before - 2);
      expect(at).toBeLessThanOrEqual(Date.now());
      const withMargin = await instant(w, 5_000);
      expect(withMargin).toBeLessThanOrEqual(Date.now() - 5_000);
      expect(withMargin).toBeGreaterThan(Date.now() - 6_000);
      // What only the caller knows (the LRS journal's Consistent-Through) bounds it further.
      const journaled = Date.now() - 10_000;
      expect(await instant(w, 0, journaled)).toBe(journaled);
    });

    it('stays before the start of an insert still running, then passes it once the insert has committed', async () => {
      const sent = Date.now();
      // One row that takes 1.5 s to produce: the insert runs (and commits nothing) meanwhile.
      const slow = command(
        w.client,
        'INSERT INTO committed_probe SELECT number FROM numbers(1) WHERE sleepEachRow(1.5) = 0',
      );
      await sleep(700);
      const during = await instant(w);
      expect(during).toBeLessThan(sent + 200);
      expect(during).toBeGreaterThan(sent - 1_000);
      await slow;
      const done = Date.now();
      expect(await instant(w)).toBeGreaterThanOrEqual(done - 2);
    });

    if (mode.startsWith('embedded')) {
      it('stays before the start of an insert of bytes (chdb rawInsert) still running', async () => {
        const lines = Buffer.from(Array.from({ length: 400_000 }, (_, i) => `[${i}]`).join('\n'));
        const started = Date.now();
        const insert = w.rawInsert?.({
          table: 'committed_probe',
          columns: ['x'],
          format: 'JSONCompactEachRow',
          values: lines,
          settings: {},
        });
        const registered = Date.now();
        const during = instant(w);
        await insert;
        expect(await during).toBeLessThan(registered);
        expect(await during).toBeGreaterThanOrEqual(started - 1);
        expect(await instant(w)).toBeGreaterThan(registered);
      });
    }

    it('refuses a margin that is not a whole number of milliseconds', async () => {
      await expect(committedBefore(w, -1)).rejects.toThrow(/bad margin/);
      await expect(committedBefore(w, 1.5)).rejects.toThrow(/bad margin/);
    });
  });
}

holdsBeforeRunningInserts(
  'embedded chdb',
  () => freshWarehouse(),
  (w) => w.client.close(),
);

let server: ClickHouseServer;
holdsBeforeRunningInserts(
  'ClickHouse server over HTTP',
  async () => {
    server = await startClickHouseServer();
    return createWarehouse({ url: server.url, dataDir: mkdtempSync(join(testRoot(), 'committed-client-')) });
  },
  async (w) => {
    await w.client.close();
    await server.stop();
  },
);
