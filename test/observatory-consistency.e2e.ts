import { importDirectory } from '@ent-observatory/directory';
import type { RoleGrant } from '@ent-observatory/store';
import { DirectorySnapshotService } from '../apps/api/src/enrichment/directory-snapshot.service.js';
import { type ActivityEvent, insertActivity } from './support/activity.js';
import { bundledFiles } from './support/directory.js';
import { type TestServer, startServer } from './support/server.js';
import { type Session, gql, signedInAs } from './support/session.js';

/**
 * Figures that must agree between two views or two territories, read through the GraphQL API as the dashboard
 * reads them: the same pupils, establishments or visits cannot give two answers.
 */
const RENNES = { region: '53', academie: '14', departement: '035' };
const CRETEIL = { region: '11', academie: '24', departement: '094' };
const AUTUMN = 'from: "2026-09-01", to: "2026-11-29"';

interface Rate {
  base: number | null;
  count: number | null;
  rate: number | null;
  suppressed: boolean;
}
interface ContinuityAnswer {
  continuityView: { cm2To6e: Rate; byCollege: { uai: string; continuity: Rate }[] };
}

/** `n` pupils, each one event at `uai` on `at` as `level` (ids `${prefix}-${i}`). */
function pupils(prefix: string, n: number, at: string, uai: string, level: string, territory = RENNES) {
  return Array.from({ length: n }, (_, i): ActivityEvent => ({
    actor: `${prefix}-${i}`,
    at,
    uai,
    level,
    profile: 'ELEVE',
    ...territory,
  }));
}

/**
 * 6 parents, one visit each on 6 October: the home page at 18:00, the vie scolaire from 18:10 to 18:35, the home page
 * again at 18:45 — one visit (no gap over 30 minutes) in which the home page was left for 45 minutes.
 */
function parentsEvening(uai: string): ActivityEvent[] {
  const at = (h: number, m: number) => new Date(Date.UTC(2026, 9, 6, h - 2, m)).toISOString();
  const steps: [number, number, string][] = [
    [18, 0, 'accueil'],
    [18, 10, 'services_vie_scolaire'],
    [18, 35, 'services_vie_scolaire'],
    [18, 45, 'accueil'],
  ];
  return Array.from({ length: 6 }, (_, i) =>
    steps.map(([h, m, service]): ActivityEvent => ({
      actor: `parent-${i}`,
      at: at(h, m),
      uai,
      profile: 'PARENT',
      service,
      device: 'smartphone',
      ...RENNES,
    })),
  ).flat();
}

