import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { type TestServer, scrapeMetrics, startServer, xapiHeaders } from './support/server.js';
import { makeStatement } from './support/statements.js';

describe('volume through the full HTTP path', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('stores 10,000 statements posted as concurrent batches, each exactly once', async () => {
    const batches = Array.from({ length: 100 }, (_, b) =>
      Array.from({ length: 100 }, (_, i) => makeStatement(b * 100 + i)),
    );
    const ids: string[] = [];
    // 8 clients posting at once, as ENT platforms would
    for (let start = 0; start < batches.length; start += 8) {
      const responses = await Promise.all(
        batches.slice(start, start + 8).map((batch) =>
          fetch(`${server.url}/xapi/statements`, {
            method: 'POST',
            headers: xapiHeaders(),
            body: JSON.stringify(batch),
          }),
        ),
      );
      for (const r of responses) {
        expect(r.status).toBe(200);
        ids.push(...((await r.json()) as string[]));
      }
    }
    expect(new Set(ids).size).toBe(10_000);
    await server.settle();
    const [row] = await queryRows<{ n: string; actors: string }>(
      server.warehouse.client,
      `SELECT count() AS n, uniqExact(actor_ifi) AS actors FROM ${TABLES.statements}`,
    );
    expect(Number(row?.n)).toBe(10_000);
    expect(Number(row?.actors)).toBe(10_000);
    const metrics = await scrapeMetrics(server.url);
    expect(metrics).toMatch(/^xapi_statements_stored_total 10000$/m);
    expect(metrics).toMatch(/^clickhouse_insert_batch_rows_count \d+$/m);
  });
});
