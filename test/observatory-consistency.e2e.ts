import { importDirectory } from '@ent-observatory/directory';
import { type RoleGrant, UserRepository } from '@ent-observatory/store';
import { DirectorySnapshotService } from '../apps/api/src/enrichment/directory-snapshot.service.js';
import { type ActivityEvent, insertActivity } from './support/activity.js';
import { bundledFiles } from './support/directory.js';
import { type TestServer, startServer } from './support/server.js';
import { type Session, gql, signIn } from './support/session.js';

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
    const users = new UserRepository(server.store.db);
    for (const [who, roles] of Object.entries(people)) {
      await users.ensure({ email: `${who}@figures.test`, displayName: who, password: `${who}-password-1`, roles });
      sessions[who] = await signIn(server.url, `${who}@figures.test`, `${who}-password-1`);
    }
    const june = '2026-06-16T08:00:00Z';
    const october = '2026-10-06T08:00:00Z';
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
    const rowOf = (a: ContinuityAnswer | undefined, uai: string) =>
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
});
