import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RECOMPUTE_LEASE, dirtyMonths } from '@ent-observatory/indicators';
import { TABLES, type Warehouse, createWarehouse, loadMigrations, queryRows } from '@ent-observatory/warehouse';
import { activityRow, threeMonthsOfPupils } from './support/activity.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouse-server.js';
import { LrsProcess, freePort } from './support/lrs-process.js';
import { testRoot } from './support/paths.js';

const CLI = join(process.cwd(), 'apps/api/dist/cli/main.js');

/** The CLI as an operator runs it, on the same ClickHouse server, while the APIs run. */
function cli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

async function sumOf(w: Warehouse, sql: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(w.client, `SELECT toString(${sql}) AS n`);
  return Number(row?.n);
}

describe('two API processes and the CLI at once on one ClickHouse server (served by chdb over HTTP)', () => {
  let clickhouse: ClickHouseServer;
  let apis: LrsProcess[];
  let w: Warehouse;
  const dirs: string[] = [];
  const dir = (prefix: string) => {
    const d = mkdtempSync(join(testRoot(), prefix));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    clickhouse = await startClickHouseServer();
    apis = [];
    for (const name of ['api-a-', 'api-b-'])
      apis.push(new LrsProcess(dir(name), await freePort(), { CLICKHOUSE_URL: clickhouse.url }));
    // Both start at once on an empty database: both find every migration pending.
    await Promise.all(apis.map((a) => a.start()));
    w = createWarehouse({ url: clickhouse.url, dataDir: dir('client-') });
  });
  afterAll(async () => {
    await Promise.all(apis.map((a) => a.stop()));
    await w.client.close();
    await clickhouse.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('applies every migration exactly once though two processes started at once', async () => {
    const rows = await queryRows<{ version: number; n: string }>(
      w.client,
      `SELECT version, toString(count()) AS n FROM ${TABLES.migrations} GROUP BY version ORDER BY version`,
    );
    expect(rows.map((r) => Number(r.version))).toEqual(loadMigrations().map((m) => m.version));
    expect(rows.filter((r) => r.n !== '1')).toEqual([]);
  });

  it('recomputes the visit rollups one process at a time: the same figures as one process alone', async () => {
    await w.client.insert({
      table: TABLES.statements,
      values: threeMonthsOfPupils().map(activityRow),
      format: 'JSONEachRow',
    });
    // Both APIs' catch-ups see the months dirty within 2 s; the CLI's export recomputes first too.
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir('cli-'), CLICKHOUSE_URL: clickhouse.url };
    const exported = await cli(env, 'dnma:export', '--week', '2025-10-06', '--scope', 'national', '--out', dir('out-'));
    expect(exported).toMatchObject({ code: 0 });
    for (let i = 0; i < 120; i++) {
      const [held] = await queryRows<{ n: string }>(
        w.client,
        `SELECT toString(count()) AS n FROM (SELECT claim FROM ${TABLES.leases} WHERE name = {name:String}
           GROUP BY claim HAVING argMax(expires, stamped) > now64(6, 'UTC'))`,
        { name: RECOMPUTE_LEASE },
      );
      if ((await dirtyMonths(w)).length === 0 && held?.n === '0') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await dirtyMonths(w)).toEqual([]);
    // 3 months × 6 days × 6 pupils × 3 visits, ENT-wide and again in each pupil's one service.
    expect(await sumOf(w, `(SELECT sum(visits) FROM ${TABLES.visitPerson} WHERE grain = 'month')`)).toBe(648);
    expect(await sumOf(w, `(SELECT sum(visits) FROM ${TABLES.visitPerson} WHERE grain = 'day')`)).toBe(648);
    expect(
      await sumOf(w, `(SELECT sum(visits) FROM ${TABLES.visitCube} WHERE level = 'dept_total' AND grain = 'month')`),
    ).toBe(324);
    expect(await sumOf(w, `(SELECT sum(visits) FROM ${TABLES.visitStarts})`)).toBe(324);
  });

  it('tells each API that another one accepts statements on the same database', async () => {
    for (const api of apis) {
      const health = (await (await fetch(`${api.url}/health`)).json()) as { status: string; lrs: { writers: number } };
      expect(health).toMatchObject({ status: 'degraded', lrs: { writers: 2 } });
    }
  });
});
