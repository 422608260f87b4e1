// `npm run bench -- rollups [--sizes 10000000,100000000] [--arrival 1000000]`: the cost of catching the visit
// rollups up with 1M new statements, on stores of several sizes, incrementally (libs/indicators visit-rollup.ts:
// the dirty person-days recounted, deltas moved in) and, on the same store in the same run, the way it was
// done before migration 058 (the whole calendar month recomputed and swapped in: recomputeMonth).
//
// Each store is built inside ClickHouse (bench/rollups-store.mjs), so that it holds N statements' worth of activity
// (sum of events = N): 10 school days (2025-11-03 … 2025-11-14), 500 people per establishment each active every day,
// so the establishments are N / 50,000 (200 at 10M, 2,000 at 100M) and a day holds N / 10 statements.
// The rollups of the store are then counted day by day by the incremental catch-up (each day marked whole, which
// for a new day counts what marks by person would). The arrival: 1M statements of the next school day (2025-11-17, a new week of the
// same month), for as many establishments as 1M statements need (all 200 at 10M, 1 in 10 at 100M), marked, then
// caught up (timed). Then the old whole-month recomputation of November on the same store (timed). Each timed step
// starts once no background merge runs in the store.
//
// Env: BENCH_ROLLUPS_DIR (default <tmp>/ent-observatory-bench/rollups); a store is rebuilt at each run.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWarehouse, migrate, queryRows } from '@ent-observatory/warehouse';
import { heatmapSql, recomputeMonth, refreshVisitRollups } from '@ent-observatory/indicators';
import { DAYS, PEOPLE, PER_PERSON_DAY, fillDay, one, settled } from './rollups-store.mjs';
import { flag, machine, numberFlag, writeResults } from './support.mjs';

const SIZES = String(flag('sizes', '10000000,100000000')).split(',').map(Number);
const ARRIVAL = numberFlag('arrival', 1_000_000);
const ROOT = process.env.BENCH_ROLLUPS_DIR ?? join(tmpdir(), 'ent-observatory-bench', 'rollups');
const NEW_DAY = '2025-11-17';

/** Median of 5 timed runs of a query (ms), after one warm-up. */
async function median(w, sql) {
  await queryRows(w.client, sql);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await queryRows(w.client, sql);
    times.push(performance.now() - t);
  }
  return Math.round(times.sort((a, b) => a - b)[2]);
}

