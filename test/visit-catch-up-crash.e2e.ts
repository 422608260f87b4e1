import { type Warehouse, createWarehouse, migrate } from '@ent-observatory/warehouse';
import { refreshVisitRollups } from '@ent-observatory/indicators';
import { type ActivityEvent, activityRow, threeMonthsOfPupils } from './support/activity.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouse-server.js';
import { figures, reference } from './support/visit-figures.js';

/**
 * The visit catch-up (libs/indicators visit-rollup.ts) killed for real: the ClickHouse engine behind it is
 * `kill -9`ed at instants spread over a catch-up's duration (while it computes stages, moves partitions, records
 * its cursor), restarted on the same data directory, and the next catch-up must leave every figure equal to the
 * full recomputation: nothing counted twice, nothing lost. visit-rollup-incremental.spec.ts covers the same windows
 * by throwing from a hook; this is the operator's worst day.
 */

/** The catch-up's options: no in-flight margin, and a short lease, since a killed holder never releases it. */
const OPTIONS = { inFlightMarginSeconds: 0, lease: { ttlMs: 1_500, settleMs: 50 }, leaseWaitMs: 30_000 };

/** Statements of trial `k`: new pupils and late statements of known ones, over three weeks across two months. */
function arrival(k: number): ActivityEvent[] {
  const out: ActivityEvent[] = [];
  for (const day of ['2025-10-27', '2025-10-30', '2025-11-03', '2025-11-06', '2025-11-12', '2025-11-17'])
    for (let p = 0; p < 8; p++)
      out.push({
        actor: p < 4 ? `pupil-${p}` : `pupil-k${k}-${p}`,
        at: `${day}T${String(7 + ((p + k) % 10)).padStart(2, '0')}:${String((k * 11 + p * 7) % 60).padStart(2, '0')}:00.000Z`,
        service: (p + k) % 3 === 0 ? 'notes' : 'cahier_textes',
        device: (p + k) % 4 === 0 ? 'smartphone' : 'ordinateur',
        ...(p === 7 ? { uai: '0350002B' } : {}),
      });
  return out;
}

describe('visit catch-up after kill -9 of the engine', () => {
  let server: ClickHouseServer;
  let w: Warehouse;

  const open = async (dir?: string) => {
    server = await startClickHouseServer(dir ? { dir } : {});
    w = createWarehouse({ url: server.url, dataDir: server.dir });
  };

  beforeAll(async () => {
    await open();
    await migrate(w);
  });
  afterAll(async () => {
    await w.client.close();
    await server.stop();
  });

  it('ends with the figures of the full recomputation, whatever instant the engine died at', async () => {
    const insert = (events: ActivityEvent[]) =>
      w.client.insert({ table: 'statements', values: events.map(activityRow), format: 'JSONEachRow' });
    await insert(threeMonthsOfPupils());
    await refreshVisitRollups(w, OPTIONS);
    // How long a catch-up of one arrival takes here: the kills are spread over it.
    await insert(arrival(0));
    const started = performance.now();
    const clean = await refreshVisitRollups(w, OPTIONS);
    const duration = performance.now() - started;
    expect(clean.days.length).toBeGreaterThan(3);

    const TRIALS = 6;
    let interrupted = 0;
    for (let k = 1; k <= TRIALS; k++) {
      await insert(arrival(k));
      const catchUp = refreshVisitRollups(w, OPTIONS).then(
        () => 'finished',
        () => 'interrupted',
      );
      await new Promise((r) => setTimeout(r, (duration * k) / (TRIALS + 1)));
      await server.kill();
      if ((await catchUp) === 'interrupted') interrupted += 1;
      await w.client.close();
      await open(server.dir);
    }
    // The kills fell inside catch-ups (not all after one had finished), or the test proves nothing.
    expect(interrupted).toBeGreaterThanOrEqual(TRIALS / 2);

    await refreshVisitRollups(w, OPTIONS);
    const incremental = await figures(w);
    expect(incremental).toEqual(await reference(w));
  });
});
