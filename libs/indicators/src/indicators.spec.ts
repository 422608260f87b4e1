import { TABLES, type Warehouse, command, loadMigrations, queryRows } from '@ent-observatory/warehouse';
import { type ActivityEvent, insertActivity } from '../../../test/support/activity.js';
import { freshWarehouse, resetWarehouse } from '../../../test/support/warehouse.js';
import { adoption, adoptionTrend, adoptionWithTrend, overviewFigures } from './adoption.js';
import { type DeviceValue, type IndicatorFilter } from './filter.js';
import { heatmap, outsideClassTime, timeFigures, timeSlots } from './time.js';
import { indicator } from './indicator.js';
import {
  type Breakdown,
  type CellsRequest,
  exactVisitCellsSql,
  exactWhereOf,
  sourceOf,
  visitCells,
  visitCellsMany,
} from './visits.js';
import { totalOf } from './figures.js';
import { indicatorSqlCatalogue } from './sql-catalogue.js';
import { dirtyMonths, refreshVisitRollups } from './visit-rollup.js';

/** Paris calendar day and minute of the day of an instant, computed without ClickHouse. */
const parisParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function paris(at: string): { day: string; minute: number } {
  const p = Object.fromEntries(parisParts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/** The web-analytics count, independently: per person and Paris day, a new visit after a gap over 30 minutes. */
function expected(
  events: ActivityEvent[],
  keep: (e: ActivityEvent) => boolean,
  from: string,
  to: string,
  service = false,
) {
  const byPersonDay = new Map<string, { minute: number; kept: boolean }[]>();
  for (const e of events) {
    const { day, minute } = paris(e.at);
    if (day < from || day > to) continue;
    // A service's visits are counted within the person-day of one profile and device, as the rollups keep them.
    const key = service ? `${e.actor}|${day}|${e.profile ?? 'ELEVE'}|${e.device ?? 'ordinateur'}` : `${e.actor}|${day}`;
    byPersonDay.set(key, [...(byPersonDay.get(key) ?? []), { minute, kept: keep(e) }]);
  }
  let visits = 0;
  let seconds = 0;
  const users = new Set<string>();
  // Runs of sorted minutes with no gap over 30: [first, last] of each.
  const runsOf = (minutes: number[]) => {
    const sorted = [...new Set(minutes)].sort((a, b) => a - b);
    const runs: [number, number][] = [];
    for (const m of sorted) {
      const last = runs.at(-1);
      if (last && m - last[1] <= 30) last[1] = m;
      else runs.push([m, m]);
    }
    return runs;
  };
  for (const [key, all] of byPersonDay) {
    const kept = all.filter((x) => x.kept).map((x) => x.minute);
    if (kept.length === 0) continue;
    users.add(key.split('|')[0] as string);
    const own = runsOf(kept);
    seconds += own.reduce((s, [a, b]) => s + (b - a) * 60, 0);
    // A service's visits are the person-day's visits it was opened in; other cells' are their own runs.
    visits += service
      ? runsOf(all.map((x) => x.minute)).filter(([a, b]) => kept.some((m) => m >= a && m <= b)).length
      : own.length;
  }
  return { visits, users: users.size, durationSeconds: visits ? seconds / visits : null };
}

/** A deterministic pseudo-random sequence (tests must not depend on luck). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const PROFILES = ['ELEVE', 'ELEVE', 'ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL'];
const SERVICES = ['cahier_textes', 'notes', 'messagerie_instantanee', 'absences'];
const DEVICES = ['ordinateur', 'smartphone', 'tablette', ''];

/** 40 people over two weeks of January 2026, bursts of activity with gaps around 30 minutes, whole minutes. */
function sampleEvents(): ActivityEvent[] {
  const rnd = lcg(42);
  const events: ActivityEvent[] = [];
  for (let p = 0; p < 40; p++) {
    const profile = PROFILES[p % PROFILES.length] as string;
    const uai = p % 3 === 0 ? '0940001B' : '0350001A';
    const territory =
      uai === '0940001B'
        ? { region: '11', academie: '24', departement: '094' }
        : { region: '53', academie: '14', departement: '035' };
    for (let burst = 0; burst < 6; burst++) {
      const dayOffset = Math.floor(rnd() * 14);
      // Around midnight Paris (23:00 UTC) sometimes, to check the day cut.
      let t = Date.UTC(2026, 0, 5 + dayOffset, Math.floor(rnd() * 24), Math.floor(rnd() * 60));
      for (let n = 0; n < 1 + Math.floor(rnd() * 5); n++) {
        events.push({
          actor: `p${p}`,
          at: new Date(t).toISOString(),
          uai,
          ...territory,
          profile,
          service: SERVICES[Math.floor(rnd() * SERVICES.length)],
          device: DEVICES[p % DEVICES.length],
        });
        // Gaps of 5 to 45 whole minutes: some continue the visit, some open a new one.
        t += (5 + Math.floor(rnd() * 41)) * 60_000;
      }
    }
  }
  return events;
}

describe('indicators over the rollups', () => {
  let w: Warehouse;
  const events = sampleEvents();
  const week: IndicatorFilter = { from: '2026-01-05', to: '2026-01-11' };

  beforeAll(async () => {
    w = await freshWarehouse();
    // Several inserts, interleaved: one person's visit is split across insert blocks.
    for (let i = 0; i < 4; i++)
      await insertActivity(
        w,
        events.filter((_, n) => n % 4 === i),
      );
  });
  afterAll(async () => {
    await w.client.close();
  });

  it('explains every indicator query (columns and types exist)', async () => {
    const filter: IndicatorFilter = {
      ...week,
      region: '53',
      academie: '14',
      departement: '035',
      uai: '0350001A',
      scope: { academies: ['14'], uais: [] },
      profiles: ['ELEVE', 'AUTRE'],
      services: ['notes'],
      devices: ['smartphone', ''],
      sector: 'public',
      reps: ['REP+', 'none'],
    };
    const catalogue = indicatorSqlCatalogue(filter);
    expect(catalogue.length).toBeGreaterThan(10);
    for (const entry of catalogue) {
      const plan = await queryRows<{ explain: string }>(w.client, `EXPLAIN ${entry.sql}`, entry.params);
      expect({ name: entry.name, steps: plan.length > 0 }).toEqual({ name: entry.name, steps: true });
    }
  });

  it('counts visits, users and visit duration as an independent per-person count does', async () => {
    const result = await adoption(w, { filter: week, k: 1 });
    const all = expected(events, () => true, week.from, week.to);
    expect({ visits: result.visits, users: result.users }).toEqual({ visits: all.visits, users: all.users });
    expect(result.durationSeconds).toBeCloseTo(all.durationSeconds ?? 0, 6);
    for (const cell of result.byService) {
      const e = expected(events, (x) => x.service === cell.service, week.from, week.to, true);
      expect({ service: cell.service, visits: cell.visits, users: cell.users }).toEqual({
        service: cell.service,
        visits: e.visits,
        users: e.users,
      });
    }
    for (const cell of result.byProfile.filter((c) => c.users)) {
      const e = expected(events, (x) => x.profile === cell.profile, week.from, week.to);
      expect([cell.profile, cell.visits, cell.users]).toEqual([cell.profile, e.visits, e.users]);
    }
    const phone = result.byDevice.find((d) => d.device === 'smartphone');
    const e = expected(events, (x) => x.device === 'smartphone', week.from, week.to);
    expect([phone?.visits, phone?.users]).toEqual([e.visits, e.users]);
    // A visit opening several services is a visit of each: the services add up to more than the total.
    expect(result.byService.reduce((s, c) => s + (c.visits ?? 0), 0)).toBeGreaterThan(result.visits ?? 0);
  });

  it('restricts to a territory, a profile and a device', async () => {
    const filter: IndicatorFilter = { ...week, academie: '24', profiles: ['ELEVE'], devices: ['ordinateur'] };
    const result = await adoption(w, { filter, k: 1 });
    const e = expected(
      events,
      (x) => x.academie === '24' && x.profile === 'ELEVE' && x.device === 'ordinateur',
      week.from,
      week.to,
    );
    expect([result.visits, result.users]).toEqual([e.visits, e.users]);
  });

  it('counts distinct users over the period, not a sum of weekly users', async () => {
    const twoWeeks: IndicatorFilter = { from: '2026-01-05', to: '2026-01-18' };
    const trend = await adoptionTrend(w, { filter: twoWeeks, k: 1, granularity: 'week' });
    expect(trend.map((p) => p.period)).toEqual(['2026-01-05', '2026-01-12']);
    const total = await adoption(w, { filter: twoWeeks, k: 1 });
    const e = expected(events, () => true, twoWeeks.from, twoWeeks.to);
    expect(total.users).toBe(e.users);
    expect(trend.reduce((s, p) => s + (p.users ?? 0), 0)).toBeGreaterThan(total.users ?? 0);
    expect(trend.reduce((s, p) => s + (p.visits ?? 0), 0)).toBe(e.visits);
  });

  it('gives the overview the same adoption and trend in one scan as in two', async () => {
    const twoWeeks: IndicatorFilter = { from: '2026-01-05', to: '2026-01-18', departement: '035' };
    const one = await adoptionWithTrend(w, { filter: twoWeeks, k: 5, granularity: 'week' });
    expect(one.adoption).toEqual(await adoption(w, { filter: twoWeeks, k: 5 }));
    expect(one.trend).toEqual(await adoptionTrend(w, { filter: twoWeeks, k: 5, granularity: 'week' }));
    // The totals compared with, in the same request: each as its own read (parameters of each filter kept apart).
    const others: IndicatorFilter[] = [
      { from: '2025-12-29', to: '2026-01-04', departement: '035' },
      { from: '2026-01-05', to: '2026-01-18', academie: '14', profiles: ['ELEVE'] },
      { from: '2026-01-05', to: '2026-01-18' },
    ];
    const withOthers = await adoptionWithTrend(w, { filter: twoWeeks, k: 5, granularity: 'week' }, others);
    expect(withOthers.adoption).toEqual(one.adoption);
    for (const [i, other] of others.entries()) {
      expect(withOthers.totals[i]).toEqual(totalOf(await visitCells(w, other, [[]]), 0, 5));
    }
    expect(withOthers.totals.map((t) => t.users)).not.toContain(0);
  });

  it('reads several requests of cells in one, each as it reads alone, exact breakdowns included', async () => {
    // The first request reads activity_actor_daily alone (platform): the rollup reads' order is not the requests'.
    const requests: CellsRequest[] = [
      { filter: { from: '2026-01-05', to: '2026-01-18' }, breakdowns: [['platform']] },
      { filter: { from: '2026-01-05', to: '2026-01-18', departement: '035' }, breakdowns: [[], ['week'], ['uai']] },
      { filter: { from: '2026-01-05', to: '2026-01-11', academie: '14' }, breakdowns: [[], ['platform']] },
      { filter: { from: '2026-01-03', to: '2026-01-16', devices: ['smartphone'] }, breakdowns: [['profile']] },
    ];
    const together = await visitCellsMany(w, requests);
    expect(together.map((cells) => cells.length).every((n) => n > 0)).toBe(true);
    for (const [i, r] of requests.entries()) expect(together[i]).toEqual(await visitCells(w, r.filter, r.breakdowns));
  });

  it('reads totals of several territories of one filter in one read, each as it reads alone', async () => {
    // An establishment's académie and France, a département and its région, the same académie asked twice (its
    // keys in another order), one on another period (not grouped), a total restricted to pupils.
    const period = { from: '2026-01-05', to: '2026-01-18' };
    const requests: CellsRequest[] = [
      { filter: { ...period, uai: '0350001A' }, breakdowns: [[], ['week']] },
      { filter: { ...period, academie: '14' }, breakdowns: [[]] },
      { filter: period, breakdowns: [[]] },
      { filter: { ...period, departement: '094' }, breakdowns: [[]] },
      { filter: { academie: '14', ...period }, breakdowns: [[]] },
      { filter: { ...period, region: '53' }, breakdowns: [[]] },
      { filter: { from: '2026-01-05', to: '2026-01-11', academie: '14' }, breakdowns: [[]] },
      { filter: { ...period, academie: '24', profiles: ['ELEVE'] }, breakdowns: [[]] },
      { filter: { ...period, profiles: ['ELEVE'] }, breakdowns: [[]] },
    ];
    const together = await visitCellsMany(w, requests);
    for (const [i, r] of requests.entries()) {
      const alone = await visitCells(w, r.filter, r.breakdowns);
      expect(alone.length).toBeGreaterThan(0);
      expect({ i, cells: together[i] }).toEqual({ i, cells: alone });
    }
    // France's total is not one of its académies'.
    expect(together[2]?.[0]?.users).toBeGreaterThan(together[1]?.[0]?.users ?? 0);
  });

  it('compares with the previous period and the national level', async () => {
    const second: IndicatorFilter = { from: '2026-01-12', to: '2026-01-18', academie: '14' };
    const { adoption: academie, comparison: c } = await overviewFigures(w, {
      filter: second,
      k: 1,
      granularity: 'week',
    });
    expect([c.previousFrom, c.previousTo]).toEqual(['2026-01-05', '2026-01-11']);
    expect(c.previous.visits).toBe(expected(events, (x) => x.academie === '14', '2026-01-05', '2026-01-11').visits);
    expect(c.national.users).toBe(expected(events, () => true, second.from, second.to).users);
    // Without territory the current figures are the national ones.
    const nationalWeek: IndicatorFilter = { from: '2026-01-12', to: '2026-01-18' };
    const {
      byProfile: _p,
      byService: _s,
      byDevice: _d,
      ...current
    } = await adoption(w, { filter: nationalWeek, k: 1 });
    const reused = await overviewFigures(w, { filter: nationalWeek, k: 1, granularity: 'week' });
    expect(reused.comparison.national).toEqual(current);
    // With a territory, France is read: not the territory's own figures.
    expect(c.national.users).not.toBe(academie.users);
  });

  it('reads each breakdown from the coarsest rollup that keeps it, with the figures of the exact count', async () => {
    // Every person of the sample has one establishment, profile and device: visits per establishment × profile ×
    // device (the rollups) and per person-day (the exact count on activity_actor_daily) coincide.
    const twoWeeks: IndicatorFilter = { from: '2026-01-03', to: '2026-01-16' };
    const filters: IndicatorFilter[] = [
      twoWeeks,
      { ...twoWeeks, academie: '24' },
      { ...twoWeeks, uai: '0350001A' },
      { ...twoWeeks, scope: { academies: [], uais: ['0940001B'] } },
      { ...twoWeeks, reps: ['none'], profiles: ['ELEVE'] },
      { ...twoWeeks, sector: 'public', services: ['notes'] },
      { ...twoWeeks, uai: '0350001A', devices: ['smartphone'] },
    ];
    const breakdowns: Breakdown[] = [[], ['profile'], ['service'], ['device'], ['uai'], ['rep'], ['week'], ['month']];
    const sources = new Set<string>();
    for (const filter of filters) {
      for (const b of breakdowns) sources.add(sourceOf(filter, b));
      const cells = await visitCells(w, filter, breakdowns);
      const where = exactWhereOf(filter);
      const exact = await queryRows<{ set: number; key: string[]; visits: string; users: string }>(
        w.client,
        exactVisitCellsSql(breakdowns, where.sql, where.keep),
        where.params,
      );
      const shape = (rows: { set: number; key: string[]; visits: string | number; users: string | number }[]) =>
        rows
          .map((r) => `${r.set}|${r.key.join(',')}|${Number(r.visits)}|${Number(r.users)}`)
          .sort()
          .join('\n');
      expect({ filter, cells: shape(cells) }).toEqual({ filter, cells: shape(exact) });
    }
    expect([...sources].sort()).toEqual(['dept', 'dept_service', 'dept_total', 'person', 'sector']);
    // The time figures: département cells and person rows against the exact count.
    for (const filter of filters.filter((f) => !f.services && !f.devices)) {
      const exactFilter = { ...filter, devices: DEVICES as DeviceValue[] };
      const offDays = ['14|2026-01-05', '24|2026-01-12'];
      expect(await heatmap(w, { filter, k: 1 })).toEqual(await heatmap(w, { filter: exactFilter, k: 1 }));
      expect(await timeSlots(w, { filter, k: 1, offDays })).toEqual(
        await timeSlots(w, { filter: exactFilter, k: 1, offDays }),
      );
      // The continuity view's one-scan version gives the three figures of the separate queries.
      for (const k of [1, 5]) {
        expect(await timeFigures(w, { filter, k, offDays })).toEqual({
          heatmap: await heatmap(w, { filter: exactFilter, k }),
          slots: await timeSlots(w, { filter: exactFilter, k, offDays }),
          pupilsOutside: await outsideClassTime(w, { filter: { ...exactFilter, profiles: ['ELEVE'] }, k, offDays }),
        });
      }
    }
  });

  it('answers the generic indicator by any dimensions', async () => {
    const r = await indicator(w, {
      filter: week,
      k: 1,
      measure: 'visits',
      dimensions: ['academie', 'profile'],
      granularity: 'week',
    });
    const row = r.rows.find((x) => x.keys.join() === '24,ELEVE');
    expect(row?.value).toBe(
      expected(events, (x) => x.academie === '24' && x.profile === 'ELEVE', week.from, week.to).visits,
    );
  });

  it('puts a late statement on the day it happened and keeps visits exact across insert blocks', async () => {
    await resetWarehouse(w);
    const late: ActivityEvent[] = [
      { actor: 'late', at: '2026-01-06T07:00:00.000Z' },
      { actor: 'late', at: '2026-01-06T07:20:00.000Z' },
    ];
    await insertActivity(w, [late[0] as ActivityEvent]);
    await insertActivity(w, [late[1] as ActivityEvent]); // stored later: the same visit
    const r = await adoption(w, { filter: { from: '2026-01-06', to: '2026-01-06' }, k: 1 });
    expect([r.visits, r.users, r.durationSeconds]).toEqual([1, 1, 1200]);
    for (let i = 0; i < 4; i++)
      await insertActivity(
        w,
        events.filter((_, n) => n % 4 === i),
      );
  });

  it('backfills the rollups from statements stored before the migration', async () => {
    const before = await adoption(w, { filter: week, k: 1 });
    const migrations = loadMigrations().filter((m) =>
      ['020_rollups.sql', '058_visit_rollups_incremental.sql'].includes(m.name),
    );
    expect(migrations).toHaveLength(2);
    for (const table of [
      TABLES.activityActorDaily,
      TABLES.pupilWeekly,
      TABLES.spaceDaily,
      TABLES.visitPerson,
      TABLES.visitCube,
      TABLES.visitStarts,
      TABLES.visitDirtyDay,
      TABLES.visitComplete,
    ]) {
      await command(w.client, `TRUNCATE TABLE ${table}`);
    }
    expect(await adoption(w, { filter: week, k: 1 })).toMatchObject({ visits: null, suppressed: true });
    for (const statement of migrations.flatMap((m) => m.statements).filter((s) => s.startsWith('INSERT'))) {
      await command(w.client, statement);
    }
    // every day × establishment of the statements is marked: the months of their days
    const months = new Set(events.map((e) => `${paris(e.at).day.slice(0, 7)}-01`));
    expect(await dirtyMonths(w)).toEqual([...months].sort());
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    expect(await dirtyMonths(w)).toEqual([]);
    expect(await adoption(w, { filter: week, k: 1 })).toEqual(before);
  });

  it('splits a person-day whose profile or device changes, in every breakdown with a service', async () => {
    // A teacher who is also a parent: Monday morning as ENSEIGNANT on a computer, evening as PARENT on a phone,
    // both times in the homework book and the grades.
    const dual: ActivityEvent[] = [
      { actor: 'dual', at: '2026-01-05T07:00:00.000Z', profile: 'ENSEIGNANT', service: 'cahier_textes' },
      { actor: 'dual', at: '2026-01-05T07:10:00.000Z', profile: 'ENSEIGNANT', service: 'notes' },
      { actor: 'dual', at: '2026-01-05T18:00:00.000Z', profile: 'PARENT', service: 'notes', device: 'smartphone' },
      {
        actor: 'dual',
        at: '2026-01-05T18:20:00.000Z',
        profile: 'PARENT',
        service: 'cahier_textes',
        device: 'smartphone',
      },
    ];
    await insertActivity(w, dual);
    // With the two statements of the late-statement test, still stored.
    const late = ['2026-01-06T07:00:00.000Z', '2026-01-06T07:20:00.000Z'].map((at) => ({
      actor: 'late',
      at,
      profile: 'ELEVE',
      service: 'accueil',
      device: 'ordinateur',
    }));
    const all = [...events, ...late, ...dual];
    const check = async (dimensions: ('profile' | 'service' | 'device')[]) => {
      const r = await indicator(w, { filter: week, k: 1, measure: 'visits', dimensions, granularity: 'week' });
      for (const row of r.rows) {
        const e = expected(
          all,
          (x) => dimensions.every((d, i) => (x[d] ?? (d === 'device' ? 'ordinateur' : 'ELEVE')) === row.keys[i]),
          week.from,
          week.to,
          dimensions.includes('service'),
        );
        expect([dimensions, row.keys, row.value, row.users]).toEqual([dimensions, row.keys, e.visits, e.users]);
      }
    };
    await check(['profile', 'service']);
    await check(['device', 'service']);
    await check(['service']);
  });
});
