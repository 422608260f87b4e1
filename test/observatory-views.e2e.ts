import { importDirectory } from '@ent-observatory/directory';
import type { RoleGrant } from '@ent-observatory/store';
import { randomUUID } from 'node:crypto';
import { ENT_CONTEXT_EXTENSIONS, ENT_VERBS } from '@ent-observatory/xapi';
import { DirectorySnapshotService } from '../apps/api/src/enrichment/directory-snapshot.service.js';
import { type ActivityEvent, insertActivity } from './support/activity.js';
import { bundledFiles } from './support/directory.js';
import { type TestServer, startServer, xapiHeaders } from './support/server.js';
import { type GraphQLResult, type Session, errorCode, gql, signedInAs } from './support/session.js';
import { makeStatement } from './support/statements.js';

const RENNES_UAI = '0350122T';
const CRETEIL_UAI = '0940176F';
const RENNES = { region: '53', academie: '14', departement: '035' };

interface AdoptionAnswer {
  adoption: {
    users: number | null;
    visits: number | null;
    suppressed: boolean;
    byProfile: { profile: string; users: number | null; visits: number | null; suppressed: boolean }[];
  };
}

/**
 * The week of 5 January 2026 at one Rennes school: 12 pupils (2 visits each: 08:00–08:20 and 17:00), 6 parents,
 * 3 teachers and 2 staff (1 visit each) — and the same school's activity on the Sunday before, which must not count.
 */
function week(): ActivityEvent[] {
  const events: ActivityEvent[] = [];
  const at = (day: number, h: number, m: number) => new Date(Date.UTC(2026, 0, day, h - 1, m)).toISOString();
  for (let i = 0; i < 12; i++) {
    const base = { actor: `eleve-${i}`, uai: RENNES_UAI, ...RENNES, profile: 'ELEVE', level: 'CM2' };
    events.push({ ...base, at: at(6, 8, 0), service: 'cahier_textes' });
    events.push({ ...base, at: at(6, 8, 20), service: 'ressource_multimedia' });
    events.push({ ...base, at: at(6, 17, 0), service: 'cahier_textes', device: 'smartphone' });
  }
  for (let i = 0; i < 6; i++) {
    events.push({
      actor: `parent-${i}`,
      at: at(7, 20, i),
      uai: RENNES_UAI,
      ...RENNES,
      profile: 'PARENT',
      service: 'notes',
    });
  }
  for (let i = 0; i < 3; i++) {
    events.push({ actor: `prof-${i}`, at: at(8, 10, 0), uai: RENNES_UAI, ...RENNES, profile: 'ENSEIGNANT' });
  }
  for (let i = 0; i < 2; i++) {
    events.push({ actor: `staff-${i}`, at: at(8, 11, 0), uai: RENNES_UAI, ...RENNES, profile: 'PERSONNEL' });
  }
  events.push({ actor: 'eleve-0', at: at(4, 12, 0), uai: RENNES_UAI, ...RENNES, profile: 'ELEVE' });
  return events;
}

const ADOPTION = `query { adoption(filter: { from: "2026-01-05", to: "2026-01-11", uai: "${RENNES_UAI}" }) { users visits byProfile { profile users visits } } }`;

