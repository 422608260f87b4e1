import { TABLES, type Warehouse, command, queryRows } from '@ent-observatory/warehouse';
import type { ActivityEvent } from '../../../test/support/activity.js';
import { figures, insert, reference } from '../../../test/support/visit-figures.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { eraseFromVisitRollups } from './visit-rollup-full.js';
import { markDaysDirty, refreshVisitRollups, rollupsAsOf } from './visit-rollup.js';

/**
 * The incremental catch-up (deltas per dirty person × day × establishment) against the full recomputation of every
 * month, on statements arriving in batches: late statements merging two visits, a new device, a new service, a new
 * person, a week across two months, a new département.
 */

const FINISTERE = { uai: '0290001X', academie: '14', departement: '029' };
const at = (day: string, time: string) => `${day}T${time}:00.000Z`;

/** Batch 1: two pupils, a teacher, a week from October into November. */
const first: ActivityEvent[] = [
  { actor: 'pupil-a', at: at('2025-11-03', '08:00'), service: 'notes' },
  { actor: 'pupil-a', at: at('2025-11-03', '10:00'), service: 'notes' },
  { actor: 'pupil-b', at: at('2025-11-03', '09:00'), uai: '0350002B', device: 'smartphone' },
  { actor: 'teacher-c', at: at('2025-11-05', '16:00'), profile: 'ENSEIGNANT', service: 'cahier_textes' },
  { actor: 'teacher-c', at: at('2025-10-30', '07:30'), profile: 'ENSEIGNANT', service: 'cahier_textes' },
  { actor: 'pupil-a', at: at('2025-11-01', '14:00'), service: 'notes' },
];
/** Batch 2: late statements fill pupil-a's gap (two visits become one), a new device, a new service. */
const second: ActivityEvent[] = [
  ...['08:25', '08:50', '09:15', '09:40'].map((t) => ({ actor: 'pupil-a', at: at('2025-11-03', t), service: 'notes' })),
  { actor: 'pupil-a', at: at('2025-11-03', '18:00'), device: 'smartphone', service: 'notes' },
  { actor: 'pupil-b', at: at('2025-11-03', '09:10'), uai: '0350002B', device: 'smartphone', service: 'cahier_textes' },
];
/** Batch 3: a new person in existing cells, the week across two months again, a new département. */
const third: ActivityEvent[] = [
  { actor: 'pupil-d', at: at('2025-11-03', '09:05'), service: 'notes' },
  { actor: 'teacher-c', at: at('2025-11-01', '10:00'), profile: 'ENSEIGNANT', service: 'notes' },
  { actor: 'pupil-e', at: at('2025-12-02', '13:00'), ...FINISTERE },
  { actor: 'pupil-e', at: at('2025-12-02', '13:20'), ...FINISTERE, service: 'notes' },
];
/** Batch 4: another late statement, merging teacher-c's two Saturday visits. */
const fourth: ActivityEvent[] = [
  { actor: 'teacher-c', at: at('2025-11-01', '10:20'), profile: 'ENSEIGNANT', service: 'notes' },
  ...['10:45', '11:10', '11:35', '12:00', '12:25', '12:50', '13:15', '13:40'].map((t) => ({
    actor: 'teacher-c',
    at: at('2025-11-01', t),
    profile: 'ENSEIGNANT',
    service: 'notes',
  })),
];

