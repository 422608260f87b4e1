// The training space's part of `npm run demo`, once the server is up: the demo trainer builds « Prendre en main
// l'ENT » and imports the cmi5 package « Sécuriser son compte ENT », opens a session, enrols learners by CSV, and
// some learners progress (their AUs run over HTTP as a browser would run them). Idempotent: skipped when the
// trainer already has the parcours.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_MODULES, DEMO_PARCOURS, zipFolder } from '../libs/training/dist/index.js';

const TRAINER = 'formateur@demo.ent-observatoire.fr';
const LEARNER = 'apprenant@demo.ent-observatoire.fr';
const TEACHER = 'enseignant.0350122t@demo.ent-observatoire.fr';
/** The follow-up's demo accounts (apps/api/src/cli/demo-accounts.command.ts): a 6e teacher and one of their pupils. */
const FOLLOW_UP_COLLEGE = '0352167r';
const PUPIL = 'eleve@demo.ent-observatoire.fr';
const CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
const LEARNERS = [
  ['lea.martin', 'Léa Martin', '0352167R'],
  ['hugo.bernard', 'Hugo Bernard', '0352167R'],
  ['chloe.petit', 'Chloé Petit', '0350122T'],
  ['nathan.robert', 'Nathan Robert', '0350122T'],
  ['ines.richard', 'Inès Richard', '0352167R'],
  ['lucas.durand', 'Lucas Durand', '0940176F'],
  ['manon.dubois', 'Manon Dubois', '0940176F'],
  ['jules.moreau', 'Jules Moreau', '0352167R'],
];

export async function seedTraining({ base, dataDir }) {
  const passwords = JSON.parse(readFileSync(join(dataDir, 'demo-accounts.json'), 'utf8'));
  const session = await signIn(base, TRAINER, passwords[TRAINER]);
  const gql = graphqlAs(base, session);
  const { managedParcours } = await gql('{ managedParcours { id title } }');
  if (managedParcours.some((p) => p.title === DEMO_PARCOURS.title))
    return 'Formation: demo parcours already in place.\n';

  const { createParcours: courseId } = await gql('mutation($i: ParcoursInput!) { createParcours(input: $i) }', {
    i: { ...DEMO_PARCOURS, published: false },
  });
  for (const module of DEMO_MODULES) {
    const { addParcoursModule: moduleId } = await gql(
      'mutation($c: ID!, $t: String!) { addParcoursModule(courseId: $c, title: $t) }',
      { c: courseId, t: module.title },
    );
    for (const a of module.activities) {
      await gql(
        'mutation($c: ID!, $m: ID!, $a: ActivityInput!) { addParcoursActivity(courseId: $c, moduleId: $m, input: $a) }',
        {
          c: courseId,
          m: moduleId,
          a: activityInput(a),
        },
      );
    }
  }
  await gql('mutation($c: ID!, $i: ParcoursInput!) { updateParcours(id: $c, input: $i) }', {
    c: courseId,
    i: DEMO_PARCOURS,
  });

  const basic = `Basic ${Buffer.from(`${TRAINER}:${passwords[TRAINER]}`).toString('base64')}`;
  const packageDir = 'apps/training/dist-package';
  let packageId;
  if (existsSync(join(packageDir, 'cmi5.xml'))) {
    const res = await fetch(`${base}/formation/api/packages`, {
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/zip' },
      body: await zipFolder(packageDir),
    });
    packageId = (await res.json()).courseId;
    await gql('mutation($c: ID!, $i: ParcoursInput!) { updateParcours(id: $c, input: $i) }', {
      c: packageId,
      i: {
        title: 'Sécuriser son compte ENT',
        description:
          'Un module interactif (paquet cmi5 importé) : mot de passe solide, double authentification, hameçonnage.',
        objectives: 'Choisir un mot de passe solide ; reconnaître un message d’hameçonnage.',
        audience: 'Tous les personnels',
        hoursRemote: 0.5,
        mode: 'autoformation',
        origin: 'academie',
        originAcademie: '14',
        published: true,
      },
    });
  }

  const { createTrainingSession: sessionId } = await gql(
    'mutation($i: TrainingSessionInput!) { createTrainingSession(input: $i) }',
    {
      i: {
        courseId,
        name: 'Session de décembre 2026',
        startsOn: '2026-11-30',
        endsOn: '2027-01-31',
        selfEnrolment: true,
      },
    },
  );
  if (packageId) {
    await gql('mutation($i: TrainingSessionInput!) { createTrainingSession(input: $i) }', {
      i: { courseId: packageId, name: 'Autoformation (session permanente)', selfEnrolment: true },
    });
  }
  const csv = [
    'email;nom;uai',
    `${LEARNER};Apprenant·e (démo);`,
    `${TEACHER};Enseignant·e CM1-CM2 (démo);0350122T`,
    ...LEARNERS.map(([login, name, uai]) => `${login}@demo.ent-observatoire.fr;${name};${uai}`),
  ].join('\n');
  await gql('mutation($s: ID!, $csv: String!) { enrolLearnersCsv(sessionId: $s, csv: $csv) { enrolled } }', {
    s: sessionId,
    csv,
  });

  // Progress: the first learners go through some of the parcours, as their browsers would.
  const { sessionGrid } = await gql(
    'query($s: ID!) { sessionGrid(sessionId: $s) { rows { email registration userId } activities { auIndex } } }',
    { s: sessionId },
  );
  const quizzes = DEMO_MODULES.flatMap((m) => m.activities);
  let runs = 0;
  for (const [n, row] of sessionGrid.rows
    .filter(
      (r) => r.email.startsWith('l') || r.email.startsWith('h') || r.email.startsWith('c') || r.email.startsWith('n'),
    )
    .entries()) {
    const upTo = [8, 6, 4, 2][n % 4];
    for (let auIndex = 0; auIndex < upTo; auIndex++) {
      await runAu(base, basic, courseId, row, auIndex, quizzes[auIndex]);
      runs += 1;
    }
  }
  const { sendTrainingReminders } = await gql(
    'mutation($s: ID!) { sendTrainingReminders(sessionId: $s, reason: "not_started") }',
    { s: sessionId },
  );
  const homework = await seedAssignment(base, passwords, courseId, quizzes);
  return `Formation: « ${DEMO_PARCOURS.title} » built by ${TRAINER}${packageId ? ', cmi5 package « Sécuriser son compte ENT » imported' : ''}; session « Session de décembre 2026 » with ${sessionGrid.rows.length} learners, ${runs} activities taken, ${sendTrainingReminders} reminders in the outbox.${homework}\n`;
}

