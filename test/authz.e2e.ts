import { GraphQLSchemaHost } from '@nestjs/graphql';
import { AccessRegistry } from '../apps/api/src/auth/access-registry.js';
import { importDirectory } from '@ent-observatory/directory';
import type { RoleGrant } from '@ent-observatory/store';
import { CourseRepository, DEMO_PARCOURS, ParcoursBuilder } from '@ent-observatory/training';
import { bundledFiles } from './support/directory.js';
import { METRICS_TOKEN, type TestServer, startServer } from './support/server.js';
import { type GraphQLResult, type Session, gql, signIn, signedInAs } from './support/session.js';

/** Real places of the bundled directory: a Rennes primary school, a Créteil one, and a class of the first. */
const RENNES_UAI = '0350122T';
const CRETEIL_UAI = '0940176F';
const CLASS_ID = `${RENNES_UAI}:2025-2026:CM1-CM2 A`;
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Who =
  'admin' | 'national' | 'rennes' | 'creteil' | 'head' | 'teacher' | 'trainer' | 'learner' | 'parent' | 'pupil';

/** Pupils of the illustrative rosters: two of CLASS_ID, one of another class of the same school. */
const CHILD = 'el-0350122t-cm1-cm2a-01';
const PUPIL = 'el-0350122t-cm1-cm2a-02';
const OTHER_CLASS_PUPIL = 'el-0350122t-cp-01';
const OTHER_SCHOOL_CLASS = '0351906G:2025-2026:6e B';

const PEOPLE: Record<Who, RoleGrant[]> = {
  admin: [{ role: 'admin', scope: '' }],
  national: [{ role: 'national', scope: '' }],
  rennes: [{ role: 'academy', scope: '14' }],
  creteil: [{ role: 'academy', scope: '24' }],
  head: [{ role: 'establishment', scope: RENNES_UAI }],
  teacher: [{ role: 'teacher', scope: CLASS_ID }],
  trainer: [{ role: 'trainer', scope: 'decouverte-ent' }],
  learner: [{ role: 'learner', scope: '' }],
  parent: [{ role: 'parent', scope: CHILD }],
  pupil: [{ role: 'pupil', scope: PUPIL }],
};
const EVERYONE = Object.keys(PEOPLE) as Who[];
const ANYONE: (Who | 'anonymous')[] = [...EVERYONE, 'anonymous'];

/** The observatory's queries (docs/observatory-api.md): aggregates for the roles that watch territories. */
const OBSERVATORY_OPS = [
  'adoption',
  'indicator',
  'overview',
  'territoryView',
  'establishmentView',
  'servicesView',
  'devicesView',
  'equityView',
  'continuityView',
  'collaborationView',
  'parentsView',
];
function observatoryArgs(op: string, territory: string): string {
  const filter = `filter: { from: "2026-01-05", to: "2026-01-11" ${territory} }`;
  return op === 'indicator' ? `(measure: VISITS, dimensions: [PROFILE], ${filter})` : `(${filter})`;
}