describe('incremental visit rollups', () => {
  let w: Warehouse;

  beforeAll(async () => {
    w = await freshWarehouse();
  });
  afterAll(async () => {
    await w.client.close();
  });

  it('count batches of statements as the full recomputation does, at every grain, level and in the heat map', async () => {
    // No background merge sums the deltas before the views read them: they must be right with several rows per key.
    for (const table of [TABLES.visitPerson, TABLES.visitStarts, TABLES.visitCube]) {
      await command(w.client, `SYSTEM STOP MERGES ${table}`);
    }
    for (const batch of [first, second, third]) {
      await insert(w, batch);
      // Two days per batch: the first catch-up (four days) runs two batches, each on the stages the last left; on one
      // thread, as the API counts.
      const counted = await refreshVisitRollups(w, { inFlightMarginSeconds: 0, batchDays: 2, maxThreads: 1 });
      expect(counted.days.length).toBeGreaterThan(0);
    }
    const [unmerged] = await queryRows<{ negative: string; repeated: string }>(
      w.client,
      `SELECT (SELECT countIf(visits < 0) FROM ${TABLES.visitStarts}) AS negative,
         (SELECT count() - uniqExact(grain, period, uai, ent_profile, ent_service, device, person)
          FROM ${TABLES.visitPerson}) AS repeated`,
    );
    expect(Number(unmerged?.negative)).toBeGreaterThan(0);
    expect(Number(unmerged?.repeated)).toBeGreaterThan(0);
    const incremental = await figures(w);
    const full = await reference(w);
    for (const table of [TABLES.visitPerson, TABLES.visitStarts, TABLES.visitCube]) {
      await command(w.client, `SYSTEM START MERGES ${table}`);
    }
    expect(incremental).toEqual(full);
    // The batches did what they meant to: pupil-a's two Monday visits merged into one (and their 11:00 start, Paris
    // time, is gone from the heat map), and a catch-up counted only the days that received statements.
    const monday = (full.person as { grain: string; p: string; who: string; ent_service: string; v: number }[]).filter(
      (r) => r.grain === 'day' && r.p === '2025-11-03' && r.ent_service === '*',
    );
    expect(monday.map((r) => Number(r.v)).sort()).toEqual([1, 1, 1, 1]);
    const eleven = (full.heat as { weekday: number; hour: number; users: string }[]).find(
      (h) => Number(h.weekday) === 1 && Number(h.hour) === 11,
    );
    expect(eleven).toBeUndefined();
    // A bad count is refused before anything runs, with or without something to count.
    for (const bad of [{ maxThreads: 1.5 }, { personMarksPerDay: -1 }, { batchDays: 0 }]) {
      await expect(refreshVisitRollups(w, { inFlightMarginSeconds: 0, ...bad })).rejects.toThrow(/^invalid number of/);
    }
    await insert(w, fourth);
    await expect(refreshVisitRollups(w, { inFlightMarginSeconds: 0, maxThreads: 1.5 })).rejects.toThrow(
      'invalid number of threads "1.5" (an integer, at least 0)',
    );
    expect((await refreshVisitRollups(w, { inFlightMarginSeconds: 0 })).days).toEqual(['2025-11-01']);
    expect(await figures(w)).toEqual(await reference(w));
  });

  it('finishes a catch-up killed after moving one table in, exactly once', async () => {
    await insert(w, [
      { actor: 'pupil-f', at: at('2025-11-04', '08:00'), service: 'notes' },
      { actor: 'pupil-a', at: at('2025-11-03', '10:10'), service: 'notes' },
    ]);
    const killed = refreshVisitRollups(w, {
      inFlightMarginSeconds: 0,
      afterMove: (table) => {
        if (table === TABLES.visitPerson) throw new Error('killed');
      },
    });
    await expect(killed).rejects.toThrow('killed');
    // visit_person has the deltas, visit_starts and visit_cube not yet: the next catch-up moves what is left.
    const [staged] = await queryRows<{ n: string }>(w.client, `SELECT count() AS n FROM ${TABLES.visitStartsStage}`);
    expect(Number(staged?.n)).toBeGreaterThan(0);
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    const incremental = await figures(w);
    expect(incremental).toEqual(await reference(w));
  });

  it('throws away a stage a catch-up was killed while computing', async () => {
    await insert(w, [{ actor: 'pupil-g', at: at('2025-11-06', '08:00') }]);
    // What a catch-up killed before its stage was complete leaves: rows, and no ready record.
    await command(
      w.client,
      `INSERT INTO ${TABLES.visitPersonStage} (grain, period, uai, ent_service, person, visits, span_minutes, events)
       VALUES ('day', '2025-11-06', '0350001A', '*', 42, 5, 5, 5)`,
    );
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    expect(await figures(w)).toEqual(await reference(w));
  });

  it('recounts only the persons marked on a day × establishment; all of them when it is marked whole or by many', async () => {
    const day = '2025-11-10';
    const visitsOf = async (actor: string) => {
      const [row] = await queryRows<{ v: string }>(
        w.client,
        `SELECT sum(visits) AS v FROM ${TABLES.visitPerson}
         WHERE grain = 'day' AND period = {day:Date} AND ent_service = '*' AND person = cityHash64({actor:String})`,
        { day, actor },
      );
      return Number(row?.v ?? 0);
    };
    await insert(w, [
      { actor: 'pupil-h', at: at(day, '07:00') },
      { actor: 'pupil-i', at: at(day, '07:00') },
    ]);
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    // A second visit of pupil-i whose mark is gone: nothing asks for pupil-i to be counted again.
    await insert(w, [{ actor: 'pupil-i', at: at(day, '13:00') }]);
    await command(w.client, `TRUNCATE TABLE ${TABLES.visitDirtyDay}`);
    // A second visit of pupil-h, marked: the same day × establishment, but only pupil-h is recounted.
    await insert(w, [{ actor: 'pupil-h', at: at(day, '14:00') }]);
    const [mark] = await queryRows<{ person: string }>(
      w.client,
      `SELECT toString(person) AS person FROM ${TABLES.visitDirtyDay}`,
    );
    expect(mark?.person).not.toBe('0');
    expect((await refreshVisitRollups(w, { inFlightMarginSeconds: 0 })).days).toEqual([day]);
    expect([await visitsOf('pupil-h'), await visitsOf('pupil-i')]).toEqual([2, 1]);
    // More persons marked than personMarksPerDay (none here): the day × establishment is counted whole.
    await insert(w, [{ actor: 'pupil-h', at: at(day, '16:00') }]);
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0, personMarksPerDay: 0 });
    expect([await visitsOf('pupil-h'), await visitsOf('pupil-i')]).toEqual([3, 2]);
    // A mark of the whole day (lrs:check --repair) recounts every person of it.
    await insert(w, [{ actor: 'pupil-i', at: at(day, '18:00') }]);
    await command(w.client, `TRUNCATE TABLE ${TABLES.visitDirtyDay}`);
    await markDaysDirty(w, [day]);
    await refreshVisitRollups(w, { inFlightMarginSeconds: 0 });
    expect([await visitsOf('pupil-h'), await visitsOf('pupil-i')]).toEqual([3, 3]);
    expect(await figures(w)).toEqual(await reference(w));
  });

  it('erases a person: their rows and marks gone, every figure as if they had never been there', async () => {
    const finistere = async () => (await figures(w)).establishmentDays as { d: string; uai: string }[];
    // pupil-e was the only person active in the Finistère establishment: measured that day, then no longer.
    expect(await finistere()).toContainEqual(expect.objectContaining({ d: '2025-12-02', uai: FINISTERE.uai }));
    // A statement of pupil-a not counted yet: its mark names pupil-a.
    await insert(w, [{ actor: 'pupil-a', at: at('2025-11-20', '08:00') }]);
    const [marked] = await queryRows<{ n: string }>(
      w.client,
      `SELECT count() AS n FROM ${TABLES.visitDirtyDay} WHERE person = cityHash64('pupil-a')`,
    );
    expect(Number(marked?.n)).toBeGreaterThan(0);
    await command(
      w.client,
      `ALTER TABLE ${TABLES.activityActorDaily} DELETE WHERE actor_pseudonym IN ('pupil-a', 'pupil-e')
       SETTINGS mutations_sync = 2`,
    );
    await eraseFromVisitRollups(w, ['pupil-a', 'pupil-e']);
    expect(await finistere()).not.toContainEqual(expect.objectContaining({ uai: FINISTERE.uai }));
    const [left] = await queryRows<{ n: string }>(
      w.client,
      `SELECT (SELECT count() FROM ${TABLES.visitPerson} WHERE person IN (cityHash64('pupil-a'), cityHash64('pupil-e')))
        + (SELECT count() FROM ${TABLES.visitStarts} WHERE person IN (cityHash64('pupil-a'), cityHash64('pupil-e')))
        + (SELECT count() FROM ${TABLES.visitDirtyDay} WHERE person IN (cityHash64('pupil-a'), cityHash64('pupil-e'))) AS n`,
    );
    expect(Number(left?.n)).toBe(0);
    const erased = await figures(w);
    expect(erased).toEqual(await reference(w));
    expect(await rollupsAsOf(w)).not.toBeNull();
  });
});
