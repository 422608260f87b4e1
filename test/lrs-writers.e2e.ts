import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouse-server.js';
import { testRoot } from './support/paths.js';
import { type TestServer, scrapeMetrics, startServer } from './support/server.js';

interface Health {
  status: string;
  clickhouse: { status: string; mode: string };
  lrs: { writers: number };
}

async function health(server: TestServer): Promise<Health> {
  return (await (await fetch(`${server.url}/health`)).json()) as Health;
}

describe('one LRS writer per ClickHouse database, and a signal when a second one starts', () => {
  let clickhouse: ClickHouseServer;
  let first: TestServer;
  const dirs: string[] = [];
  const dir = (prefix: string) => {
    const d = mkdtempSync(join(testRoot(), prefix));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    clickhouse = await startClickHouseServer();
    // Each instance has its own DATA_DIR (journal, attachments) and shares the database, as on two hosts.
    first = await startServer({ CLICKHOUSE_URL: clickhouse.url, DATA_DIR: dir('writer-a-') }, { keepData: true });
  });
  afterAll(async () => {
    await first.close();
    await clickhouse.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('reports degraded on /health and 2 writers in /metrics while a second instance runs, up again after', async () => {
    expect(await health(first)).toMatchObject({ status: 'up', clickhouse: { mode: 'server' }, lrs: { writers: 1 } });
    const second = await startServer(
      { CLICKHOUSE_URL: clickhouse.url, DATA_DIR: dir('writer-b-') },
      { keepData: true },
    );
    try {
      expect(await health(first)).toMatchObject({ status: 'degraded', lrs: { writers: 2 } });
      expect(await health(second)).toMatchObject({ status: 'degraded', lrs: { writers: 2 } });
      expect(await scrapeMetrics(first.url)).toMatch(/^lrs_writers 2$/m);
    } finally {
      await second.close();
    }
    expect(await health(first)).toMatchObject({ status: 'up', lrs: { writers: 1 } });
    expect(await scrapeMetrics(first.url)).toMatch(/^lrs_writers 1$/m);
  });
});
