import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { type Warehouse, createWarehouse } from './client.js';
import { insertLinesOnce, isDataError } from './insert.js';
import { command, queryRows } from './query.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { type ClickHouseServer, startClickHouseServer } from '../../../test/support/clickhouse-server.js';
import { testRoot } from '../../../test/support/paths.js';

/**
 * insertLinesOnce answers alike on both paths: embedded, the bytes go to chdb as they are (rawInsert); with a
 * server, through the HTTP client. The same lines, tokens and refused row give the same tables on each.
 */
function insertsOnce(mode: string, open: () => Promise<Warehouse>, close: (w: Warehouse) => Promise<void>) {
  describe(`insertLinesOnce (${mode})`, () => {
    let w: Warehouse;
    const rows = async (table: string) =>
      queryRows<{ a: number; s: string }>(w.client, `SELECT a, s FROM ${table} ORDER BY a`);
    beforeAll(async () => {
      w = await open();
      for (const t of ['insert_once_view', 'insert_once_copy', 'insert_once']) {
        await command(w.client, `DROP TABLE IF EXISTS ${t}`);
      }
      const settings = 'SETTINGS non_replicated_deduplication_window = 100';
      await command(w.client, `CREATE TABLE insert_once (a UInt8, s String) ENGINE = MergeTree ORDER BY a ${settings}`);
      await command(
        w.client,
        `CREATE TABLE insert_once_copy (a UInt8, s String) ENGINE = MergeTree ORDER BY a ${settings}`,
      );
      await command(
        w.client,
        'CREATE MATERIALIZED VIEW insert_once_view TO insert_once_copy AS SELECT a, s FROM insert_once',
      );
    });
    afterAll(async () => {
      await close(w);
    });

    it('stores the lines byte for byte, once per token, in the table and in what its views feed', async () => {
      const lines = Buffer.from('[1,"élève \\"A\\"\\n"]\n[2,"😀"]\n', 'utf8');
      await insertLinesOnce(w, 'insert_once', ['a', 's'], lines, 'gen-1');
      await insertLinesOnce(w, 'insert_once', ['a', 's'], lines, 'gen-1');
      const expected = [
        { a: 1, s: 'élève "A"\n' },
        { a: 2, s: '😀' },
      ];
      expect(await rows('insert_once')).toEqual(expected);
      expect(await rows('insert_once_copy')).toEqual(expected);
    });

    it('refuses a block with a row ClickHouse cannot read as a data error, and stores none of it', async () => {
      const lines = Buffer.from('[3,"c"]\n["not a number","d"]\n', 'utf8');
      const refused = await insertLinesOnce(w, 'insert_once', ['a', 's'], lines, 'gen-2').then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(Error);
      expect(isDataError(refused)).toBe(true);
      expect((await rows('insert_once')).map((r) => r.a)).toEqual([1, 2]);
      expect((await rows('insert_once_copy')).map((r) => r.a)).toEqual([1, 2]);
    });

    it('is not a data error when the table is missing (retry later, set nothing aside)', async () => {
      const missing = await insertLinesOnce(w, 'insert_nowhere', ['a'], Buffer.from('[1]\n'), 'gen-3').then(
        () => null,
        (e: unknown) => e,
      );
      expect(missing).toBeInstanceOf(Error);
      expect(isDataError(missing)).toBe(false);
    });

    it('refuses a token or a name it would have to quote', async () => {
      await expect(insertLinesOnce(w, 'insert_once', ['a'], Buffer.from('[1]\n'), "x' OR 1")).rejects.toThrow(
        /invalid insert deduplication token/,
      );
      await expect(insertLinesOnce(w, 'insert_once; DROP', ['a'], Buffer.from('[1]\n'), 'ok')).rejects.toThrow(
        /invalid table or column name/,
      );
    });
  });
}

insertsOnce(
  'embedded chdb, bytes as they are',
  async () => {
    const w = await freshWarehouse();
    expect(w.rawInsert).toBeDefined();
    return w;
  },
  (w) => w.client.close(),
);

let server: ClickHouseServer;
insertsOnce(
  'ClickHouse server over HTTP',
  async () => {
    server = await startClickHouseServer();
    const w = createWarehouse({ url: server.url, dataDir: mkdtempSync(join(testRoot(), 'insert-client-')) });
    expect(w.rawInsert).toBeUndefined();
    return w;
  },
  async (w) => {
    await w.client.close();
    await server.stop();
  },
);
