import { type Warehouse, command } from '@ent-observatory/warehouse';
import { ENT_VERBS } from '@ent-observatory/xapi';
import { type ActivityEvent, insertActivity } from '../../../test/support/activity.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { collaboration } from './collaboration.js';
import { continuity } from './continuity.js';
import { devicesMix } from './devices-mix.js';
import { equity, gini } from './equity.js';
import type { IndicatorFilter } from './filter.js';
import { parents } from './parents.js';
import { penetration, penetrationBy, penetrationByMany } from './penetration.js';
import { servicesMix } from './services-mix.js';
import { outsideClassTime, timeFigures } from './time.js';

const RENNES = { region: '53', academie: '14', departement: '035' };
const CRETEIL = { region: '11', academie: '24', departement: '094' };
/** A: Rennes school (100 pupils), B: its sector collège (50, REP), C: Créteil private (40), D: Créteil REP+ (200). */
const SCHOOLS = [
  { uai: '0350001A', name: 'École A', sector: 'public', rep: 'none', pupils: 100, ...RENNES },
  { uai: '0350002B', name: 'Collège B', sector: 'public', rep: 'REP', pupils: 50, ...RENNES },
  { uai: '0940001C', name: 'Collège C', sector: 'private', rep: 'none', pupils: 40, ...CRETEIL },
  { uai: '0940002D', name: 'Collège D', sector: 'public', rep: 'REP+', pupils: 200, ...CRETEIL },
];
const place = (uai: string) => {
  const s = SCHOOLS.find((x) => x.uai === uai)!;
  return { uai, region: s.region, academie: s.academie, departement: s.departement, sector: s.sector, rep: s.rep };
};
/** Paris time on a January 2026 day (UTC+1). */
const at = (day: number, h: number, m = 0) => new Date(Date.UTC(2026, 0, day, h - 1, m)).toISOString();
const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function events(): ActivityEvent[] {
  const e: ActivityEvent[] = [];
  // A: 60 pupils, Tuesday 6 January 08:00 (school hours) on a computer.
  for (const a of range(60, 'a'))
    e.push({ actor: a, at: at(6, 8), ...place('0350001A'), level: 'CM2', service: 'cahier_textes' });
  // B: 10 pupils Wednesday 7 January 15:00 (afternoon off), smartphone.
  for (const b of range(10, 'b'))
    e.push({ actor: b, at: at(7, 15), ...place('0350002B'), level: '5e', device: 'smartphone', service: 'notes' });
  // 20 pupils were CM2 at A in March 2025 (previous school year); 15 of them are 6e at B now, 6 also on a second ENT.
  for (const c of range(20, 'c'))
    e.push({ actor: c, at: '2025-03-10T09:00:00.000Z', ...place('0350001A'), level: 'CM2' });
  for (const c of range(15, 'c')) e.push({ actor: c, at: at(8, 19), ...place('0350002B'), level: '6e' });
  for (const c of range(6, 'c'))
    e.push({ actor: c, at: at(8, 20), ...place('0350002B'), level: '6e', platform: 'autre-ent' });
  // C: 8 pupils on Saturday, 6 parents on smartphones (notes).
  for (const p of range(8, 'p'))
    e.push({ actor: p, at: at(10, 11), ...place('0940001C'), service: 'manuel_numerique' });
  for (const p of range(6, 'parent'))
    e.push({
      actor: p,
      at: at(6, 21),
      ...place('0940001C'),
      profile: 'PARENT',
      device: 'smartphone',
      service: 'notes',
    });
  // Collaborative spaces: s1 pupils of A and B together, s2 three teachers of A.
  for (const a of range(3, 'a'))
    e.push({
      actor: a,
      at: at(9, 10),
      ...place('0350001A'),
      verb: ENT_VERBS.contributed,
      objectId: 'space:s1',
      service: 'production_collaborative',
    });
  for (const b of range(3, 'b'))
    e.push({
      actor: b,
      at: at(9, 10),
      ...place('0350002B'),
      verb: ENT_VERBS.contributed,
      objectId: 'space:s1',
      service: 'production_collaborative',
    });
  for (const t of range(3, 't'))
    e.push({
      actor: t,
      at: at(9, 11),
      ...place('0350001A'),
      profile: 'ENSEIGNANT',
      verb: ENT_VERBS.contributed,
      objectId: 'space:s2',
      service: 'production_collaborative',
    });
  return e;
}

