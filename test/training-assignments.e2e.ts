import { queryRows } from '@ent-observatory/warehouse';
import { EXT, type ReadStatement, TestAu } from './support/cmi5.js';
import { publishParcours } from './support/parcours.js';
import { ACCOUNTS, CLASS, PUPILS, seedFollowUp } from './support/follow-up.js';
import { type TestServer, basicAuth, startServer } from './support/server.js';
import { type Session, errorCode, gql, signIn, signedInAs } from './support/session.js';

const CX = 'https://ent-observatory.fr/xapi/extensions/';
const PAGE = { title: 'Les fractions en images', kind: 'page', body: 'Une **fraction** partage une unité.' };
const QUIZ = {
  title: 'Quiz des fractions',
  kind: 'quiz',
  masteryScore: 0.5,
  questions: [
    { kind: 'single', prompt: 'La moitié de 1 ?', choices: ['1/2', '2'], correct: [0] },
    { kind: 'truefalse', prompt: '1/4 est plus petit que 1/2.', correct: [0] },
  ],
};
const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every statement with this verb whose object is the homework, read with the LRS key that sees everyone. */
async function homeworkStatements(base: string, verb: string, homework: string): Promise<ReadStatement[]> {
  const url = `${base}/xapi/statements?verb=${encodeURIComponent(verb)}&activity=${encodeURIComponent(homework)}`;
  const res = await fetch(url, { headers: { Authorization: basicAuth(), 'X-Experience-API-Version': '1.0.3' } });
  return ((await res.json()) as { statements: ReadStatement[] }).statements;
}

