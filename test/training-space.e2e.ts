import { UserRepository } from '@ent-observatory/store';
import { EXT, TestAu, statementsOf, verbsOf } from './support/cmi5.js';
import { type TestServer, startServer } from './support/server.js';
import { type Session, gql, signIn, signedInAs } from './support/session.js';

const PAGE = { title: 'Le cahier de textes', kind: 'page', body: 'Le **cahier de textes** rassemble les devoirs.' };
const QUIZ = {
  title: 'Quiz',
  kind: 'quiz',
  intro: 'Deux questions.',
  masteryScore: 0.5,
  questions: [
    {
      kind: 'single',
      prompt: 'Où noter les devoirs ?',
      choices: ['Cahier de textes', 'Messagerie'],
      correct: [0],
      feedbackRight: 'Oui.',
      feedbackWrong: 'Non : le cahier de textes.',
    },
    { kind: 'truefalse', prompt: 'Le RGPD protège les données personnelles.', correct: [0] },
  ],
};

describe('the training space: a trainer builds and follows, a learner trains and gets an attestation', () => {
  let server: TestServer;
  let trainer: Session;
  let learner: Session;
  let learnerId: string;

  const q = <T>(s: Session, query: string, variables: Record<string, unknown> = {}) =>
    gql<T>(server.url, s, query, variables).then((r) => {
      if (r.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    });

  beforeAll(async () => {
    server = await startServer();
    const users = new UserRepository(server.store.db);
    await users.ensure({
      email: 'formatrice@space.test',
      displayName: 'Claire Formatrice',
      password: 'trainer-pass-1',
      roles: [{ role: 'trainer', scope: 'autre' }],
    });
    learnerId = (
      await users.ensure({
        email: 'prof@space.test',
        displayName: 'Paul Enseignant',
        password: 'learner-pass-1',
        roles: [{ role: 'learner', scope: '' }],
      })
    ).id;
    trainer = await signIn(server.url, 'formatrice@space.test', 'trainer-pass-1');
    learner = await signIn(server.url, 'prof@space.test', 'learner-pass-1');
  });
  afterAll(async () => {
    await server.close();
  });

  it('goes from an empty parcours to a completed one with a verified attestation', async () => {
    const { createParcours: courseId } = await q<{ createParcours: string }>(
      trainer,
      'mutation($i: ParcoursInput!) { createParcours(input: $i) }',
      {
        i: {
          title: "Prendre en main l'ENT",
          description: 'Découvrir',
          audience: 'Enseignants',
          hoursRemote: 2,
          mode: 'autoformation',
        },
      },
    );
    const { addParcoursModule: moduleId } = await q<{ addParcoursModule: string }>(
      trainer,
      'mutation($c: ID!) { addParcoursModule(courseId: $c, title: "Module 1") }',
      { c: courseId },
    );
    for (const activity of [PAGE, QUIZ]) {
      await q(
        trainer,
        'mutation($c: ID!, $m: ID!, $a: ActivityInput!) { addParcoursActivity(courseId: $c, moduleId: $m, input: $a) }',
        {
          c: courseId,
          m: moduleId,
          a: activity,
        },
      );
    }
    const bad = await gql(
      server.url,
      trainer,
      'mutation($c: ID!, $m: ID!, $a: ActivityInput!) { addParcoursActivity(courseId: $c, moduleId: $m, input: $a) }',
      {
        c: courseId,
        m: moduleId,
        a: { title: 'Vide', kind: 'quiz', questions: [] },
      },
    );
    expect(bad.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/au moins une question/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await q(trainer, 'mutation($c: ID!, $i: ParcoursInput!) { updateParcours(id: $c, input: $i) }', {
      c: courseId,
      i: {
        title: "Prendre en main l'ENT",
        description: 'Découvrir',
        audience: 'Enseignants',
        hoursRemote: 2,
        mode: 'autoformation',
        published: true,
      },
    });
    const { createTrainingSession: sessionId } = await q<{ createTrainingSession: string }>(
      trainer,
      'mutation($i: TrainingSessionInput!) { createTrainingSession(input: $i) }',
      { i: { courseId, name: 'Session de novembre', startsOn: '2026-11-02', endsOn: '2027-01-31' } },
    );
    const { enrolLearnersCsv: report } = await q<{ enrolLearnersCsv: Record<string, unknown> }>(
      trainer,
      'mutation($s: ID!, $csv: String!) { enrolLearnersCsv(sessionId: $s, csv: $csv) { enrolled created alreadyEnrolled rejected { line reason } } }',
      {
        s: sessionId,
        csv: 'email;nom;uai\nprof@space.test;Paul;0350122T\nnouvelle@space.test;Nina Nouvelle;\npas-une-adresse;X;\n',
      },
    );
    expect(report).toEqual({
      enrolled: ['prof@space.test', 'nouvelle@space.test'],
      created: ['nouvelle@space.test'],
      alreadyEnrolled: [],
      rejected: [{ line: 4, reason: 'adresse électronique invalide' }],
    });

    // The learner finds it, launches the page (a native AU), and completes it as the AU page would.
    const mine = await q<{
      myTrainings: { sessionId: string; activities: { status: string }[]; resumeAuIndex: number }[];
    }>(learner, '{ myTrainings { sessionId resumeAuIndex activities { status } } }');
    expect(mine.myTrainings).toEqual([
      { sessionId, resumeAuIndex: 0, activities: [{ status: 'not_started' }, { status: 'not_started' }] },
    ]);
    const launchOf = async (auIndex: number) =>
      (
        await q<{ launchTrainingActivity: { url: string } }>(
          learner,
          'mutation($s: ID!, $i: Int!) { launchTrainingActivity(sessionId: $s, auIndex: $i) { url } }',
          { s: sessionId, i: auIndex },
        )
      ).launchTrainingActivity.url;
    const pageUrl = await launchOf(0);
    expect(new URL(pageUrl).pathname).toBe(`/formation/activite/${courseId}/0`);
    const page = await new TestAu(pageUrl).start();
    expect(page.launchData.returnURL).toBe(`${server.url}/formation/mes-formations/${sessionId}`);
    expect((page.launchData.contextTemplate as { extensions: Record<string, string> }).extensions).toMatchObject({
      'https://ent-observatory.fr/xapi/extensions/uai': '0350122T',
    });
    const content = await fetch(`${server.url}/formation/api/au/content`, {
      headers: { Authorization: `Basic ${page.token}` },
    });
    expect(await content.json()).toMatchObject({ title: PAGE.title, activity: { kind: 'page', body: PAGE.body } });
    for (const st of [
      page.statement('initialized'),
      page.statement('completed', { moveon: true, result: { completion: true, duration: 'PT2M' } }),
      page.statement('terminated', { result: { duration: 'PT2M5S' } }),
    ]) {
      expect((await page.send(st)).status).toBe(200);
    }

    // The quiz: graded by the LMS; a better score than the answers earned is refused.
    const quiz = await new TestAu(await launchOf(1)).start();
    const quizContent = (await (
      await fetch(`${server.url}/formation/api/au/content`, { headers: { Authorization: `Basic ${quiz.token}` } })
    ).json()) as {
      activity: { questions: Record<string, unknown>[] };
    };
    expect(quizContent.activity.questions[0]).not.toHaveProperty('correct');
    const grade = async (answers: Record<string, unknown>) =>
      (await (
        await fetch(`${server.url}/formation/api/au/quiz`, {
          method: 'POST',
          headers: { Authorization: `Basic ${quiz.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ answers }),
        })
      ).json()) as { scaled: number; passed: boolean; questions: { feedback: string }[] };
    const wrong = await grade({ q1: [1], q2: [1] });
    expect(wrong).toMatchObject({
      scaled: 0,
      passed: false,
      questions: [{ feedback: 'Non : le cahier de textes.' }, expect.anything()],
    });
    expect((await quiz.send(quiz.statement('initialized'))).status).toBe(200);
    const passedWith = (scaled: number) =>
      quiz.statement('passed', {
        moveon: true,
        ext: { [`${EXT}masteryscore`]: 0.5 },
        result: { success: true, score: { scaled }, duration: 'PT1M' },
      });
    expect((await quiz.send(passedWith(1))).status).toBe(400);
    expect(await grade({ q1: [0], q2: [0] })).toMatchObject({ scaled: 1, passed: true });
    expect((await quiz.send(passedWith(1))).status).toBe(200);
    expect((await quiz.send(quiz.statement('terminated', { result: { duration: 'PT1M10S' } }))).status).toBe(200);
    const registration = quiz.registration;
    expect(verbsOf(await statementsOf(server.url, registration)).filter((v) => v === 'satisfied')).toHaveLength(2);

    // Results, then the attestation, checked by its public page's API, and its PDF.
    const after = await q<{
      myTrainings: { completedAt: string | null; activities: { status: string; scoreScaled: number | null }[] }[];
    }>(learner, '{ myTrainings { completedAt activities { status scoreScaled } } }');
    expect(after.myTrainings[0]).toMatchObject({
      completedAt: expect.any(String),
      activities: [
        { status: 'completed', scoreScaled: null },
        { status: 'passed', scoreScaled: 1 },
      ],
    });
    const { issueAttestation } = await q<{ issueAttestation: { code: string; hours: number } }>(
      learner,
      'mutation($s: ID!) { issueAttestation(sessionId: $s) { code hours } }',
      { s: sessionId },
    );
    expect(issueAttestation.hours).toBe(2);
    const verified = await fetch(`${server.url}/formation/api/attestations/${issueAttestation.code.toLowerCase()}`);
    expect(await verified.json()).toMatchObject({
      learnerName: 'Paul Enseignant',
      courseTitle: "Prendre en main l'ENT",
      hours: 2,
    });
    expect((await fetch(`${server.url}/formation/api/attestations/AAAA-BBBB-CCCC`)).status).toBe(404);
    const pdf = await fetch(`${server.url}/formation/api/attestations/${issueAttestation.code}/pdf`, {
      headers: { Cookie: learner.cookie },
    });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // The trainer's grid, its CSV, a reminder to whoever has not started, a discussion.
    const { sessionGrid } = await q<{ sessionGrid: { rows: { email: string; cells: unknown[][] }[] } }>(
      trainer,
      'query($s: ID!) { sessionGrid(sessionId: $s) { rows { email cells } } }',
      { s: sessionId },
    );
    expect(sessionGrid.rows).toEqual([
      {
        email: 'nouvelle@space.test',
        cells: [
          ['not_started', null, 0, null],
          ['not_started', null, 0, null],
        ],
      },
      {
        email: 'prof@space.test',
        cells: [
          ['completed', null, 125, expect.any(String)],
          ['passed', 1, 70, expect.any(String)],
        ],
      },
    ]);
    const csv = await fetch(`${server.url}/formation/api/sessions/${sessionId}/grid.csv`, {
      headers: { Cookie: trainer.cookie },
    });
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM spreadsheets need to read UTF-8
    expect(bytes.subarray(3).toString('utf8')).toMatch(
      /^Apprenant;Adresse;.*\r\nNina Nouvelle;nouvelle@space\.test;non commencé/,
    );
    expect(
      (
        await q<{ sendTrainingReminders: number }>(
          trainer,
          'mutation($s: ID!) { sendTrainingReminders(sessionId: $s, reason: "not_started") }',
          { s: sessionId },
        )
      ).sendTrainingReminders,
    ).toBe(1);
    const { sessionReminders } = await q<{ sessionReminders: { email: string; subject: string }[] }>(
      trainer,
      'query($s: ID!) { sessionReminders(sessionId: $s) { email subject } }',
      { s: sessionId },
    );
    expect(sessionReminders).toEqual([
      { email: 'nouvelle@space.test', subject: "Votre formation « Prendre en main l'ENT » vous attend" },
    ]);
    const { startTrainingThread: threadId } = await q<{ startTrainingThread: string }>(
      learner,
      'mutation($s: ID!) { startTrainingThread(sessionId: $s, title: "Question", body: "Et le RGPD ?") }',
      { s: sessionId },
    );
    await q(trainer, 'mutation($t: ID!) { replyTrainingThread(threadId: $t, body: "Voir le module 4.") }', {
      t: threadId,
    });
    const { sessionThreads } = await q<{
      sessionThreads: { title: string; posts: { author: string; body: string }[] }[];
    }>(learner, 'query($s: ID!) { sessionThreads(sessionId: $s) { title posts { author body } } }', { s: sessionId });
    expect(sessionThreads).toEqual([
      {
        title: 'Question',
        posts: [
          { author: 'Paul Enseignant', body: 'Et le RGPD ?' },
          { author: 'Claire Formatrice', body: 'Voir le module 4.' },
        ],
      },
    ]);

    // A learner sees neither the grid nor another session; the trainer can waive for the one who has not started.
    const refused = await gql(server.url, learner, 'query($s: ID!) { sessionGrid(sessionId: $s) { sessionId } }', {
      s: sessionId,
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const nina = await server.store.query<{ id: string }>("SELECT id FROM users WHERE email = 'nouvelle@space.test'");
    await q(
      trainer,
      'mutation($s: ID!, $u: ID!) { waiveTrainingActivity(sessionId: $s, userId: $u, auIndex: 0, reason: "Administrative") }',
      { s: sessionId, u: nina[0]!.id },
    );
    expect(learnerId).toBeDefined();
  });
  it('lets a learner hand in a file to a dépôt, which the staff of the session and that learner alone can download', async () => {
    const { createParcours: courseId } = await q<{ createParcours: string }>(
      trainer,
      'mutation($i: ParcoursInput!) { createParcours(input: $i) }',
      { i: { title: 'Concevoir une séquence', hoursRemote: 1, mode: 'accompagne', published: true } },
    );
    const { addParcoursModule: moduleId } = await q<{ addParcoursModule: string }>(
      trainer,
      'mutation($c: ID!) { addParcoursModule(courseId: $c, title: "Module 1") }',
      { c: courseId },
    );
    await q(
      trainer,
      'mutation($c: ID!, $m: ID!, $a: ActivityInput!) { addParcoursActivity(courseId: $c, moduleId: $m, input: $a) }',
      {
        c: courseId,
        m: moduleId,
        a: { title: 'Rendre sa séquence', kind: 'depot', instructions: 'Déposez votre séquence\n(PDF ou texte).' },
      },
    );
    const { createTrainingSession: sessionId } = await q<{ createTrainingSession: string }>(
      trainer,
      'mutation($i: TrainingSessionInput!) { createTrainingSession(input: $i) }',
      { i: { courseId, name: 'Session dépôt' } },
    );
    await q(trainer, 'mutation($s: ID!, $e: [String!]!) { enrolLearners(sessionId: $s, emails: $e) { enrolled } }', {
      s: sessionId,
      e: ['prof@space.test'],
    });
    const { launchTrainingActivity } = await q<{ launchTrainingActivity: { url: string } }>(
      learner,
      'mutation($s: ID!) { launchTrainingActivity(sessionId: $s, auIndex: 0) { url } }',
      { s: sessionId },
    );
    const au = await new TestAu(launchTrainingActivity.url).start();
    const file = Buffer.from('%PDF-1.4 séquence de Paul', 'utf8');
    const handedIn = await fetch(
      `${server.url}/formation/api/au/submission?filename=${encodeURIComponent('Séquence (v2).pdf')}`,
      {
        method: 'POST',
        headers: { Authorization: `Basic ${au.token}`, 'Content-Type': 'application/pdf' },
        body: file,
      },
    );
    expect(handedIn.status).toBe(201);
    const { id } = (await handedIn.json()) as { id: string };

    // The trainer of the session sees it in the list and downloads exactly what was sent, as a download.
    const { sessionSubmissions } = await q<{ sessionSubmissions: Record<string, unknown>[] }>(
      trainer,
      'query($s: ID!) { sessionSubmissions(sessionId: $s) { id displayName email auIndex filename size } }',
      { s: sessionId },
    );
    expect(sessionSubmissions).toEqual([
      {
        id,
        displayName: 'Paul Enseignant',
        email: 'prof@space.test',
        auIndex: 0,
        filename: 'Séquence (v2).pdf',
        size: file.length,
      },
    ]);
    const download = (s: Session) =>
      fetch(`${server.url}/formation/api/submissions/${id}`, { headers: { Cookie: s.cookie } });
    const byTrainer = await download(trainer);
    expect(byTrainer.status).toBe(200);
    expect(Buffer.from(await byTrainer.arrayBuffer())).toEqual(file);
    expect(byTrainer.headers.get('content-type')).toBe('application/octet-stream');
    expect(byTrainer.headers.get('content-disposition')).toBe(
      `attachment; filename="Sequence (v2).pdf"; filename*=UTF-8''S%C3%A9quence%20%28v2%29.pdf`,
    );
    // the learner who handed it in may download it back
    expect((await download(learner)).status).toBe(200);

    // Another trainer is refused the file and the list; without a session, nothing.
    const stranger = await signedInAs(server, {
      email: 'autre-formateur@space.test',
      displayName: 'Autre Formateur',
      password: 'other-trainer-pass-1',
      roles: [{ role: 'trainer', scope: 'autre' }],
    });
    expect((await download(stranger)).status).toBe(403);
    const list = await gql(server.url, stranger, 'query($s: ID!) { sessionSubmissions(sessionId: $s) { id } }', {
      s: sessionId,
    });
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await fetch(`${server.url}/formation/api/submissions/${id}`)).status).toBe(401);
  });
});