/** The training space (docs/training-api.md): a parcours the trainer is granted, one they are not. */
const OWN_PARCOURS = 'decouverte-ent';
const OTHER_PARCOURS = 'parcours-d-un-autre';
const STAFF: Who[] = ['admin', 'trainer'];
const TRAINING_MATRIX: { op: string; query: string; allowed: Who[] }[] = [
  { op: 'trainingCatalogue', query: '{ trainingCatalogue { parcours { id } } }', allowed: EVERYONE },
  { op: 'myTrainings', query: '{ myTrainings { sessionId } }', allowed: EVERYONE },
  { op: 'managedParcours', query: '{ managedParcours { id } }', allowed: STAFF },
  { op: 'parcours', query: `{ parcours(id: "${OWN_PARCOURS}") { id } }`, allowed: STAFF },
  { op: 'parcours', query: `{ parcours(id: "${OTHER_PARCOURS}") { id } }`, allowed: ['admin'] },
  { op: 'trainerSessions', query: '{ trainerSessions { id } }', allowed: STAFF },
  { op: 'trainers', query: '{ trainers { id } }', allowed: STAFF },
  { op: 'sessionGrid', query: `{ sessionGrid(sessionId: "${UNKNOWN_ID}") { sessionId } }`, allowed: STAFF },
  { op: 'sessionReminders', query: `{ sessionReminders(sessionId: "${UNKNOWN_ID}") { id } }`, allowed: STAFF },
  {
    op: 'sessionSubmissions',
    query: `{ sessionSubmissions(sessionId: "${UNKNOWN_ID}") { id } }`,
    allowed: STAFF,
  },
  { op: 'sessionThreads', query: `{ sessionThreads(sessionId: "${UNKNOWN_ID}") { id } }`, allowed: EVERYONE },
  {
    op: 'trainingIndicators',
    query: '{ trainingIndicators(dimension: "academie") { key } }',
    allowed: ['admin', 'national', 'rennes', 'creteil'],
  },
  { op: 'createParcours', query: 'mutation { createParcours(input: { title: "" }) }', allowed: STAFF },
  {
    op: 'updateParcours',
    query: `mutation { updateParcours(id: "${OWN_PARCOURS}", input: { title: "" }) }`,
    allowed: STAFF,
  },
  {
    op: 'updateParcours',
    query: `mutation { updateParcours(id: "${OTHER_PARCOURS}", input: { title: "" }) }`,
    allowed: ['admin'],
  },
  {
    op: 'addParcoursModule',
    query: `mutation { addParcoursModule(courseId: "${OTHER_PARCOURS}", title: "") }`,
    allowed: ['admin'],
  },
  {
    op: 'addParcoursActivity',
    query: `mutation { addParcoursActivity(courseId: "${OWN_PARCOURS}", moduleId: "x", input: { title: "", kind: "page" }) }`,
    allowed: STAFF,
  },
  {
    op: 'createTrainingSession',
    query: `mutation { createTrainingSession(input: { courseId: "${OTHER_PARCOURS}", name: "" }) }`,
    allowed: ['admin'],
  },
  {
    op: 'enrolLearners',
    query: `mutation { enrolLearners(sessionId: "${UNKNOWN_ID}", emails: []) { enrolled } }`,
    allowed: STAFF,
  },
  {
    op: 'enrolLearnersCsv',
    query: `mutation { enrolLearnersCsv(sessionId: "${UNKNOWN_ID}", csv: "") { enrolled } }`,
    allowed: STAFF,
  },
  {
    op: 'waiveTrainingActivity',
    query: `mutation { waiveTrainingActivity(sessionId: "${UNKNOWN_ID}", userId: "${UNKNOWN_ID}", auIndex: 0, reason: "x") }`,
    allowed: STAFF,
  },
  {
    op: 'sendTrainingReminders',
    query: `mutation { sendTrainingReminders(sessionId: "${UNKNOWN_ID}", reason: "stalled") }`,
    allowed: STAFF,
  },
  {
    op: 'startTrainingThread',
    query: `mutation { startTrainingThread(sessionId: "${UNKNOWN_ID}", title: "", body: "") }`,
    allowed: EVERYONE,
  },
  {
    op: 'replyTrainingThread',
    query: `mutation { replyTrainingThread(threadId: "${UNKNOWN_ID}", body: "") }`,
    allowed: EVERYONE,
  },
  { op: 'selfEnrol', query: `mutation { selfEnrol(sessionId: "${UNKNOWN_ID}") }`, allowed: EVERYONE },
  // Nobody is enrolled in this session: launching in it or asking its attestation is out of everyone's scope.
  {
    op: 'launchTrainingActivity',
    query: `mutation { launchTrainingActivity(sessionId: "${UNKNOWN_ID}", auIndex: 0) { url } }`,
    allowed: [],
  },
  { op: 'issueAttestation', query: `mutation { issueAttestation(sessionId: "${UNKNOWN_ID}") { code } }`, allowed: [] },
];