/**
 * Teachers → pupils: the demo's 6e teacher gives their class the RGPD quiz, due in a week, and the demo pupil
 * takes it (as their browser would), so « Devoirs de mes classes » and the class follow-up show a hand-in. Only
 * when the follow-up accounts exist (a simulated roster was imported).
 */
async function seedAssignment(base, passwords, courseId, activities) {
  const teacher = `enseignant.${FOLLOW_UP_COLLEGE}@demo.ent-observatoire.fr`;
  if (!passwords[teacher] || !passwords[PUPIL]) return '';
  const asTeacher = graphqlAs(base, await signIn(base, teacher, passwords[teacher]));
  const { assignmentOptions } = await asTeacher('{ assignmentOptions { classes { id name } } }');
  const cls = assignmentOptions.classes[0];
  if (!cls) return '';
  const auIndex = activities.findIndex((a) => a.title === 'Quiz : RGPD');
  const dueOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(Date.now() + 7 * 86_400_000);
  const { assignTraining: assignmentId } = await asTeacher(
    'mutation($c: String!, $p: String!, $i: Int, $d: String!) { assignTraining(classId: $c, courseId: $p, auIndex: $i, dueOn: $d, subject: "emc") }',
    { c: cls.id, p: courseId, i: auIndex, d: dueOn },
  );
  const asPupil = graphqlAs(base, await signIn(base, PUPIL, passwords[PUPIL]));
  await asPupil('{ myTrainings { sessionId } }');
  const { launchTrainingActivity } = await asPupil(
    'mutation($s: ID!, $i: Int!) { launchTrainingActivity(sessionId: $s, auIndex: $i) { url } }',
    { s: assignmentId, i: auIndex },
  );
  await runLaunched(base, launchTrainingActivity.url, auIndex, activities[auIndex]);
  return ` Devoirs: « Quiz : RGPD » given to ${cls.name} (${FOLLOW_UP_COLLEGE.toUpperCase()}) by ${teacher}, taken by ${PUPIL}.`;
}

