import { TABLES, type Warehouse, createWarehouse, migrate, queryRows } from '@ent-observatory/warehouse';
import { type RefreshOptions, refreshVisitRollups } from '@ent-observatory/indicators';
import { type ActivityEvent, threeMonthsOfPupils } from './support/activity.js';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouse-server.js';
import { figures, insert, reference } from './support/visit-figures.js';

/**
 * The visit catch-up (libs/indicators visit-rollup.ts) killed for real: the ClickHouse engine behind it is
 * `kill -9`ed, restarted on the same data directory, and the next catch-up must leave every figure equal to the
 * full recomputation: nothing counted twice, nothing lost. The kills fall at the instants that matter, made certain
 * by the catch-up's `afterMove` hook (right after each of the three stage tables is moved in: the stage recorded
 * complete, some tables moved, the cursor not yet written), and at instants spread over a catch-up's duration
 * (while it computes its stages). visit-rollup-incremental.spec.ts covers the same windows by throwing from the hook.
 */

/** The catch-up's options: no in-flight margin, and a short lease, since a killed holder never releases it. */
const OPTIONS: RefreshOptions = {
  inFlightMarginSeconds: 0,
  lease: { ttlMs: 1_500, settleMs: 50 },
  leaseWaitMs: 30_000,
};

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
  /** Kills the engine, waits for the catch-up to end, restarts on the same directory: did the kill interrupt it? */
  const killDuring = async (catchUp: Promise<unknown>, kill: () => Promise<void>) => {
    const ended = catchUp.then(
      () => 'finished',
      () => 'interrupted',
    );
    await kill();
    const outcome = await ended;
    await w.client.close();
    await open(server.dir);
    return outcome;
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
    await insert(w, threeMonthsOfPupils());
    await refreshVisitRollups(w, OPTIONS);

    // Killed right after each stage table is moved in: a stage recorded complete and partly moved.
    let k = 0;
    for (const table of [TABLES.visitPerson, TABLES.visitStarts, TABLES.visitCube]) {
      await insert(w, arrival(++k));
      let dying: Promise<void> | undefined;
      const catchUp = refreshVisitRollups(w, {
        ...OPTIONS,
        afterMove: (moved) => {
          if (moved === table) dying ??= server.kill();
        },
      });
      const outcome = await killDuring(catchUp, async () => {
        await catchUp.catch(() => undefined);
        await dying;
      });
      expect({ table, outcome, killed: dying !== undefined }).toEqual({ table, outcome: 'interrupted', killed: true });
      // What the dead catch-up left: its stage recorded complete, for the next one to finish.
      const [ready] = await queryRows<{ n: string }>(w.client, `SELECT count() AS n FROM ${TABLES.visitStageReady}`);
      expect(Number(ready?.n)).toBe(1);
    }

    // Killed at instants spread over a catch-up's duration (mostly while it computes its stages).
    await insert(w, arrival(++k));
    const started = performance.now();
    const clean = await refreshVisitRollups(w, OPTIONS);
    const duration = performance.now() - started;
    expect(clean.days.length).toBeGreaterThan(3);
    const TRIALS = 4;
    let interrupted = 0;
    for (let t = 1; t <= TRIALS; t++) {
      await insert(w, arrival(++k));
      const catchUp = refreshVisitRollups(w, OPTIONS);
      const outcome = await killDuring(catchUp, async () => {
        await new Promise((r) => setTimeout(r, (duration * t) / (TRIALS + 1)));
        await server.kill();
      });
      if (outcome === 'interrupted') interrupted += 1;
    }
    expect(interrupted).toBeGreaterThanOrEqual(TRIALS / 2);

    await refreshVisitRollups(w, OPTIONS);
    const incremental = await figures(w);
    expect(incremental).toEqual(await reference(w));
  });
});