describe('teachers → pupils: an assignment to a class is homework the follow-up counts', () => {
  let server: TestServer;
  let teacher: Session;
  let hugo: Session;
  let courseId: string;

  const q = <T>(s: Session, query: string, variables: Record<string, unknown> = {}) =>
    gql<T>(server.url, s, query, variables).then((r) => {
      if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    });

  beforeAll(async () => {
    server = await startServer();
    await seedFollowUp(server);
    // PostgreSQL outlives a test server (server mode): assignments and the pupil account of an earlier run go.
    await server.store.query('DELETE FROM training_sessions WHERE class_id = $1', [CLASS]);
    await server.store.query(`DELETE FROM users WHERE email = 'chloe@devoirs.test'`);
    courseId = (await publishParcours(server, 'Les fractions', [PAGE, QUIZ])).courseId;
    teacher = await signIn(server.url, ACCOUNTS.teacher!.email, ACCOUNTS.teacher!.password);
    hugo = await signIn(server.url, ACCOUNTS.pupil!.email, ACCOUNTS.pupil!.password);
  });
  afterAll(async () => {
    await server.close();
  });

  it('assigns the quiz to 6e A; Hugo passes it; the follow-up shows it done and marked, under pseudonyms only', async () => {
    const options = await q<{
      assignmentOptions: { classes: { id: string }[]; parcours: { id: string; activities: { title: string }[] }[] };
    }>(teacher, '{ assignmentOptions { classes { id } parcours { id activities { title } } subjects { code } } }');
    expect(options.assignmentOptions.classes).toEqual([{ id: CLASS }]);
    expect(options.assignmentOptions.parcours.find((p) => p.id === courseId)?.activities).toEqual([
      { title: PAGE.title },
      { title: QUIZ.title },
    ]);

    const assign = (vars: Record<string, unknown>) =>
      gql<{ assignTraining: string }>(
        server.url,
        teacher,
        'mutation($c: String!, $p: String!, $i: Int, $d: String!, $s: String!) { assignTraining(classId: $c, courseId: $p, auIndex: $i, dueOn: $d, subject: $s) }',
        { c: CLASS, p: courseId, i: 1, d: day(Date.now() + 7 * DAY), s: 'mathematiques', ...vars },
      );
    expect(errorCode(await assign({ s: 'cuisine' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await assign({ d: day(Date.now() - 2 * DAY) }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await assign({ i: 7 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await assign({ c: '0352167R:2026-2027:6e B' }))).toBe('FORBIDDEN');
    const created = await assign({});
    expect(created.errors).toBeUndefined();
    const assignmentId = created.data!.assignTraining;
    const homework = `https://ent-observatory.fr/xapi/formation/assignments/${assignmentId}`;

    // The LMS recorded it as an ENT's cahier de textes would: the teacher set homework for the class.
    const [assigned] = await homeworkStatements(server.url, 'http://activitystrea.ms/schema/1.0/assign', homework);
    expect(assigned).toMatchObject({
      object: { id: homework, definition: { type: 'https://ent-observatory.fr/xapi/activities/homework' } },
      context: {
        extensions: {
          [`${CX}class`]: CLASS,
          [`${CX}subject`]: 'mathematiques',
          [`${CX}profile`]: 'ENSEIGNANT',
          [`${CX}due`]: expect.stringMatching(/T2[12]:59:00\.000Z$/),
        },
      },
    });

    // Hugo sees it in « mes formations », only the quiz, and may launch nothing else.
    const mine = await q<{
      myTrainings: { sessionId: string; assignment: Record<string, unknown>; activities: { auIndex: number }[] }[];
    }>(hugo, '{ myTrainings { sessionId assignment { classId subject auIndex handedInAt } activities { auIndex } } }');
    expect(mine.myTrainings).toEqual([
      {
        sessionId: assignmentId,
        assignment: { classId: CLASS, subject: 'mathematiques', auIndex: 1, handedInAt: null },
        activities: [{ auIndex: 1 }],
      },
    ]);
    const launch = (i: number) =>
      gql<{ launchTrainingActivity: { url: string } }>(
        server.url,
        hugo,
        'mutation($s: ID!, $i: Int!) { launchTrainingActivity(sessionId: $s, auIndex: $i) { url } }',
        { s: assignmentId, i },
      );
    expect(errorCode(await launch(0))).toBe('FORBIDDEN');
    const au = await new TestAu((await launch(1)).data!.launchTrainingActivity.url).start();
    expect((au.launchData.contextTemplate as { extensions: Record<string, string> }).extensions).toMatchObject({
      [`${CX}class`]: CLASS,
      [`${CX}profile`]: 'ELEVE',
      [`${CX}person`]: PUPILS.hugo.person,
    });
    const graded = await fetch(`${server.url}/formation/api/au/quiz`, {
      method: 'POST',
      headers: { Authorization: `Basic ${au.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers: { q1: [0], q2: [1] } }),
    });
    expect(await graded.json()).toMatchObject({ scaled: 0.5, passed: true });
    for (const st of [
      au.statement('initialized'),
      au.statement('passed', {
        moveon: true,
        ext: { [`${EXT}masteryscore`]: 0.5 },
        result: { success: true, score: { scaled: 0.5 }, duration: 'PT3M' },
      }),
      au.statement('terminated', { result: { duration: 'PT3M10S' } }),
    ]) {
      expect((await au.send(st)).status).toBe(200);
    }

    // The hand-in and the mark, as the pupil, with the profile's person: the roster's pseudonym.
    const [submitted] = await homeworkStatements(server.url, 'http://activitystrea.ms/schema/1.0/submit', homework);
    expect(submitted).toMatchObject({
      actor: { account: { name: expect.any(String) } },
      result: { extensions: { [`${CX}on-time`]: true } },
      context: { extensions: { [`${CX}person`]: PUPILS.hugo.person, [`${CX}profile`]: 'ELEVE' } },
    });
    const [scored] = await homeworkStatements(server.url, 'http://adlnet.gov/expapi/verbs/scored', homework);
    expect(scored?.result).toMatchObject({ score: { scaled: 0.5 } });
    await server.settle();

    // From yesterday: the seeded homework of November 2026 stays out of the period.
    const period = { from: day(Date.now() - DAY), to: day(Date.now() + 30 * DAY) };
    const page = await q<{
      pupilFollowUp: {
        homework: { id: string; title: string; subject: string; status: string; mark: number | null }[];
        scores: { title: string; mark: number; kind: string }[];
      };
    }>(
      teacher,
      `query($p: String!, $f: String!, $t: String!) { pupilFollowUp(pupilId: $p, from: $f, to: $t) {
         homework { id title subject status mark } scores { title mark kind } } }`,
      { p: PUPILS.hugo.id, f: period.from, t: period.to },
    );
    expect(page.pupilFollowUp.homework).toEqual([
      { id: homework, title: QUIZ.title, subject: 'mathematiques', status: 'done', mark: 10 },
    ]);
    expect(page.pupilFollowUp.scores).toEqual([{ title: QUIZ.title, mark: 10, kind: 'homework' }]);
    const cls = await q<{
      classFollowUp: { pupils: { displayName: string; homework: { assigned: number; done: number } }[] };
    }>(
      teacher,
      `query($c: String!, $f: String!, $t: String!) { classFollowUp(classId: $c, from: $f, to: $t) {
         pupils { displayName homework { assigned done } } } }`,
      { c: CLASS, f: period.from, t: period.to },
    );
    // The seeded pupils (a demo run on the same PostgreSQL server may have put simulated ones in the class too).
    const seeded = new Set<string>(Object.values(PUPILS).map((p) => p.name));
    const counts = Object.fromEntries(
      cls.classFollowUp.pupils.filter((p) => seeded.has(p.displayName)).map((p) => [p.displayName, p.homework]),
    );
    expect(counts).toEqual({
      [PUPILS.hugo.name]: { assigned: 1, done: 1 },
      [PUPILS.lea.name]: { assigned: 1, done: 0 },
      [PUPILS.chloe.name]: { assigned: 1, done: 0 },
      // Without an ENT identity nothing of Nathan can reach the LRS: no homework is counted for him.
      [PUPILS.nathan.name]: { assigned: 0, done: 0 },
    });

    // Names never reach ClickHouse: the pupil's rows carry the pseudonym the follow-up computes from the roster.
    const named = await queryRows<{ n: string }>(
      server.warehouse.client,
      `SELECT count() AS n FROM statements WHERE position(raw, {a:String}) > 0 OR position(raw, {b:String}) > 0`,
      { a: 'Bernard', b: ACCOUNTS.pupil!.email },
    );
    expect(Number(named[0]!.n)).toBe(0);

    // The teacher's list: the roster's pupils, Hugo enrolled and done; Chloé's account, made later, gets it.
    const roster = (
      await server.store.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM class_members WHERE class_id = $1 AND role = 'pupil'`,
        [CLASS],
      )
    )[0]!.n;
    const withAccount = async () =>
      (
        await server.store.query<{ n: number }>(
          `SELECT count(DISTINCT m.member_id)::int AS n FROM class_members m
             JOIN user_roles r ON r.role = 'pupil' AND r.scope = m.member_id WHERE m.class_id = $1`,
          [CLASS],
        )
      )[0]!.n;
    const list = () =>
      q<{ classAssignments: Record<string, unknown>[] }>(
        teacher,
        `query($c: String!) { classAssignments(classId: $c) { id title subject pupils enrolled started handedIn late meanScore } }`,
        { c: CLASS },
      );
    expect((await list()).classAssignments).toEqual([
      {
        id: assignmentId,
        title: QUIZ.title,
        subject: 'mathematiques',
        pupils: roster,
        enrolled: await withAccount(),
        started: 1,
        handedIn: 1,
        late: 0,
        meanScore: 0.5,
      },
    ]);
    const chloe = await signedInAs(server, {
      email: 'chloe@devoirs.test',
      displayName: 'Chloé',
      password: 'chloe-password-1',
      roles: [{ role: 'pupil', scope: PUPILS.chloe.id }],
    });
    const hers = await q<{ myTrainings: { sessionId: string }[] }>(chloe, '{ myTrainings { sessionId } }');
    expect(hers.myTrainings).toEqual([{ sessionId: assignmentId }]);
    expect((await list()).classAssignments[0]).toMatchObject({ enrolled: await withAccount(), handedIn: 1 });

    // The parcours's trainer does not see the class's pupils: the assignment is not one of their sessions.
    const trainer = await signIn(server.url, 'formatrice@devoirs.test', 'trainer-pass-1');
    const grid = await gql(server.url, trainer, `{ sessionGrid(sessionId: "${assignmentId}") { sessionId } }`);
    expect(errorCode(grid)).toBe('FORBIDDEN');
  });
});