/** The training space's HTTP routes with a session (scripts use HTTP Basic: test/training-cmi5.e2e.ts). */
const TRAINING_ROUTES: { method: string; path: string; allowed: Who[] }[] = [
  { method: 'POST', path: '/formation/api/packages', allowed: STAFF },
  { method: 'POST', path: '/formation/api/launches', allowed: STAFF },
  { method: 'POST', path: `/formation/api/registrations/${UNKNOWN_ID}/waive`, allowed: STAFF },
  { method: 'POST', path: `/formation/api/sessions/${UNKNOWN_ID}/abandon`, allowed: STAFF },
  { method: 'GET', path: `/formation/api/sessions/${UNKNOWN_ID}/grid.csv`, allowed: STAFF },
  { method: 'GET', path: '/formation/api/attestations/AAAA-BBBB-CCCC/pdf', allowed: EVERYONE },
  { method: 'GET', path: '/formation/api/attestations/AAAA-BBBB-CCCC', allowed: EVERYONE },
  { method: 'POST', path: '/formation/api/fetch/not-a-token', allowed: EVERYONE },
];

/** Teachers' follow-up (docs/follow-up-api.md): names and single pupils, for their teachers, head, parents, selves. */
const PERIOD = 'from: "2025-09-01", to: "2026-06-30"';
const FOLLOW_UP_MATRIX: { op: string; query: string; allowed: Who[] }[] = [
  { op: 'followUpHome', query: '{ followUpHome { classes { id } } }', allowed: ['head', 'teacher', 'parent', 'pupil'] },
  {
    op: 'classFollowUp',
    query: `{ classFollowUp(classId: "${CLASS_ID}", ${PERIOD}) { pupils { displayName } } }`,
    allowed: ['head', 'teacher'],
  },
  {
    op: 'classFollowUp',
    query: `{ classFollowUp(classId: "${RENNES_UAI}:2025-2026:CP", ${PERIOD}) { pupils { displayName } } }`,
    allowed: ['head'],
  },
  {
    op: 'classFollowUp',
    query: `{ classFollowUp(classId: "${OTHER_SCHOOL_CLASS}", ${PERIOD}) { pupils { displayName } } }`,
    allowed: [],
  },
  {
    op: 'classLsuExport',
    query: `{ classLsuExport(classId: "${CLASS_ID}", ${PERIOD}) { exported } }`,
    allowed: ['head', 'teacher'],
  },
  {
    op: 'classLsuExport',
    query: `{ classLsuExport(classId: "${OTHER_SCHOOL_CLASS}", ${PERIOD}) { exported } }`,
    allowed: [],
  },
  {
    op: 'pupilFollowUp',
    query: `{ pupilFollowUp(pupilId: "${CHILD}", ${PERIOD}) { displayName } }`,
    allowed: ['head', 'teacher', 'parent'],
  },
  {
    op: 'pupilFollowUp',
    query: `{ pupilFollowUp(pupilId: "${PUPIL}", ${PERIOD}) { displayName } }`,
    allowed: ['head', 'teacher', 'pupil'],
  },
  {
    op: 'pupilFollowUp',
    query: `{ pupilFollowUp(pupilId: "${OTHER_CLASS_PUPIL}", ${PERIOD}) { displayName } }`,
    allowed: ['head'],
  },
  {
    op: 'setFollowUpAlertThreshold',
    query: `mutation { setFollowUpAlertThreshold(uai: "${RENNES_UAI}", code: INACTIVITY, threshold: 10) }`,
    allowed: ['head'],
  },
  {
    op: 'setFollowUpAlertThreshold',
    query: `mutation { setFollowUpAlertThreshold(uai: "${CRETEIL_UAI}", code: INACTIVITY, threshold: 10) }`,
    allowed: [],
  },
  {
    op: 'acknowledgeFollowUpAlert',
    query: `mutation { acknowledgeFollowUpAlert(pupilId: "${CHILD}", code: INACTIVITY, since: "2026-01-05", note: "vu") }`,
    allowed: ['head', 'teacher'],
  },
  {
    op: 'acknowledgeFollowUpAlert',
    query: `mutation { acknowledgeFollowUpAlert(pupilId: "${OTHER_CLASS_PUPIL}", code: INACTIVITY, since: "2026-01-05", note: "") }`,
    allowed: ['head'],
  },
  // Teachers → pupils (docs/training-api.md, "Assignments to a class"): a teacher assigns to their own classes only;
  // their head of school follows them.
  { op: 'assignmentOptions', query: '{ assignmentOptions { classes { id } } }', allowed: ['teacher'] },
  {
    op: 'classAssignments',
    query: `{ classAssignments(classId: "${CLASS_ID}") { id } }`,
    allowed: ['head', 'teacher'],
  },
  {
    op: 'classAssignments',
    query: `{ classAssignments(classId: "${RENNES_UAI}:2025-2026:CP") { id } }`,
    allowed: ['head'],
  },
  { op: 'classAssignments', query: `{ classAssignments(classId: "${OTHER_SCHOOL_CLASS}") { id } }`, allowed: [] },
  {
    op: 'assignTraining',
    query: `mutation { assignTraining(classId: "${CLASS_ID}", courseId: "${OWN_PARCOURS}", dueOn: "2030-01-10", subject: "francais") }`,
    allowed: ['teacher'],
  },
  {
    op: 'assignTraining',
    query: `mutation { assignTraining(classId: "${RENNES_UAI}:2025-2026:CP", courseId: "${OWN_PARCOURS}", dueOn: "2030-01-10", subject: "francais") }`,
    allowed: [],
  },
  {
    op: 'assignTraining',
    query: `mutation { assignTraining(classId: "${OTHER_SCHOOL_CLASS}", courseId: "${OWN_PARCOURS}", dueOn: "2030-01-10", subject: "francais") }`,
    allowed: [],
  },
];

