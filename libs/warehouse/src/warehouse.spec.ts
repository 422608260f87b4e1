import type { Warehouse } from './client.js';
import { loadMigrations, migrate } from './migrate.js';
import { checkParams, command, queryRows } from './query.js';
import { TABLES } from './tables.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';

describe('warehouse on embedded chdb', () => {
  let w: Warehouse;
  beforeAll(async () => {
    w = await freshWarehouse();
  });
  afterAll(async () => {
    await w.client.close();
  });

  it('runs on chdb under the data directory', () => {
    expect(w.mode).toBe('embedded');
    expect(w.location).toMatch(/ent-observatory-tests\/run-\d+\/worker-\d+\/clickhouse$/);
  });

  it('records each migration once and applies nothing the second time', async () => {
    expect(await migrate(w)).toEqual([]);
    const recorded = await queryRows<{ version: number; name: string }>(
      w.client,
      `SELECT version, name FROM ${TABLES.migrations} ORDER BY version`,
    );
    expect(recorded.map((r) => r.name)).toEqual(loadMigrations().map((m) => m.name));
  });

  it('answers a short query while a long one runs (several chdb sessions on one directory)', async () => {
    const finished: string[] = [];
    const long = queryRows(w.client, 'SELECT sleep(1) AS s').then(() => finished.push('long'));
    await new Promise((r) => setTimeout(r, 50));
    await queryRows(w.client, 'SELECT 1 AS one').then(() => finished.push('short'));
    await long;
    expect(finished).toEqual(['short', 'long']);
  });

  it('passes values only as typed parameters', async () => {
    const rows = await queryRows<{ v: string }>(w.client, 'SELECT {s:String} AS v', {
      s: "l'élève; DROP TABLE statements",
    });
    expect(rows).toEqual([{ v: "l'élève; DROP TABLE statements" }]);
  });

  it('refuses a placeholder without value and a value without placeholder', () => {
    expect(() => checkParams('SELECT {a:UInt8}', {})).toThrow('SQL parameter {a} has no value');
    expect(() => checkParams('SELECT 1', { a: 1 })).toThrow('parameter "a" is not used by the SQL');
  });

  it('finds voided statements by voiding target through its skip index', async () => {
    const target = '0d2b2f8e-9c1e-4c11-8a3f-2b1f1f6d7a01';
    await w.client.insert({
      table: TABLES.statements,
      format: 'JSONEachRow',
      values: [
        {
          id: '0d2b2f8e-9c1e-4c11-8a3f-2b1f1f6d7a02',
          stored: '2026-01-05 10:00:00.000',
          timestamp: '2026-01-05 10:00:00.000',
          actor_ifi: 'mbox:mailto:a@b.fr',
          actor_type: 'Agent',
          verb_id: 'http://adlnet.gov/expapi/verbs/voided',
          object_id: target,
          object_type: 'StatementRef',
          voiding_target: target,
          version: '1.0.0',
          raw: '{}',
        },
      ],
    });
    const sql = `SELECT count() AS n FROM ${TABLES.statements} WHERE voiding_target = {id:UUID}`;
    const [row] = await queryRows<{ n: string | number }>(w.client, sql, { id: target });
    expect(Number(row?.n)).toBe(1);
    const plan = await queryRows<{ explain: string }>(w.client, `EXPLAIN indexes = 1 ${sql}`, { id: target });
    expect(plan.map((l) => l.explain).join('\n')).toContain('idx_voiding');
    await command(w.client, `TRUNCATE TABLE ${TABLES.statements}`);
  });
});
