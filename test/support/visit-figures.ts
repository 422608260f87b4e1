import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import {
  type Breakdown,
  heatmap,
  heatmapSql,
  recomputeVisitRollups,
  timeFigures,
  timeSlotsSql,
  visitCells,
} from '@ent-observatory/indicators';
import { type ActivityEvent, activityRow } from './activity.js';

/**
 * What the views can read from the visit rollups, for tests that compare the incremental catch-up with the full
 * recomputation (libs/indicators visit-rollup-incremental.spec.ts, test/visit-catch-up-crash.e2e.ts).
 */
const BREAKDOWNS: Breakdown[] = [
  [],
  ['day'],
  ['week'],
  ['month'],
  ['uai'],
  ['service'],
  ['profile', 'device'],
  ['departement'],
  ['sector', 'rep'],
  ['uai', 'service', 'week'],
];

/**
 * Everything a view can read from the visit rollups: every cell of every table (the days establishments were
 * measured included), and the views' own figures.
 */
export async function figures(w: Warehouse): Promise<Record<string, unknown>> {
  const rows = (sql: string) => queryRows<Record<string, unknown>>(w.client, sql);
  const person = await rows(
    `SELECT grain, toString(period) AS p, uai, ent_profile, ent_service, device, toString(person) AS who,
       sum(visits) AS v, sum(span_minutes) AS s, sum(events) AS e
     FROM ${TABLES.visitPerson} GROUP BY grain, period, uai, ent_profile, ent_service, device, person
     HAVING v != 0 OR s != 0 OR e != 0 ORDER BY ALL`,
  );
  const cube = await rows(
    `SELECT level, grain, toString(period) AS p, region, academie, departement, uai, sector, rep, ent_profile,
       ent_service, device, sum(visits) AS v, sum(span_minutes) AS s, sum(events) AS e,
       uniqCombinedMerge(12)(users) AS u
     FROM ${TABLES.visitCube}
     GROUP BY level, grain, period, region, academie, departement, uai, sector, rep, ent_profile, ent_service, device
     ORDER BY ALL`,
  );
  const starts = await rows(
    `SELECT toString(day) AS d, uai, ent_profile, hour, toString(person) AS who, sum(visits) AS v
     FROM ${TABLES.visitStarts} GROUP BY day, uai, ent_profile, hour, person HAVING v != 0 ORDER BY ALL`,
  );
  const establishmentDays = await rows(
    `SELECT DISTINCT toString(day) AS d, region, academie, departement, uai, sector, rep
     FROM ${TABLES.visitEstablishmentDays} ORDER BY ALL`,
  );
  const heat = await rows(`SELECT * FROM (${heatmapSql('1')}) ORDER BY ALL`);
  const slots = await queryRows<Record<string, unknown>>(
    w.client,
    `SELECT * FROM (${timeSlotsSql('1')}) ORDER BY ALL`,
    { off_days: ['14|2025-11-01'] },
  );
  const views: Record<string, unknown> = {};
  for (const filter of [
    { from: '2025-10-01', to: '2025-12-31' },
    { from: '2025-10-29', to: '2025-11-04' },
    { from: '2025-11-01', to: '2025-11-30', uai: '0350001A' },
  ]) {
    views[`${filter.from}/${filter.to}/${filter.uai ?? ''}`] = await visitCells(w, filter, BREAKDOWNS);
    // The time figures as the views read them (net of the deltas: merges may not have summed them yet).
    views[`time ${filter.from}/${filter.to}/${filter.uai ?? ''}`] = {
      heatmap: await heatmap(w, { filter, k: 1 }),
      figures: await timeFigures(w, { filter, k: 1, offDays: ['14|2025-11-01'] }),
    };
  }
  return { person, cube, starts, establishmentDays, heat, slots, views };
}

export async function insert(w: Warehouse, events: ActivityEvent[]): Promise<void> {
  await w.client.insert({ table: TABLES.statements, values: events.map(activityRow), format: 'JSONEachRow' });
}

/** The figures of the full recomputation of every month from what is stored now. */
export async function reference(w: Warehouse): Promise<Record<string, unknown>> {
  await recomputeVisitRollups(w, { inFlightMarginSeconds: 0 });
  return figures(w);
}