/**
 * Every GraphQL operation × every role: who may call it with this target. Anyone else must get FORBIDDEN (403)
 * and no data. Allowed calls may still fail on their input (NOT_FOUND, BAD_USER_INPUT): the guard let them by.
 */
const MATRIX: { op: string; query: string; allowed: Who[] }[] = [
  { op: 'me', query: '{ me { email } }', allowed: EVERYONE },
  {
    op: 'territories',
    query: '{ territories { code academies { code } } }',
    allowed: ['admin', 'national', 'rennes', 'creteil', 'head', 'teacher'],
  },
  {
    op: 'establishments',
    query: '{ establishments { total } }',
    allowed: ['admin', 'national', 'rennes', 'creteil', 'head', 'teacher'],
  },
  {
    op: 'establishments',
    query: '{ establishments(search: { academie: "14" }) { total } }',
    allowed: ['admin', 'national', 'rennes'],
  },
  {
    op: 'establishments',
    query: '{ establishments(search: { departement: "094" }) { total } }',
    allowed: ['admin', 'national', 'creteil'],
  },
  {
    op: 'establishments',
    query: `{ establishments(search: { uai: "${CRETEIL_UAI}" }) { total } }`,
    allowed: ['admin', 'national', 'creteil'],
  },
  {
    op: 'establishment',
    query: `{ establishment(uai: "${RENNES_UAI}") { uai } }`,
    allowed: ['admin', 'national', 'rennes', 'head', 'teacher'],
  },
  {
    op: 'establishment',
    query: `{ establishment(uai: "${CRETEIL_UAI}") { uai } }`,
    allowed: ['admin', 'national', 'creteil'],
  },
  {
    op: 'classMembers',
    query: `{ classMembers(classId: "${CLASS_ID}") { memberId } }`,
    allowed: ['admin', 'head', 'teacher'],
  },
  {
    op: 'classMembers',
    query: `{ classMembers(classId: "0940176F:2025-2026:CP") { memberId } }`,
    allowed: ['admin'],
  },
  ...OBSERVATORY_OPS.flatMap((op) => [
    {
      op,
      query: `{ ${op}${observatoryArgs(op, '')} { __typename } }`,
      allowed: ['admin', 'national', 'rennes', 'creteil', 'head'] as Who[],
    },
    {
      op,
      query: `{ ${op}${observatoryArgs(op, 'academie: "14"')} { __typename } }`,
      allowed: ['admin', 'national', 'rennes'] as Who[],
    },
    {
      op,
      query: `{ ${op}${observatoryArgs(op, `uai: "${CRETEIL_UAI}"`)} { __typename } }`,
      allowed: ['admin', 'national', 'creteil'] as Who[],
    },
  ]),
  { op: 'statementActivity', query: '{ statementActivity { total } }', allowed: ['admin', 'national'] },
  { op: 'users', query: '{ users { email } }', allowed: ['admin'] },
  { op: 'lrsCredentials', query: '{ lrsCredentials { key } }', allowed: ['admin'] },
  {
    op: 'createUser',
    query: 'mutation { createUser(input: { email: "x", displayName: "x", password: "x", roles: [] }) { id } }',
    allowed: ['admin'],
  },
  {
    op: 'setUserEnabled',
    query: `mutation { setUserEnabled(id: "${UNKNOWN_ID}", enabled: false) { id } }`,
    allowed: ['admin'],
  },
  {
    op: 'resetUserPassword',
    query: `mutation { resetUserPassword(id: "${UNKNOWN_ID}", password: "x") { id } }`,
    allowed: ['admin'],
  },
  {
    op: 'setUserRoles',
    query: `mutation { setUserRoles(id: "${UNKNOWN_ID}", roles: [{ role: admin }]) { id } }`,
    allowed: ['admin'],
  },
  {
    op: 'createLrsCredential',
    query: 'mutation { createLrsCredential(label: "", scopes: []) { secret } }',
    allowed: ['admin'],
  },
  {
    op: 'eraseAgent',
    query: 'mutation { eraseAgent(agent: "not json") { statements } }',
    allowed: ['admin'],
  },
  {
    op: 'revokeLrsCredential',
    query: 'mutation { revokeLrsCredential(key: "no-such-key") { key } }',
    allowed: ['admin'],
  },
  ...TRAINING_MATRIX,
  ...FOLLOW_UP_MATRIX,
];