function activityInput(a) {
  const base = { title: a.title, kind: a.activity.kind, masteryScore: a.masteryScore ?? null };
  if (a.activity.kind === 'page')
    return {
      ...base,
      body: a.activity.body,
      videoUrl: a.activity.videoUrl ?? null,
      documentUrl: a.activity.documentUrl ?? null,
    };
  if (a.activity.kind === 'depot') return { ...base, instructions: a.activity.instructions };
  return {
    ...base,
    intro: a.activity.intro,
    questions: a.activity.questions.map(
      ({ kind, prompt, choices, correct, accepted, feedbackRight, feedbackWrong }) => ({
        kind,
        prompt,
        choices,
        correct,
        accepted,
        feedbackRight,
        feedbackWrong,
      }),
    ),
  };
}

/** Launches one activity for a learner and runs its AU to the end over HTTP (quizzes answered right). */
async function runAu(base, basic, courseId, row, auIndex, activity) {
  const actor = {
    objectType: 'Agent',
    account: { homePage: 'https://ent-observatory.fr/formation', name: row.userId },
  };
  const launch = await (
    await fetch(`${base}/formation/api/launches`, {
      method: 'POST',
      headers: { Authorization: basic, 'Content-Type': 'application/json' },
      body: JSON.stringify({ courseId, auIndex, actor, registration: row.registration }),
    })
  ).json();
  await runLaunched(base, launch.url, auIndex, activity);
}

/** Runs a launched AU to the end over HTTP, as its page would (quizzes answered right). */
async function runLaunched(base, url, auIndex, activity) {
  const q = new URL(url).searchParams;
  const actor = JSON.parse(q.get('actor'));
  const token = (await (await fetch(q.get('fetch'), { method: 'POST' })).json())['auth-token'];
  const headers = {
    Authorization: `Basic ${token}`,
    'X-Experience-API-Version': '1.0.3',
    'Content-Type': 'application/json',
  };
  const stateUrl = `${base}/xapi/activities/state?${new URLSearchParams({ stateId: 'LMS.LaunchData', activityId: q.get('activityId'), agent: q.get('actor'), registration: q.get('registration') })}`;
  const launchData = await (await fetch(stateUrl, { headers })).json();
  const statement = (verb, result, moveon = false, ext = {}) => ({
    id: randomUUID(),
    actor,
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
    object: { objectType: 'Activity', id: q.get('activityId') },
    context: {
      ...launchData.contextTemplate,
      registration: q.get('registration'),
      contextActivities: {
        ...launchData.contextTemplate.contextActivities,
        category: [{ id: CMI5 }, ...(moveon ? [{ id: MOVEON }] : [])],
      },
      extensions: { ...launchData.contextTemplate.extensions, ...ext },
    },
    ...(result ? { result } : {}),
    timestamp: new Date().toISOString(),
  });
  const post = (s) => fetch(`${base}/xapi/statements`, { method: 'POST', headers, body: JSON.stringify(s) });
  await post(statement('initialized'));
  const minutes = 3 + (auIndex % 4) * 2;
  if (activity?.activity.kind === 'quiz') {
    const answers = Object.fromEntries(
      activity.activity.questions.map((qq, i) => [`q${i + 1}`, qq.kind === 'short' ? qq.accepted[0] : qq.correct]),
    );
    const grade = await (
      await fetch(`${base}/formation/api/au/quiz`, { method: 'POST', headers, body: JSON.stringify({ answers }) })
    ).json();
    await post(
      statement('passed', { success: true, score: { scaled: grade.scaled }, duration: `PT${minutes}M` }, true, {
        'https://w3id.org/xapi/cmi5/context/extensions/masteryscore': launchData.masteryScore,
      }),
    );
  }
  await post(statement('completed', { completion: true, duration: `PT${minutes}M` }, true));
  await post(statement('terminated', { duration: `PT${minutes}M30S` }));
}

async function signIn(base, email, password) {
  const res = await fetch(`${base}/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return { cookie: res.headers.get('set-cookie').split(';')[0], csrf: (await res.json()).csrfToken };
}

function graphqlAs(base, session) {
  return async (query, variables = {}) => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: session.cookie, 'X-CSRF-Token': session.csrf },
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors) throw new Error(`${query.slice(0, 50)}…: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data;
  };
}
