import { jest } from '@jest/globals';
import { TABLES, type Warehouse } from '@ent-observatory/warehouse';
import { activityRow, threeMonthsOfPupils } from '../../../../test/support/activity.js';
import { freshWarehouse } from '../../../../test/support/warehouse.js';
import type { Env } from '../config/env.js';
import { VisitRollupsService } from './visit-rollups.service.js';

describe('VisitRollupsService.current', () => {
  let w: Warehouse;
  let reads: string[];
  let counted: Warehouse;

  beforeAll(async () => {
    w = await freshWarehouse();
    await w.client.insert({
      table: TABLES.statements,
      values: threeMonthsOfPupils().map(activityRow),
      format: 'JSONEachRow',
    });
    reads = [];
    // The same warehouse, its queries recorded.
    const query = w.client.query.bind(w.client);
    const client = Object.create(w.client) as Warehouse['client'];
    client.query = (params: Parameters<typeof query>[0]) => {
      reads.push(params.query);
      return query(params);
    };
    counted = { ...w, client };
  });
  afterAll(async () => {
    await w.client.close();
  });

  it('tells what the last catch-up found without reading it again while that is recent, then reads it', async () => {
    const env = { ROLLUP_WAIT_MS: 2000, ROLLUP_IDLE_FACTOR: 1, ROLLUP_MAX_THREADS: 1 } as Env;
    const service = new VisitRollupsService(counted, env);
    const caughtUp = await service.settle();
    expect(caughtUp?.days).toHaveLength(18);
    reads.length = 0;
    const first = await service.current();
    const second = await service.current();
    expect(reads).toEqual([]);
    expect(first.asOf).toBe(caughtUp?.asOf);
    expect(second.asOf).toBe(caughtUp?.asOf);
    // Older than two background intervals: read again (and now nothing is pending: "now").
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockReturnValue(now + 5_000);
    try {
      const read = await service.current();
      expect(reads).toHaveLength(1);
      expect(Date.parse(read.asOf ?? '')).toBeGreaterThanOrEqual(Date.parse(caughtUp?.asOf ?? ''));
    } finally {
      later.mockRestore();
    }
  });
});