describe('observatory views over HTTP: one round trip, k-anonymised, scoped, cached', () => {
  let server: TestServer;
  const sessions: Record<string, Session> = {};
  const people: Record<string, RoleGrant[]> = {
    national: [{ role: 'national', scope: '' }],
    rennes: [{ role: 'academy', scope: '14' }],
    head: [{ role: 'establishment', scope: RENNES_UAI }],
    teacher: [{ role: 'teacher', scope: `${RENNES_UAI}:2025-2026:CM1-CM2 A` }],
  };

  beforeAll(async () => {
    server = await startServer();
    await importDirectory(server.store, server.warehouse, bundledFiles());
    for (const [who, roles] of Object.entries(people)) {
      sessions[who] = await signedInAs(server, {
        email: `${who}@views.test`,
        displayName: who,
        password: `${who}-password-1`,
        roles,
      });
    }
    await insertActivity(server.warehouse, week());
    await server.app.get(DirectorySnapshotService).refresh();
  });
  afterAll(async () => {
    await server.close();
  });

  it("answers the issue's adoption query for a national user with an independent count, small cells null", async () => {
    const res = await gql<AdoptionAnswer>(server.url, sessions.national!, ADOPTION);
    expect(res.errors).toBeUndefined();
    // 12 pupils × 2 visits + 6 parents + 3 teachers + 2 staff; 23 people.
    expect(res.data?.adoption).toMatchObject({ users: 23, visits: 35 });
    expect(res.data?.adoption.byProfile).toEqual([
      { profile: 'ELEVE', users: 12, visits: 24 },
      { profile: 'PARENT', users: 6, visits: 6 },
      // 3 teachers and 2 staff, each < k = 5: hidden; together 5, so subtracting from the total reveals no group < k.
      { profile: 'ENSEIGNANT', users: null, visits: null },
      { profile: 'PERSONNEL', users: null, visits: null },
    ]);
  });

  it('suppresses the next smallest cell when the hidden cells alone could be recovered from the total', async () => {
    const res = await gql<{ adoption: { users: number; byProfile: { profile: string; users: number | null }[] } }>(
      server.url,
      sessions.national!,
      `query { adoption(filter: { from: "2026-01-05", to: "2026-01-11", uai: "${RENNES_UAI}", profile: [ELEVE, PARENT, ENSEIGNANT] }) { users byProfile { profile users } } }`,
    );
    // Teachers (3) are the only hidden people: total 21 − 12 − 6 would give them away, so parents (6) are hidden too.
    expect(res.data?.adoption.users).toBe(21);
    expect(res.data?.adoption.byProfile).toEqual([
      { profile: 'ELEVE', users: 12 },
      { profile: 'PARENT', users: null },
      { profile: 'ENSEIGNANT', users: null },
      { profile: 'PERSONNEL', users: null },
    ]);
  });

  it('refuses another académie to an academy user and an establishment outside its scope', async () => {
    const other = await gql(
      server.url,
      sessions.rennes!,
      '{ overview(filter: { from: "2026-01-05", to: "2026-01-11", academie: "24" }) { current { users } } }',
    );
    expect([other.status, errorCode(other)]).toEqual([403, 'FORBIDDEN']);
    const school = await gql(
      server.url,
      sessions.head!,
      `{ adoption(filter: { from: "2026-01-05", to: "2026-01-11", uai: "${CRETEIL_UAI}" }) { users } }`,
    );
    expect([school.status, errorCode(school)]).toEqual([403, 'FORBIDDEN']);
    const teacher = await gql(server.url, sessions.teacher!, ADOPTION);
    expect(errorCode(teacher)).toBe('FORBIDDEN');
  });

  it("gives a filter without territory the caller's whole scope", async () => {
    const q =
      '{ overview(filter: { from: "2026-01-05", to: "2026-01-11" }) { meta { territory { level code } } current { users } } }';
    const rennes = await gql<{ overview: { meta: { territory: { level: string } }; current: { users: number } } }>(
      server.url,
      sessions.rennes!,
      q,
    );
    expect(rennes.data?.overview.meta.territory).toEqual({ level: 'ACADEMIE', code: '14' });
    expect(rennes.data?.overview.current.users).toBe(23);
  });

  it('rejects a bad period with a message saying what to fix', async () => {
    const res = await gql(
      server.url,
      sessions.national!,
      '{ adoption(filter: { from: "2026-01-11", to: "2026-01-05" }) { users } }',
    );
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toBe('filter.to (2026-01-05) must not be before filter.from (2026-01-11)');
  });

  it('answers every dashboard view in one request', async () => {
    const f = `filter: { from: "2026-01-05", to: "2026-01-11" }`;
    const fu = `filter: { from: "2026-01-05", to: "2026-01-11", uai: "${RENNES_UAI}" }`;
    const res: GraphQLResult<Record<string, unknown>> = await gql(
      server.url,
      sessions.national!,
      `{
        overview(${f}) { current { visits } previous { visits } national { users } trend { period label visits } penetration { enrolledPupils activePupils pupilRate } }
        territoryView(${f}) { childLevel total { users } rows { code name users enrolledPupils pupilRate } }
        establishmentView(${fu}) { establishment { name academie } figures { users } academie { users } heatmap { weekday hour visits } }
        servicesView(${f}) { byService { service label visits } byProfile { profile services { service visits } } }
        devicesView(${f}) { byDevice { device share } byProfile { profile smartphoneShare } }
        equityView(${f}) { distribution { establishments median gini } byRep { key label } lowest { uai name suppressed } }
        continuityView(${f}) { schoolYear cm2To6e { rate suppressed } outsideClassTime { base count suppressed } timeSplit { slot visits } }
        collaborationView(${f}) { total { visits } spaces { spaces suppressed } }
        parentsView(${f}) { figures { users visits } penetration { activeParents parentsPerPupil } byService { service visits } }
        indicator(measure: VISITS, dimensions: [PROFILE, PERIOD], ${f}) { rows { keys labels value suppressed } }
      }`,
    );
    expect(res.errors).toBeUndefined();
    const d = res.data as Record<string, Record<string, unknown>>;
    expect(d.overview?.current).toEqual({ visits: 35 });
    expect(d.territoryView?.childLevel).toBe('REGION');
    expect(d.establishmentView?.figures).toEqual({ users: 23 });
    expect((d.establishmentView?.heatmap as unknown[]).length).toBe(7 * 24);
    expect(d.parentsView?.figures).toEqual({ users: 6, visits: 6 });
    expect(d.indicator?.rows).toContainEqual({
      keys: ['ELEVE', '2026-01-05'],
      labels: ['Élèves', 'S02 2026'],
      value: 24,
      suppressed: false,
    });
  });

  it('serves an identical query from the cache until a statement is stored', async () => {
    const q = `{ servicesView(filter: { from: "2026-01-05", to: "2026-01-11", departement: "035" }) { meta { cached } total { visits } } }`;
    type Answer = { servicesView: { meta: { cached: boolean }; total: { visits: number } } };
    const first = await gql<Answer>(server.url, sessions.national!, q);
    const second = await gql<Answer>(server.url, sessions.national!, q);
    expect([first.data?.servicesView.meta.cached, second.data?.servicesView.meta.cached]).toEqual([false, true]);
    const post = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify([makeStatement(1)]),
    });
    expect(post.status).toBe(200);
    await server.settle();
    const third = await gql<Answer>(server.url, sessions.national!, q);
    expect(third.data?.servicesView.meta.cached).toBe(false);
  });

  it('counts statements sent through the LRS, enriched at ingest, as an independent count does', async () => {
    // 6 pupils of a Créteil school, Monday 12 January 2026: three accesses 10 minutes apart, then one 45 minutes
    // after the last (a second visit); 2 of them also on Tuesday evening from a phone.
    const statement = (pupil: number, at: string, device = 'ordinateur') => ({
      id: randomUUID(),
      actor: { objectType: 'Agent', account: { homePage: 'https://ent.val-de-marne.fr', name: `eleve-${pupil}` } },
      verb: { id: ENT_VERBS.accessed },
      object: { objectType: 'Activity', id: 'https://ent.val-de-marne.fr/cahier-de-textes' },
      context: {
        platform: 'monlycee',
        extensions: {
          [ENT_CONTEXT_EXTENSIONS.uai]: CRETEIL_UAI,
          [ENT_CONTEXT_EXTENSIONS.profile]: 'ELEVE',
          [ENT_CONTEXT_EXTENSIONS.device]: device,
        },
      },
      timestamp: at,
    });
    const sent = [];
    for (let p = 0; p < 6; p++) {
      for (const t of ['08:00', '08:10', '08:20', '09:05']) sent.push(statement(p, `2026-01-12T${t}:00+01:00`));
      if (p < 2) sent.push(statement(p, '2026-01-13T19:30:00+01:00', 'smartphone'));
    }
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(sent),
    });
    expect(res.status).toBe(200);
    await server.settle();
    const answer = await gql<{
      adoption: {
        users: number;
        visits: number;
        durationSeconds: number;
        byDevice: { device: string; visits: number | null }[];
      };
    }>(
      server.url,
      sessions.national!,
      `query { adoption(filter: { from: "2026-01-12", to: "2026-01-18", uai: "${CRETEIL_UAI}" }) { users visits durationSeconds byDevice { device visits } } }`,
    );
    // 6 × 2 visits on Monday + 2 on Tuesday; Monday's first visits last 20 minutes, the others 0.
    expect(answer.data?.adoption).toMatchObject({ users: 6, visits: 14, durationSeconds: (6 * 20 * 60) / 14 });
    // 2 smartphone users < k: suppressed, and the computer cell with them (the only other one with people).
    expect(answer.data?.adoption.byDevice.slice(0, 2)).toEqual([
      { device: 'ORDINATEUR', visits: null },
      { device: 'SMARTPHONE', visits: null },
    ]);
  });
});