describe('authorisation: every role × every operation × in- and out-of-scope targets', () => {
  let server: TestServer;
  const sessions = {} as Record<Who, Session>;
  const count = async (sql: string) => Number((await server.store.query<{ n: number }>(sql))[0]?.n);

  beforeAll(async () => {
    server = await startServer();
    await importDirectory(server.store, server.warehouse, bundledFiles());
    const builder = new ParcoursBuilder(new CourseRepository(server.store));
    for (const id of [OWN_PARCOURS, OTHER_PARCOURS]) {
      await server.store.query('DELETE FROM training_courses WHERE id = $1', [id]);
      await builder.create({ ...DEMO_PARCOURS, published: false }, null, id);
    }
    for (const who of EVERYONE) {
      sessions[who] = await signedInAs(server, {
        email: `${who}@authz.test`,
        displayName: who,
        password: `${who}-password-1`,
        roles: PEOPLE[who],
      });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('covers every root field of the schema', () => {
    const schema = server.app.get(GraphQLSchemaHost).schema;
    const fields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
    ];
    expect(fields.filter((f) => !MATRIX.some((m) => m.op === f))).toEqual([]);
  });

  it.each(MATRIX.map((m) => [m.query, m] as const))('%s', async (_q, { query, allowed }) => {
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const who of EVERYONE) {
      const res: GraphQLResult<Record<string, unknown>> = await gql(server.url, sessions[who], query);
      const code = res.errors?.[0]?.extensions?.code;
      const refused = code === 'FORBIDDEN';
      outcomes[who] = refused ? `FORBIDDEN ${res.status}` : code === 'UNAUTHENTICATED' ? 'UNAUTHENTICATED' : 'allowed';
      expected[who] = allowed.includes(who) ? 'allowed' : 'FORBIDDEN 403';
      if (refused) expect(Object.values(res.data ?? {}).filter((v) => v !== null)).toEqual([]);
    }
    expect(outcomes).toEqual(expected);
  });

  it.each(TRAINING_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const who of EVERYONE) {
      const res = await fetch(`${server.url}${route.path}`, {
        method: route.method,
        headers: {
          Cookie: sessions[who].cookie,
          'X-CSRF-Token': sessions[who].csrfToken,
          'Content-Type': 'application/json',
        },
        body: route.method === 'POST' ? '{}' : undefined,
      });
      outcomes[who] = res.status === 403 || res.status === 401 ? `refused ${res.status}` : 'allowed';
      expected[who] = route.allowed.includes(who) ? 'allowed' : 'refused 403';
    }
    expect(outcomes).toEqual(expected);
  });

  it('shows the Rennes academy user Ille-et-Vilaine establishments and refuses Créteil ones', async () => {
    const rennes = sessions.rennes;
    const tree = await gql<{
      territories: { code: string; academies: { code: string; departements: { code: string }[] }[] }[];
    }>(server.url, rennes, '{ territories { code academies { code departements { code } } } }');
    expect(tree.data?.territories).toEqual([
      { code: '53', academies: [{ code: '14', departements: expect.any(Array) }] },
    ]);
    expect(tree.data?.territories[0]?.academies[0]?.departements.map((d) => d.code)).toContain('035');
    const list = await gql<{ establishments: { total: number; items: { departement: string }[] } }>(
      server.url,
      rennes,
      '{ establishments(limit: 200) { total items { departement } } }',
    );
    expect(list.data?.establishments.total).toBe(
      await count("SELECT count(*)::int AS n FROM establishments WHERE academie_code = '14'"),
    );
    expect(new Set(list.data?.establishments.items.map((i) => i.departement))).toEqual(new Set(['035']));
    const creteil = await gql(server.url, rennes, `{ establishment(uai: "${CRETEIL_UAI}") { name } }`);
    expect(creteil.status).toBe(403);
    expect(creteil.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const search = await gql<{ establishments: { total: number } }>(
      server.url,
      rennes,
      '{ establishments(search: { commune: "Créteil" }) { total } }',
    );
    expect(search.data?.establishments.total).toBe(0); // filtered to the scope, not an error: no Créteil row leaks
  });

  it('restricts every list to the scope: national all, Créteil its schools, a head of school one', async () => {
    const total = async (who: Who) =>
      (await gql<{ establishments: { total: number } }>(server.url, sessions[who], '{ establishments { total } }')).data
        ?.establishments.total;
    expect(await total('national')).toBe(await count('SELECT count(*)::int AS n FROM establishments'));
    expect(await total('creteil')).toBe(
      await count("SELECT count(*)::int AS n FROM establishments WHERE academie_code = '24'"),
    );
    expect(await total('head')).toBe(1);
    expect(await total('teacher')).toBe(1);
    const detail = await gql<{ establishment: { name: string; classes: { id: string }[] } }>(
      server.url,
      sessions.head,
      `{ establishment(uai: "${RENNES_UAI}") { name classes { id } } }`,
    );
    expect(detail.data?.establishment.classes.map((c) => c.id)).toContain(CLASS_ID);
    expect(detail.data?.establishment.classes.length).toBeGreaterThan(1);
    // classes are individual data: a teacher sees their own, territorial roles none
    const classesSeenBy = async (who: Who) =>
      (
        await gql<{ establishment: { classes: { id: string }[] } }>(
          server.url,
          sessions[who],
          `{ establishment(uai: "${RENNES_UAI}") { classes { id } } }`,
        )
      ).data?.establishment.classes.map((c) => c.id);
    expect(await classesSeenBy('teacher')).toEqual([CLASS_ID]);
    expect(await classesSeenBy('national')).toEqual([]);
    expect(await classesSeenBy('rennes')).toEqual([]);
    // a UAI typed in lower case is the same establishment, in scope for its head
    const lower = await gql<{ establishments: { total: number } }>(
      server.url,
      sessions.head,
      `{ establishments(search: { uai: "${RENNES_UAI.toLowerCase()}" }) { total } }`,
    );
    expect(lower.data?.establishments.total).toBe(1);
    const members = await gql<{ classMembers: { memberId: string; role: string }[] }>(
      server.url,
      sessions.teacher,
      `{ classMembers(classId: "${CLASS_ID}") { memberId role } }`,
    );
    expect(members.data?.classMembers[0]).toEqual({ memberId: expect.stringMatching(/^ens-/), role: 'teacher' });
  });

  it('lets only admins import a directory file, reporting bad lines and keeping the good ones', async () => {
    const csv =
      'uai;classe;niveau;annee_scolaire;membre;role;type\r\n' +
      `${RENNES_UAI};CE1 B;CE1;2025-2026;ens-x-01;enseignant;classe\r\n` +
      `${RENNES_UAI};CE1 B;CE1;2025-2026;;eleve;classe\r\n`;
    const upload = (who: Who) =>
      fetch(`${server.url}/admin/imports?filename=classes.csv`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', Cookie: sessions[who].cookie, 'X-CSRF-Token': sessions[who].csrfToken },
        body: csv,
      });
    expect((await upload('national')).status).toBe(403);
    const res = await upload('admin');
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      file: string;
      dataset: string;
      rejected: { line: number; reason: string }[];
    };
    expect(report).toMatchObject({ file: 'classes.csv', dataset: 'roster' });
    expect(report.rejected.map((r) => r.line)).toEqual([3]);
    expect(
      await count(`SELECT count(*)::int AS n FROM school_classes WHERE id = '${RENNES_UAI}:2025-2026:CE1 B'`),
    ).toBe(1);
  });
  /**
   * Every HTTP route outside the LRS (LRS credentials guard /xapi: test/lrs-*.e2e.ts) × every role and no session:
   * allowed calls may fail on their input (400), refused ones answer 401 or 403.
   */
  const HTTP_MATRIX: {
    route: string;
    call: (s: Session | null, who: Who | 'anonymous') => Promise<Response>;
    allowed: (Who | 'anonymous')[];
  }[] = [
    { route: 'GET /health', call: () => fetch(`${server.url}/health`), allowed: [...EVERYONE, 'anonymous'] },
    {
      route: 'POST /auth/sign-in',
      call: () =>
        fetch(`${server.url}/auth/sign-in`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        }),
      allowed: [...EVERYONE, 'anonymous'],
    },
    { route: 'GET /auth/session', call: (s) => fetch(`${server.url}/auth/session`, withSession(s)), allowed: EVERYONE },
    {
      // a session of its own: signing out ends it
      route: 'POST /auth/sign-out',
      call: async (_s, who) => {
        const own = who === 'anonymous' ? null : await signIn(server.url, `${who}@authz.test`, `${who}-password-1`);
        return fetch(`${server.url}/auth/sign-out`, { method: 'POST', ...withSession(own) });
      },
      allowed: EVERYONE,
    },
    {
      route: 'POST /admin/imports',
      call: (s) =>
        fetch(`${server.url}/admin/imports?filename=empty.csv`, {
          method: 'POST',
          ...withSession(s, { 'Content-Type': 'text/csv' }),
          body: '',
        }),
      allowed: ['admin'],
    },
    // The training space (docs/training-api.md): public documents, the AUs' own token, the LMS's integration API.
    { route: 'GET /formation/api/openapi.json', call: get('/formation/api/openapi.json'), allowed: ANYONE },
    { route: 'POST /formation/api/fetch/:token', call: post('/formation/api/fetch/unknown', ''), allowed: ANYONE },
    {
      route: 'GET /formation/contenus/:courseId/*',
      call: get(`/formation/contenus/${OWN_PARCOURS}/x.html`),
      allowed: ANYONE,
    },
    {
      route: 'GET /formation/api/attestations/:code',
      call: get('/formation/api/attestations/UNKNOWN'),
      allowed: ANYONE,
    },
    {
      route: 'GET /formation/api/attestations/:code/pdf',
      call: get('/formation/api/attestations/UNKNOWN/pdf'),
      allowed: EVERYONE,
    },
    {
      route: 'GET /formation/api/submissions/:id',
      call: get(`/formation/api/submissions/${UNKNOWN_ID}`),
      allowed: EVERYONE,
    },
    // not a role but a credential: the cmi5 auth token of one launched session, whoever is signed in
    { route: 'GET /formation/api/au/content', call: get('/formation/api/au/content'), allowed: [] },
    { route: 'POST /formation/api/au/quiz', call: post('/formation/api/au/quiz', '{}'), allowed: [] },
    {
      route: 'POST /formation/api/au/submission',
      call: post('/formation/api/au/submission?filename=a.txt', 'x', 'text/plain'),
      allowed: [],
    },
    {
      route: 'GET /formation/api/sessions/:sessionId/grid.csv',
      call: get(`/formation/api/sessions/${UNKNOWN_ID}/grid.csv`),
      allowed: STAFF,
    },
    { route: 'POST /formation/api/packages', call: post('/formation/api/packages', '', 'text/xml'), allowed: STAFF },
    { route: 'POST /formation/api/launches', call: post('/formation/api/launches', '{}'), allowed: STAFF },
    {
      route: 'POST /formation/api/registrations/:registration/waive',
      call: post(`/formation/api/registrations/${UNKNOWN_ID}/waive`, '{"auIndex":0,"reason":"Administrative"}'),
      allowed: STAFF,
    },
    {
      route: 'POST /formation/api/sessions/:sessionId/abandon',
      call: post(`/formation/api/sessions/${UNKNOWN_ID}/abandon`),
      allowed: STAFF,
    },
    {
      // not a role but a credential: the Prometheus token, whoever is signed in
      route: 'GET /metrics',
      call: (s) => fetch(`${server.url}/metrics`, withSession(s)),
      allowed: [],
    },
  ];

  it('covers every HTTP route outside /xapi', () => {
    const routes = server.app
      .get(AccessRegistry)
      .operations()
      .filter((op) => op.kind === 'HTTP' && !/ \/xapi(\/|$)/.test(op.name))
      .map((op) => op.name);
    expect(routes.filter((r) => !HTTP_MATRIX.some((m) => m.route === r))).toEqual([]);
  });

  it.each(HTTP_MATRIX.map((m) => [m.route, m] as const))('%s', async (_route, { call, allowed }) => {
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const who of [...EVERYONE, 'anonymous'] as const) {
      const status = (await call(who === 'anonymous' ? null : sessions[who], who)).status;
      outcomes[who] = status === 401 || status === 403 ? 'refused' : 'allowed';
      expected[who] = allowed.includes(who) ? 'allowed' : 'refused';
    }
    expect(outcomes).toEqual(expected);
  });

  it('answers /metrics to the Prometheus token only', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
  });

  /** A GET of `path` as the caller. */
  function get(path: string) {
    return (s: Session | null) => fetch(`${server.url}${path}`, withSession(s));
  }

  /** A POST of `body` (JSON unless told) to `path` as the caller. */
  function post(path: string, body?: string, contentType = 'application/json') {
    return (s: Session | null) =>
      body === undefined
        ? fetch(`${server.url}${path}`, { method: 'POST', ...withSession(s) })
        : fetch(`${server.url}${path}`, { method: 'POST', ...withSession(s, { 'Content-Type': contentType }), body });
  }

  function withSession(s: Session | null, headers: Record<string, string> = {}): RequestInit {
    return { headers: s ? { ...headers, Cookie: s.cookie, 'X-CSRF-Token': s.csrfToken } : headers };
  }
});