describe('view indicators on a hand-built term', () => {
  let w: Warehouse;
  const week: IndicatorFilter = { from: '2026-01-05', to: '2026-01-11' };

  beforeAll(async () => {
    w = await freshWarehouse();
    await command(w.client, 'TRUNCATE TABLE directory_establishments');
    await w.client.insert({
      table: 'directory_establishments',
      values: SCHOOLS.map((s) => ({
        ...s,
        type: 'college',
        status: 'open',
        commune_code: '',
        commune: '',
        latitude: 48.1,
        longitude: -1.6,
        platform: 'toutatice',
        loaded_at: '2026-01-01 00:00:00.000',
      })),
      format: 'JSONEachRow',
    });
    await insertActivity(w, events());
  });
  afterAll(async () => {
    await w.client.close();
  });

  it('divides active pupils by enrolled pupils, per establishment and in all', async () => {
    const rows = await penetrationBy(w, week, 'uai');
    expect(rows.map((r) => [r.key, r.pupils, r.enrolled])).toEqual(
      [
        ['0350001A', 63, 100], // 60 + 3 contributors already counted among them? no: a0–a2 are among a0–a59
        ['0350002B', 25, 50],
        ['0940001C', 8, 40],
        // D has no activity at all: not measured, so its enrolment is in no rate.
        ['0940002D', 0, 0],
      ].map(([k, p, e]) => (k === '0350001A' ? [k, 60, e] : [k, p, e])),
    );
    const all = await penetration(w, { filter: week, k: 5 });
    expect(all).toMatchObject({
      enrolledPupils: 190,
      activePupils: 93,
      activeParents: 6,
      establishments: 4,
      measuredEstablishments: 3,
      ratedEstablishments: 3,
    });
    expect(all.pupilRate).toBeCloseTo(93 / 190, 10);
    const rennes = await penetration(w, { filter: { ...week, academie: '14' }, k: 5 });
    expect([rennes.enrolledPupils, rennes.activePupils, rennes.suppressed, rennes.parentsSuppressed]).toEqual([
      150,
      85,
      false,
      true,
    ]);
  });

  it('reads several groupings in one request exactly as each alone (GROUPING SETS), activity only when asked', async () => {
    const dims = [null, 'academie', 'uai', 'rep', 'sector'] as const;
    const together = await penetrationByMany(w, week, dims, { activity: true });
    for (const [i, dim] of dims.entries()) {
      expect(together[i]).toEqual(await penetrationBy(w, week, dim, { activity: true }));
    }
    // One whole-filter row, 2 académies, 4 establishments (D unmeasured included); REP and sector as the directory has them.
    expect(together.slice(0, 3).map((rows) => rows.length)).toEqual([1, 2, 4]);
    expect(together[3]?.length).toBeGreaterThan(0);
    expect(together[4]?.length).toBeGreaterThan(0);
    const [whole] = together[0] ?? [];
    expect(whole).toMatchObject({ key: '', establishments: 4, pupils: 93 });
    expect(whole?.users).toBeGreaterThan(93);
    expect(whole?.visits).toBeGreaterThan(0);
    // Without activity: the same people and establishments, no visit figures.
    const plain = await penetrationByMany(w, week, dims);
    expect(plain.map((rows) => rows.map((r) => [r.key, r.pupils, r.ratedPupils, r.parents, r.enrolled]))).toEqual(
      together.map((rows) => rows.map((r) => [r.key, r.pupils, r.ratedPupils, r.parents, r.enrolled])),
    );
    expect(plain[0]?.[0]).toMatchObject({ visits: 0, users: 0, spanMinutes: 0 });
  });

  it('summarises the distribution of penetration: quartiles, inter-decile ratio, Gini, groups, lowest first', async () => {
    const e = await equity(w, { filter: week, k: 5 });
    // D has no activity at all: not measured, so neither in the distribution, nor hidden, nor among the lowest.
    expect(e.distribution).toMatchObject({
      establishments: 3,
      suppressedEstablishments: 0,
      measuredEstablishments: 3,
      withoutEnrolment: 0,
      unmeasuredEstablishments: 1,
    });
    expect([e.distribution.min, e.distribution.median, e.distribution.max]).toEqual([0.2, 0.5, 0.6]);
    // Gini as the weighted mean absolute difference of rates, independently of the Lorenz-curve computation.
    const rows = [
      { w: 100, r: 0.6 },
      { w: 50, r: 0.5 },
      { w: 40, r: 0.2 },
    ];
    const W = rows.reduce((s, x) => s + x.w, 0);
    const mean = rows.reduce((s, x) => s + x.w * x.r, 0) / W;
    let mad = 0;
    for (const a of rows) for (const b of rows) mad += a.w * b.w * Math.abs(a.r - b.r);
    expect(e.distribution.gini).toBeCloseTo(mad / (2 * W * W * mean), 10);
    expect(e.lowest.map((l) => l.key)).toEqual(['0940001C', '0350002B', '0350001A']);
    expect(e.byRep.find((g) => g.key === 'REP+')).toMatchObject({
      enrolledPupils: 0,
      suppressed: true,
      pupilRate: null,
    });
    expect(e.bySector.map((g) => [g.key, g.enrolledPupils])).toEqual([
      ['private', 40],
      ['public', 150],
    ]);
  });

  it('computes Gini 0 for equal rates and near 1 when one establishment holds all activity', () => {
    expect(
      gini([
        { enrolled: 10, active: 5 },
        { enrolled: 30, active: 15 },
      ]),
    ).toBeCloseTo(0, 10);
    expect(
      gini([
        { enrolled: 1000, active: 0 },
        { enrolled: 1, active: 1 },
      ]),
    ).toBeGreaterThan(0.99);
  });

  it('places visits in school hours, evenings, weekends and holidays, and on the hour × weekday map', async () => {
    const t = await timeFigures(w, { filter: week, k: 5, offDays: ['24|2026-01-06'] });
    const slot = (s: string) => t.slots.find((x) => x.slot === s);
    expect(slot('SCHOOL_HOURS')?.visits).toBe(60 + 3 + 3 + 3); // A at 08:00; Friday: contributors of A and B, teachers
    expect(slot('EVENING')).toMatchObject({ visits: 10 + 15 + 6 }); // B Wednesday 15:00; 6e at 19:00, 6 again at 20:00 (60 min later: a new visit)
    expect(slot('WEEKEND')).toMatchObject({ visits: 8 });
    expect(slot('HOLIDAYS')).toMatchObject({ visits: 6 }); // the Créteil parents on a day off in académie 24
    const cell = (weekday: number, hour: number) => t.heatmap.find((h) => h.weekday === weekday && h.hour === hour);
    expect(cell(2, 8)).toMatchObject({ visits: 60, users: 60 });
    expect(cell(3, 15)).toMatchObject({ visits: 10 });
    expect(cell(5, 11)).toMatchObject({ visits: null, suppressed: true }); // 3 teachers
    expect(t.heatmap).toHaveLength(168);
  });

  it("measures the share of pupils' visits outside class time", async () => {
    const r = await outsideClassTime(w, { filter: { ...week, profiles: ['ELEVE'] }, k: 5, offDays: [] });
    // In class time: A's 60 on Tuesday 08:00 and 6 contributors on Friday 10:00. Outside: B's 10 on Wednesday
    // afternoon, the 6e pupils' 15 + 6 evening visits on Thursday, C's 8 on Saturday.
    expect(r).toEqual({ base: 105, count: 39, rate: 39 / 105, suppressed: false });
    const few = await outsideClassTime(w, { filter: { ...week, uai: '0940001C' }, k: 10, offDays: [] });
    expect(few).toEqual({ base: null, count: null, rate: null, suppressed: true });
  });

  it('follows CM2 pupils into 6e per sector collège, and pupils on two platforms', async () => {
    const c = await continuity(w, {
      filter: week,
      k: 5,
      sectorColleges: { schools: ['0350001A'], colleges: ['0350002B'] },
    });
    expect([c.schoolYear, c.previousSchoolYear]).toEqual(['2025-2026', '2024-2025']);
    expect(c.cm2To6e).toEqual({ base: 20, count: 15, rate: 0.75, suppressed: false });
    expect(c.byCollege).toEqual([
      { uai: '0350002B', continuity: { base: 20, count: 15, rate: 0.75, suppressed: false } },
    ]);
    expect(c.twoPlatforms).toEqual({ base: 93, count: 6, rate: 6 / 93, suppressed: false });
  });

  it('counts collaborative spaces across establishments and by who contributes', async () => {
    const c = await collaboration(w, { filter: week, k: 5 });
    expect(c.spaces).toEqual({
      spaces: 2,
      multiEstablishment: 1,
      teacherOnly: 1,
      pupilOnly: 1,
      mixed: 0,
      suppressed: false,
    });
    expect(c.byService.map((s) => s.service)).toEqual(['production_collaborative']);
    expect(c.total).toMatchObject({ users: 9, visits: 9 });
  });

  it("shows parents' activity per enrolled pupil, services and devices", async () => {
    const p = await parents(w, { filter: { ...week, academie: '24' }, k: 5 });
    expect(p.figures).toMatchObject({ users: 6, visits: 6 });
    // Over the enrolment of the académie's measured establishment (C, 40 pupils): D, unmeasured, is in no rate.
    expect(p.penetration.parentsPerPupil).toBeCloseTo(6 / 40, 10);
    expect(p.byService.map((s) => [s.service, s.visits])).toEqual([['notes', 6]]);
    expect(p.byDevice.find((d) => d.device === 'smartphone')).toMatchObject({ visits: 6, share: 1 });
  });

  it('mixes services and devices per profile, with the smartphone share', async () => {
    const s = await servicesMix(w, { filter: week, k: 5 });
    const pupils = s.byProfile.find((p) => p.profile === 'ELEVE');
    expect(pupils?.services.find((x) => x.service === 'notes')?.users).toBe(10);
    const d = await devicesMix(w, { filter: week, k: 5 });
    const parentsDevices = d.byProfile.find((p) => p.profile === 'PARENT');
    expect(parentsDevices?.smartphoneShare).toBe(1);
    const pupilDevices = d.byProfile.find((p) => p.profile === 'ELEVE');
    // Pupils' visits: 60 + 10 (smartphone) + 15 + 6 + 8 + 3 + 3 = 105 on reported devices, 10 on smartphones.
    expect(pupilDevices?.smartphoneShare).toBeCloseTo(10 / 105, 10);
  });

  it('splits an establishment whose REP label changed between two statements, in several groupings as alone', async () => {
    // Collège B relabelled by the directory mid-week: m0–m5 counted as REP on Tuesday, m4–m9 as outside REP on
    // Thursday (their statements keep the label they arrived with).
    const later = { from: '2026-01-12', to: '2026-01-18' };
    await insertActivity(w, [
      ...range(6, 'm').map((m) => ({ actor: m, at: at(13, 10), ...place('0350002B') })),
      ...['m4', 'm5', 'm6', 'm7', 'm8', 'm9'].map((m) => ({
        actor: m,
        at: at(15, 10),
        ...place('0350002B'),
        rep: 'none',
      })),
    ]);
    const dims = ['rep', 'sector', 'departement', 'uai'] as const;
    const together = await penetrationByMany(w, later, dims, { activity: true });
    for (const [i, dim] of dims.entries()) {
      expect(together[i]).toEqual(await penetrationBy(w, later, dim, { activity: true }));
    }
    // A person's week in one establishment is one rollup row, with one label: B's ten pupils are split between the
    // two labels (m0–m3 under REP, m6–m9 outside, m4 and m5 under either), each once.
    const byRep = new Map(together[0]?.map((r) => [r.key, r.pupils]));
    expect(byRep.get('REP')).toBeGreaterThanOrEqual(4);
    expect(byRep.get('none')).toBeGreaterThanOrEqual(4);
    expect((byRep.get('REP') ?? 0) + (byRep.get('none') ?? 0)).toBe(10);
    expect(together[3]?.find((r) => r.key === '0350002B')?.pupils).toBe(10);
  });
});