describe('observatory figures that must agree across views and territories', () => {
  let server: TestServer;
  const sessions: Record<string, Session> = {};
  /** Two sector collèges of Ille-et-Vilaine with a feeder school each, and a school with no sector collège. */
  const places = { college: '', feeder: '', small: '', smallFeeder: '', unsectored: '', creteilSchool: '' };

  beforeAll(async () => {
    server = await startServer();
    await importDirectory(server.store, server.warehouse, bundledFiles());
    const pairs = await server.store.query<{ school: string; college: string }>(
      `SELECT DISTINCT ON (s.college_uai) s.school_uai AS school, s.college_uai AS college
       FROM sector_colleges s JOIN establishments e ON e.uai = s.college_uai
       WHERE e.departement_code = '035' ORDER BY s.college_uai, s.school_uai LIMIT 2`,
    );
    const [unsectored] = await server.store.query<{ uai: string }>(
      `SELECT uai FROM establishments WHERE departement_code = '035' AND type IN ('ecole_primaire', 'ecole_elementaire')
         AND uai NOT IN (SELECT school_uai FROM sector_colleges) ORDER BY uai LIMIT 1`,
    );
    const [creteil] = await server.store.query<{ uai: string }>(
      `SELECT uai FROM establishments WHERE departement_code = '094' ORDER BY uai LIMIT 1`,
    );
    Object.assign(places, {
      college: pairs[0]?.college,
      feeder: pairs[0]?.school,
      small: pairs[1]?.college,
      smallFeeder: pairs[1]?.school,
      unsectored: unsectored?.uai,
      creteilSchool: creteil?.uai,
    });
    const people: Record<string, RoleGrant[]> = {
      national: [{ role: 'national', scope: '' }],
      rennes: [{ role: 'academy', scope: '14' }],
      head: [{ role: 'establishment', scope: places.college }],
    };
    for (const [who, roles] of Object.entries(people)) {
      sessions[who] = await signedInAs(server, {
        email: `${who}@figures.test`,
        displayName: who,
        password: `${who}-password-1`,
        roles,
      });
    }
    const june = '2026-06-16T08:00:00Z';
    const october = '2026-10-06T08:00:00Z';
    const december = '2026-12-08T08:00:00Z';
    await insertActivity(server.warehouse, [
      // The main collège: 10 CM2 pupils of its feeder school, all 10 found in 6e at the collège.
      ...pupils('brel', 10, june, places.feeder, 'CM2'),
      ...pupils('brel', 10, october, places.college, '6e'),
      // A small sector: 5 CM2 pupils, 5 found in 6e.
      ...pupils('small', 5, june, places.smallFeeder, 'CM2'),
      ...pupils('small', 5, october, places.small, '6e'),
      // 6 CM2 pupils of a school with no sector collège, 1 found in 6e (at the main collège).
      ...pupils('free', 6, june, places.unsectored, 'CM2'),
      ...pupils('free', 1, october, places.college, '6e'),
      // Val-de-Marne: 20 CM2 pupils, 10 found (its schools have no sector map in the bundled data).
      ...pupils('vdm', 20, june, places.creteilSchool, 'CM2', CRETEIL),
      ...pupils('vdm', 10, october, places.creteilSchool, '6e', CRETEIL),
      // A December week (after the autumn period) at another school: 12 pupils on a computer, 6 on a smartphone,
      // 2 on a tablet (hidden, and the smartphones with them: one hidden cell of 2 could be recovered).
      ...[
        ...pupils('pc', 12, december, places.smallFeeder, 'CM1'),
        ...pupils('phone', 6, december, places.smallFeeder, 'CM1').map((e) => ({ ...e, device: 'smartphone' })),
        ...pupils('tablet', 2, december, places.smallFeeder, 'CM1').map((e) => ({ ...e, device: 'tablette' })),
      ],
      ...parentsEvening(places.college),
      // A later statement without an establishment (the training space's own): not ENT activity of a school.
      { actor: 'learner-1', at: '2026-12-20T10:00:00Z', uai: '', region: '', academie: '', departement: '' },
    ]);
    await server.app.get(DirectorySnapshotService).refresh();
  });
  afterAll(async () => {
    await server.close();
  });

  describe('continuity CM2 → 6e', () => {
    const query = (territory: string) =>
      `{ continuityView(filter: { ${AUTUMN}${territory} }) { cm2To6e { base count rate suppressed }
         byCollege { uai continuity { base count rate suppressed } } } }`;
    const rowOf = (a: ContinuityAnswer | null | undefined, uai: string) =>
      a?.continuityView.byCollege.find((r) => r.uai === uai)?.continuity;

    it('shows a collège the same figures from France, its académie, its département and the collège itself', async () => {
      const national = await gql<ContinuityAnswer>(server.url, sessions.national!, query(''));
      const academie = await gql<ContinuityAnswer>(server.url, sessions.rennes!, query(', academie: "14"'));
      const departement = await gql<ContinuityAnswer>(server.url, sessions.rennes!, query(', departement: "035"'));
      const head = await gql<ContinuityAnswer>(server.url, sessions.head!, query(`, uai: "${places.college}"`));
      const headDefault = await gql<ContinuityAnswer>(server.url, sessions.head!, query(''));
      expect(national.errors).toBeUndefined();
      const row = rowOf(national.data, places.college);
      expect(row).toEqual({ base: 10, count: 10, rate: 1, suppressed: false });
      expect(rowOf(academie.data, places.college)).toEqual(row);
      expect(departement.errors).toBeUndefined();
      expect(rowOf(departement.data, places.college)).toEqual(row);
      expect(rowOf(head.data, places.college)).toEqual(row);
      // The head of school follows their collège: its row is the total, with or without the uai in the filter.
      expect(head.data?.continuityView.byCollege).toHaveLength(1);
      expect(head.data?.continuityView.cm2To6e).toEqual(row);
      expect(headDefault.data?.continuityView.cm2To6e).toEqual(row);
      // The small sector is hidden everywhere alike (the 6 unsectored pupils, 1 found, must be hidden with it).
      for (const answer of [national, academie, departement]) {
        expect(rowOf(answer.data, places.small)?.suppressed).toBe(true);
      }
      // The totals add up the same pupils: the académie holds all of Ille-et-Vilaine's, France adds Val-de-Marne.
      expect(academie.data?.continuityView.cm2To6e).toMatchObject({ base: 21, count: 16 });
      expect(national.data?.continuityView.cm2To6e).toMatchObject({ base: 41, count: 26 });
    });
  });

  describe('penetration, equity and the measured perimeter', () => {
    interface Pen {
      enrolledPupils: number;
      activePupils: number | null;
      pupilRate: number | null;
      establishments: number;
      measuredEstablishments: number;
      ratedEstablishments: number;
    }
    const PEN = 'enrolledPupils activePupils pupilRate establishments measuredEstablishments ratedEstablishments';

    it('divides people by the enrolment of the same establishments: France, Bretagne and Île-de-France agree', async () => {
      const overview = await gql<{ overview: { penetration: Pen } }>(
        server.url,
        sessions.national!,
        `{ overview(filter: { ${AUTUMN} }) { penetration { ${PEN} } } }`,
      );
      const map = await gql<{
        territoryView: {
          rows: { code: string; enrolledPupils: number; activePupils: number | null; pupilRate: number | null }[];
        };
      }>(
        server.url,
        sessions.national!,
        `{ territoryView(filter: { ${AUTUMN} }) { rows { code enrolledPupils activePupils pupilRate } } }`,
      );
      expect(overview.errors).toBeUndefined();
      const france = overview.data!.overview.penetration;
      const region = (code: string) => map.data?.territoryView.rows.find((r) => r.code === code);
      // Active pupils: 16 in two Ille-et-Vilaine collèges, 10 in a Val-de-Marne school whose enrolment is unknown.
      expect(france.activePupils).toBe(26);
      // Only Bretagne has measured establishments with a known enrolment: France's rate is Bretagne's.
      expect(france.ratedEstablishments).toBe(2);
      expect(region('53')?.enrolledPupils).toBe(france.enrolledPupils);
      expect(region('53')?.pupilRate).toBeCloseTo(16 / france.enrolledPupils, 10);
      expect(france.pupilRate).toBeCloseTo(region('53')!.pupilRate!, 10);
      // Île-de-France: active pupils, no enrolment, so no rate (not 0 %, not 555 / 0).
      expect(region('11')).toMatchObject({ enrolledPupils: 0, activePupils: 10, pupilRate: null });
    });

    it("gives the académie de Créteil an equity view that agrees with its overview's visits", async () => {
      const filter = `filter: { ${AUTUMN}, academie: "24" }`;
      const overview = await gql<{ overview: { current: { visits: number | null } } }>(
        server.url,
        sessions.national!,
        `{ overview(${filter}) { current { visits } } }`,
      );
      const equity = await gql<{
        equityView: {
          distribution: { measuredEstablishments: number; withoutEnrolment: number; establishments: number };
          byDepartement: { key: string; visits: number | null }[];
        };
      }>(
        server.url,
        sessions.national!,
        `{ equityView(${filter}) { distribution { measuredEstablishments withoutEnrolment establishments }
           byDepartement { key visits } } }`,
      );
      expect(equity.errors).toBeUndefined();
      expect(overview.data?.overview.current.visits).toBe(10);
      // Measured (not empty), but without enrolment: no distribution of rates, the activity still shown.
      expect(equity.data?.equityView.distribution).toEqual({
        measuredEstablishments: 1,
        withoutEnrolment: 1,
        establishments: 0,
      });
      expect(equity.data?.equityView.byDepartement).toEqual([{ key: '094', visits: 10 }]);
    });

    it('ranks and hides only measured establishments; an unmeasured one says so instead of « < 5 »', async () => {
      const equity = await gql<{
        equityView: {
          distribution: {
            establishments: number;
            suppressedEstablishments: number;
            measuredEstablishments: number;
            withoutEnrolment: number;
            unmeasuredEstablishments: number;
          };
          lowest: { uai: string }[];
        };
      }>(
        server.url,
        sessions.national!,
        `{ equityView(filter: { ${AUTUMN} }) { distribution { establishments suppressedEstablishments
           measuredEstablishments withoutEnrolment unmeasuredEstablishments } lowest { uai } } }`,
      );
      const overview = await gql<{ overview: { penetration: Pen } }>(
        server.url,
        sessions.national!,
        `{ overview(filter: { ${AUTUMN} }) { penetration { ${PEN} } } }`,
      );
      const d = equity.data!.equityView.distribution;
      const p = overview.data!.overview.penetration;
      // Three establishments are measured this school year: the two collèges and the Val-de-Marne school.
      expect(d.measuredEstablishments).toBe(3);
      expect(p.measuredEstablishments).toBe(3);
      expect(d.establishments + d.suppressedEstablishments + d.withoutEnrolment).toBe(d.measuredEstablishments);
      expect(d.unmeasuredEstablishments).toBe(p.establishments - p.measuredEstablishments);
      // Both measured collèges have k pupils or more: nobody is under the secrecy, not the ~1,600 unmeasured ones.
      expect([d.establishments, d.suppressedEstablishments]).toEqual([2, 0]);
      expect(equity.data!.equityView.lowest.map((l) => l.uai).sort()).toEqual([places.college, places.small].sort());
      // An establishment with no activity at all this school year is not measured; a measured one is.
      const view = (uai: string) =>
        gql<{ establishmentView: { figures: { suppressed: boolean }; penetration: Pen } }>(
          server.url,
          sessions.national!,
          `{ establishmentView(filter: { ${AUTUMN}, uai: "${uai}" }) { figures { suppressed } penetration { ${PEN} } } }`,
        );
      const unmeasured = await view(places.unsectored);
      expect(unmeasured.data?.establishmentView.penetration.measuredEstablishments).toBe(0);
      const measured = await view(places.college);
      expect(measured.data?.establishmentView.penetration).toMatchObject({
        measuredEstablishments: 1,
        activePupils: 11,
      });
    });
  });

  describe('devices', () => {
    it("keeps the shown devices' weekly shares when a device is hidden, and a profile's shares add up to 100 %", async () => {
      const answer = await gql<{
        devicesView: {
          trend: { period: string; device: string; visits: number | null; share: number | null; suppressed: boolean }[];
          byProfile: {
            profile: string;
            hiddenShare: number | null;
            devices: { device: string; share: number | null; suppressed: boolean }[];
          }[];
        };
      }>(
        server.url,
        sessions.national!,
        `{ devicesView(filter: { from: "2026-12-07", to: "2026-12-13" }) {
           trend { period device visits share suppressed }
           byProfile { profile hiddenShare devices { device share suppressed } } } }`,
      );
      expect(answer.errors).toBeUndefined();
      const week = answer.data!.devicesView.trend.filter((c) => c.period === '2026-12-07');
      const computer = week.find((c) => c.device === 'ORDINATEUR');
      // The week has 20 visits; the computer's 12 are shown, so is their share (it was null, leaving a gap).
      expect(computer).toMatchObject({ visits: 12, suppressed: false });
      expect(computer?.share).toBeCloseTo(12 / 20, 10);
      expect(
        week
          .filter((c) => c.suppressed)
          .map((c) => c.device)
          .sort(),
      ).toEqual(['SMARTPHONE', 'TABLETTE']);
      const pupils = answer.data!.devicesView.byProfile.find((p) => p.profile === 'ELEVE')!;
      const shown = pupils.devices.filter((d) => !d.suppressed).reduce((s, d) => s + (d.share ?? 0), 0);
      expect(pupils.hiddenShare).toBeCloseTo(8 / 20, 10);
      expect(shown + pupils.hiddenShare!).toBeCloseTo(1, 10);
    });
  });

  describe('period and comparison', () => {
    interface OverviewAnswer {
      overview: {
        meta: { from: string; to: string };
        previousFrom: string;
        previousTo: string;
        comparable: boolean;
        comparisonNote: string | null;
        current: { visits: number | null };
      };
    }
    const overview = (period: string) =>
      gql<OverviewAnswer>(
        server.url,
        sessions.national!,
        `{ overview(filter: { ${period} }) { meta { from to } previousFrom previousTo comparable comparisonNote
           current { visits } } }`,
      );

    it('ends a period that runs past the data on the last measured day of an establishment, same figures', async () => {
      const long = await overview('from: "2026-09-01", to: "2026-12-31"');
      const cut = await overview('from: "2026-09-01", to: "2026-12-08"');
      expect(long.errors).toBeUndefined();
      expect(long.data?.overview.meta).toEqual({ from: '2026-09-01', to: '2026-12-08' });
      expect(long.data?.overview.current).toEqual(cut.data?.overview.current);
    });

    it('compares with as many school days before, and says when the previous period was not measured alike', async () => {
      const autumn = (await overview(AUTUMN)).data!.overview;
      // 1 September → 29 November holds the Toussaint holidays; the previous period with as many school days
      // crosses the summer holidays back into the spring, before the first measured day (16 June).
      expect(autumn.previousTo).toBe('2026-08-31');
      expect(autumn.previousFrom < '2026-06-01').toBe(true);
      expect(autumn.comparable).toBe(false);
      expect(autumn.comparisonNote).toContain('16 juin 2026');
      // Two school days (Monday 7, Tuesday 8 December) against Thursday 3 and Friday 4, when nothing was measured.
      const week = (await overview('from: "2026-12-07", to: "2026-12-08"')).data!.overview;
      expect([week.previousFrom, week.previousTo]).toEqual(['2026-12-03', '2026-12-06']);
      expect(week.comparable).toBe(false);
      expect(week.comparisonNote).toContain('0 établissements mesurés');
    });
  });

  describe('directory', () => {
    it("gives an école the same pupils beside its chart's total, with the year of that count", async () => {
      const answer = await gql<{
        establishment: {
          pupils: number | null;
          pupilsYear: string | null;
          enrolments: { schoolYear: string; level: string; pupils: number }[];
        };
      }>(
        server.url,
        sessions.national!,
        '{ establishment(uai: "0350122T") { pupils pupilsYear enrolments { schoolYear level pupils } } }',
      );
      expect(answer.errors).toBeUndefined();
      const e = answer.data!.establishment;
      const latest = e.enrolments[0]!.schoolYear;
      const total = e.enrolments.find((x) => x.schoolYear === latest && x.level === 'TOTAL')?.pupils;
      // The bundled open data: 151 pupils at the rentrée 2022 (the annuaire's undated 143 was the rentrée 2021's).
      expect([e.pupils, e.pupilsYear]).toEqual([total, latest]);
      expect([e.pupils, e.pupilsYear]).toEqual([151, '2022-2023']);
    });

    it('names every row of the territories page, the collectivités outside the régions académiques last', async () => {
      const answer = await gql<{ territories: { code: string; name: string }[] }>(
        server.url,
        sessions.national!,
        '{ territories { code name } }',
      );
      const regions = answer.data!.territories;
      expect(regions.every((r) => r.name.trim() !== '')).toBe(true);
      expect(regions.at(-1)).toEqual({ code: '', name: 'Collectivités d’outre-mer hors région académique' });
      expect(regions[0]?.code).not.toBe('');
    });
  });

  describe('parents', () => {
    it("counts no more home-page visits than parents' visits", async () => {
      const answer = await gql<{
        parentsView: { figures: { visits: number | null }; byService: { service: string; visits: number | null }[] };
      }>(
        server.url,
        sessions.national!,
        `{ parentsView(filter: { ${AUTUMN} }) { figures { visits } byService { service visits } } }`,
      );
      expect(answer.errors).toBeUndefined();
      const { figures, byService } = answer.data!.parentsView;
      expect(figures.visits).toBe(6);
      for (const s of byService) expect(s.visits ?? 0).toBeLessThanOrEqual(figures.visits!);
      // One visit each, the home page opened twice in it: 6 home-page visits (it said 12, twice the parents' 6).
      expect(byService.find((s) => s.service === 'accueil')?.visits).toBe(6);
    });
  });
});