async function measure(size) {
  const dir = join(ROOT, String(size));
  rmSync(dir, { recursive: true, force: true });
  const w = createWarehouse({ dataDir: dir });
  await migrate(w);
  const establishments = Math.round(size / DAYS.length / PEOPLE / PER_PERSON_DAY);
  const arriving = Math.min(establishments, Math.round(ARRIVAL / PEOPLE / PER_PERSON_DAY));
  const options = { inFlightMarginSeconds: 0 };
  let t = performance.now();
  for (const day of DAYS) {
    await fillDay(w, day, 0, establishments);
    await refreshVisitRollups(w, options);
    process.stdout.write(`  ${size}: ${day} counted (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  }
  const buildSeconds = (performance.now() - t) / 1000;
  const stored = await one(w, 'SELECT sum(events) FROM activity_actor_daily');
  const personRows = await one(w, 'SELECT count() FROM visit_person');
  await fillDay(w, NEW_DAY, 0, arriving);
  const arrived = (await one(w, 'SELECT sum(events) FROM activity_actor_daily')) - stored;
  const arrivedPersonDays = await one(
    w,
    `SELECT uniqExact(actor_pseudonym) FROM activity_actor_daily WHERE day = '${NEW_DAY}'`,
  );
  await settled(w);
  t = performance.now();
  const caught = await refreshVisitRollups(w, options);
  const incrementalSeconds = (performance.now() - t) / 1000;
  const visitsAfter = await one(w, "SELECT sum(visits) FROM visit_person WHERE grain = 'month'");
  // What reading visit_starts net of deltas costs a view: the national heat map of the month, as the views read it
  // (each cell's rows summed first), and as it was read before migration 058 (one row per cell assumed).
  await settled(w);
  const heatmapNetMs = await median(w, heatmapSql('1'));
  const heatmapPlainMs = await median(
    w,
    `SELECT toDayOfWeek(day) AS weekday, hour, sum(visits) AS visits, uniqCombined(12)(person) AS users
     FROM visit_starts GROUP BY weekday, hour`,
  );
  // The old way, on the same store: November recomputed whole and swapped in (the same lease).
  await settled(w);
  t = performance.now();
  await recomputeMonth(w, '2025-11-01');
  const monthSeconds = (performance.now() - t) / 1000;
  const visitsFull = await one(w, "SELECT sum(visits) FROM visit_person WHERE grain = 'month'");
  if (visitsFull !== visitsAfter) throw new Error(`incremental ${visitsAfter} visits, full ${visitsFull}`);
  const disk = await one(
    w,
    `SELECT sum(bytes_on_disk) FROM system.parts WHERE active AND database = currentDatabase()
       AND table IN ('activity_actor_daily', 'visit_person', 'visit_cube', 'visit_starts')`,
  );
  await w.client.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    storeStatements: stored,
    establishments,
    visitPersonRows: personRows,
    buildSeconds: Number(buildSeconds.toFixed(1)),
    arrivalStatements: arrived,
    arrivalEstablishments: arriving,
    arrivalPersonDays: arrivedPersonDays,
    incrementalCatchUpSeconds: Number(incrementalSeconds.toFixed(2)),
    daysCounted: caught.days,
    wholeMonthSeconds: Number(monthSeconds.toFixed(2)),
    ratio: Number((monthSeconds / incrementalSeconds).toFixed(1)),
    heatmapNetMs,
    heatmapPlainMs,
    diskMiB: Math.round(disk / 2 ** 20),
    novemberVisits: visitsFull,
  };
}

const results = [];
for (const size of SIZES) {
  process.stdout.write(`store of ${size} statements\n`);
  results.push(await measure(size));
  process.stdout.write(`${JSON.stringify(results.at(-1))}\n`);
}
const m = machine();
const rows = results
  .map(
    (r) =>
      `| ${(r.storeStatements / 1e6).toFixed(0)}M | ${r.establishments} | ${(r.visitPersonRows / 1e6).toFixed(1)}M | ` +
      `${(r.arrivalStatements / 1e6).toFixed(1)}M (${(r.arrivalPersonDays / 1e3).toFixed(0)}k person-days) over ${r.arrivalEstablishments} | **${r.incrementalCatchUpSeconds} s** | ` +
      `${r.wholeMonthSeconds} s | ${r.ratio}× |`,
  )
  .join('\n');
const markdown = `# Visit rollups: catching up 1M new statements (${new Date().toISOString().slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.slice(1)}, chdb (embedded), shared with other work.
Run: \`npm run bench -- rollups --sizes ${SIZES.join(',')}\` (bench/rollups.mjs says exactly how each store is built:
activity_actor_daily filled inside ClickHouse from a fixed pattern, 10 school days of November 2025, 10 statements per
person-day, 500 people per establishment; the rollups then counted day by day by the incremental catch-up).

The arrival: ${(ARRIVAL / 1e6).toFixed(0)}M statements of the next school day (${NEW_DAY}), marked as the materialized
view marks them. *Incremental*: \`refreshVisitRollups\` (the dirty days × establishments recounted, signed deltas moved
into visit_person, visit_starts, visit_cube). *Whole month*: what a catch-up did before migration 058 for the same
arrival — November recomputed from activity_actor_daily and swapped in (\`recomputeMonth\`), on the same store right
after; both end with the same November visits (checked).

| store | establishments | visit_person rows | arrival | incremental catch-up | whole month (before) | ratio |
|---|---|---|---|---|---|---|
${rows}

Reading \`visit_starts\` net of the deltas (the cells of persons with a negative row summed before people are
counted, libs/indicators time.ts): the national heat map of the month right after the catch-up, median of 5 —
${results.map((r) => `${(r.storeStatements / 1e6).toFixed(0)}M: ${r.heatmapNetMs} ms (read as one row per cell, as before migration 058: ${r.heatmapPlainMs} ms)`).join('; ')}.
`;
writeResults('rollups', { machine: m, date: new Date().toISOString(), arrival: ARRIVAL, results }, markdown);
