import { randomUUID } from 'node:crypto';
import { importDirectory } from '@ent-observatory/directory';
import { type RoleGrant, UserRepository } from '@ent-observatory/store';
import {
  ENT_ACTIVITY_TYPES as T,
  ENT_CONTEXT_EXTENSIONS as CX,
  ENT_PROFILE_ID,
  ENT_RESULT_EXTENSIONS as RX,
  ENT_VERBS as V,
  type SocleComponent,
  serviceActivityType,
  socleComponentId,
} from '@ent-observatory/xapi';
import { bundledFiles } from './directory.js';
import { type TestServer, xapiHeaders } from './server.js';

/**
 * A 6e class of a real Rennes collège followed over the autumn term 2026, with pupils whose statements tell known
 * stories (the figures the tests expect are worked out by hand from them):
 * - Léa Martin: active every school day, every homework on time, marks 14–16; last year in CM2 at a feeder school;
 * - Hugo Bernard: active until Monday 9 November 2026, then nothing: inactive, homework missing;
 * - Chloé Petit: hands homework in late, marks falling from 15 to 8;
 * - Nathan Roux: in the roster without ENT identity (no statements to show).
 */
export const COLLEGE = '0352167R';
export const SCHOOL = '0350122T';
export const CLASS = `${COLLEGE}:2026-2027:6e A`;
export const CM2_CLASS = `${SCHOOL}:2025-2026:CM2 A`;
export const PERIOD = { from: '2026-09-01', to: '2026-11-27' };
export const HOME = 'https://www.toutatice.fr';

export const PUPILS = {
  lea: { id: 'el-fu-lea', name: 'Léa Martin', person: 'fid-test-lea' },
  hugo: { id: 'el-fu-hugo', name: 'Hugo Bernard', person: 'fid-test-hugo' },
  chloe: { id: 'el-fu-chloe', name: 'Chloé Petit', person: 'fid-test-chloe' },
  nathan: { id: 'el-fu-nathan', name: 'Nathan Roux', person: '' },
} as const;

export const ACCOUNTS: Record<string, { email: string; password: string; roles: RoleGrant[] }> = {
  teacher: {
    email: 'prof.6ea@suivi.test',
    password: 'prof-6ea-password-1',
    roles: [{ role: 'teacher', scope: CLASS }],
  },
  head: {
    email: 'principal@suivi.test',
    password: 'principal-password-1',
    roles: [{ role: 'establishment', scope: COLLEGE }],
  },
  parent: {
    email: 'parent.lea@suivi.test',
    password: 'parent-lea-password-1',
    roles: [{ role: 'parent', scope: PUPILS.lea.id }],
  },
  pupil: { email: 'hugo@suivi.test', password: 'hugo-password-1', roles: [{ role: 'pupil', scope: PUPILS.hugo.id }] },
};

const ROSTER = [
  'uai;classe;niveau;annee_scolaire;membre;role;type;nom;personne;compte',
  `${COLLEGE};6e A;6e;2026-2027;ens-fu-01;enseignant;classe;;;`,
  ...Object.values(PUPILS).map((p) => `${COLLEGE};6e A;6e;2026-2027;${p.id};eleve;classe;${p.name};${p.person};`),
  `${SCHOOL};CM2 A;CM2;2025-2026;${PUPILS.lea.id};eleve;classe;${PUPILS.lea.name};${PUPILS.lea.person};`,
].join('\n');

/** Homework of the class: id suffix, subject, due day (08:00 Paris), expected minutes. */
export const HOMEWORK = [
  { n: 1, subject: 'mathematiques', due: '2026-11-10', minutes: 30 },
  { n: 2, subject: 'francais', due: '2026-11-13', minutes: 45 },
  { n: 3, subject: 'mathematiques', due: '2026-11-17', minutes: 30 },
  { n: 4, subject: 'histoire_geographie', due: '2026-11-20', minutes: 20 },
  { n: 5, subject: 'francais', due: '2026-11-20', minutes: 40 },
] as const;

function statement(
  person: string,
  uai: string,
  classId: string,
  at: string,
  verb: string,
  object: Record<string, unknown>,
  extra: { profile?: string; ext?: Record<string, unknown>; result?: Record<string, unknown> } = {},
): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: HOME, name: `acct-${person || 'prof'}` } },
    verb: { id: verb },
    object: { objectType: 'Activity', ...object },
    ...(extra.result ? { result: extra.result } : {}),
    context: {
      platform: 'toutatice',
      contextActivities: { category: [{ id: ENT_PROFILE_ID }] },
      extensions: {
        [CX.uai]: uai,
        [CX.profile]: extra.profile ?? 'ELEVE',
        [CX.class]: classId,
        ...(person ? { [CX.person]: person } : {}),
        ...extra.ext,
      },
    },
    timestamp: at,
  };
}

const visit = (person: string, day: string, hour = '17:30') =>
  statement(person, COLLEGE, CLASS, `${day}T${hour}:00+01:00`, V.accessed, {
    id: `${HOME}/cahier-de-textes`,
    definition: { type: serviceActivityType('cahier_textes') },
  });
const homeworkObject = (n: number) => ({
  id: `${HOME}/devoirs/6eA/${n}`,
  definition: { type: T.homework, name: { 'fr-FR': `Devoir ${n}` } },
});
const dueOf = (n: number) => `${HOMEWORK.find((h) => h.n === n)!.due}T08:00:00+01:00`;
const submit = (person: string, n: number, at: string, onTime: boolean) =>
  statement(person, COLLEGE, CLASS, at, V.submitted, homeworkObject(n), {
    ext: { [CX.due]: dueOf(n), [CX.subject]: HOMEWORK.find((h) => h.n === n)!.subject },
    result: { completion: true, extensions: { [RX.onTime]: onTime } },
  });
const mark = (person: string, day: string, raw: number, subject: string, uai = COLLEGE, classId = CLASS) =>
  statement(
    person,
    uai,
    classId,
    `${day}T18:00:00+01:00`,
    V.scored,
    {
      id: `${HOME}/evaluations/${encodeURIComponent(classId)}/${day}`,
      definition: { type: T.assessment, name: { 'fr-FR': `Évaluation du ${day}` } },
    },
    { ext: { [CX.subject]: subject }, result: { score: { raw, min: 0, max: 20 }, success: raw >= 10 } },
  );
const socle = (
  person: string,
  day: string,
  c: SocleComponent,
  level: number,
  uai = COLLEGE,
  classId = CLASS,
  cycle = 3,
) =>
  statement(
    person,
    uai,
    classId,
    `${day}T16:00:00+01:00`,
    V.evaluated,
    { id: socleComponentId(c), definition: { type: T.socleComponent } },
    {
      ext: { [CX.cycle]: cycle },
      result: { extensions: { [RX.competenceLevel]: level } },
    },
  );

/** School days of November 2026 up to the 27th (11 November is a public holiday). */
const NOVEMBER = [
  '02',
  '03',
  '04',
  '05',
  '06',
  '09',
  '10',
  '12',
  '13',
  '16',
  '17',
  '18',
  '19',
  '20',
  '23',
  '24',
  '25',
  '26',
  '27',
].map((d) => `2026-11-${d}`);

export function followUpStatements(): Record<string, unknown>[] {
  const { lea, hugo, chloe } = PUPILS;
  const s: Record<string, unknown>[] = [];
  for (const h of HOMEWORK) {
    const assigned = `2026-11-0${Math.min(9, h.n + 2)}T10:00:00+01:00`;
    s.push(
      statement('', COLLEGE, CLASS, assigned, V.assigned, homeworkObject(h.n), {
        profile: 'ENSEIGNANT',
        ext: { [CX.due]: dueOf(h.n), [CX.subject]: h.subject, [CX.expectedDuration]: `PT${h.minutes}M` },
      }),
    );
  }
  for (const day of NOVEMBER) {
    s.push(visit(lea.person, day), visit(chloe.person, day, '20:15'));
    if (day <= '2026-11-09') s.push(visit(hugo.person, day));
  }
  // Léa: everything on time; Hugo: only the first (before he stops); Chloé: three late, one on time, one missing.
  for (const h of HOMEWORK) s.push(submit(lea.person, h.n, `${h.due}T07:00:00+01:00`, true));
  s.push(submit(hugo.person, 1, '2026-11-09T18:00:00+01:00', true));
  s.push(submit(chloe.person, 1, '2026-11-10T20:00:00+01:00', false));
  s.push(submit(chloe.person, 2, '2026-11-13T21:00:00+01:00', false));
  s.push(submit(chloe.person, 3, '2026-11-17T21:00:00+01:00', false));
  s.push(submit(chloe.person, 4, '2026-11-19T21:00:00+01:00', true));
  // Marks: Léa steady; Chloé 15, 15, 14 then 8, 9, 7.
  const days = ['2026-10-06', '2026-10-13', '2026-10-15', '2026-11-17', '2026-11-19', '2026-11-24'];
  const chloeMarks = [15, 15, 14, 8, 9, 7];
  days.forEach((d, i) => {
    const subject = i % 2 === 0 ? 'mathematiques' : 'francais';
    s.push(mark(lea.person, d, 14 + (i % 3), subject), mark(chloe.person, d, chloeMarks[i]!, subject));
  });
  s.push(
    socle(lea.person, '2026-11-05', 'CPD_FRA', 3),
    socle(lea.person, '2026-11-26', 'CPD_FRA', 4),
    socle(lea.person, '2026-11-26', 'CPD_ETR', 0),
    socle(chloe.person, '2026-11-26', 'CPD_FRA', 2),
  );
  // Léa's CM2 last year at the feeder school: positionings and homework there.
  s.push(
    socle(lea.person, '2026-05-12', 'CPD_SCI', 4, SCHOOL, CM2_CLASS),
    socle(lea.person, '2026-05-12', 'MET_APP', 3, SCHOOL, CM2_CLASS),
    statement(
      '',
      SCHOOL,
      CM2_CLASS,
      '2026-05-04T10:00:00+02:00',
      V.assigned,
      { id: `${HOME}/devoirs/cm2a/1`, definition: { type: T.homework } },
      {
        profile: 'ENSEIGNANT',
        ext: { [CX.due]: '2026-05-07T08:30:00+02:00', [CX.subject]: 'francais' },
      },
    ),
    statement(
      lea.person,
      SCHOOL,
      CM2_CLASS,
      '2026-05-06T18:00:00+02:00',
      V.submitted,
      { id: `${HOME}/devoirs/cm2a/1`, definition: { type: T.homework } },
      {
        ext: { [CX.due]: '2026-05-07T08:30:00+02:00', [CX.subject]: 'francais' },
        result: { completion: true, extensions: { [RX.onTime]: true } },
      },
    ),
    mark(lea.person, '2026-05-20', 17, 'mathematiques', SCHOOL, CM2_CLASS),
  );
  return s;
}

/** Imports the bundled directory and the roster above, creates the accounts, posts the statements. */
export async function seedFollowUp(server: TestServer): Promise<void> {
  await importDirectory(server.store, server.warehouse, bundledFiles());
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'suivi-')), 'classes-suivi.csv');
  writeFileSync(file, ROSTER);
  await importDirectory(server.store, server.warehouse, [file]);
  // PostgreSQL outlives a test server (server mode): alerts acknowledged by an earlier run are forgotten.
  await server.store.query('DELETE FROM follow_up_alert_acks WHERE pupil_id = ANY($1::text[])', [
    Object.values(PUPILS).map((p) => p.id),
  ]);
  await server.store.query('DELETE FROM follow_up_alert_settings WHERE uai = $1', [COLLEGE]);
  const users = new UserRepository(server.store.db);
  for (const a of Object.values(ACCOUNTS)) {
    await users.ensure({ email: a.email, displayName: a.email.split('@')[0]!, password: a.password, roles: a.roles });
  }
  const res = await fetch(`${server.url}/xapi/statements`, {
    method: 'POST',
    headers: xapiHeaders(),
    body: JSON.stringify(followUpStatements()),
  });
  if (res.status !== 200) throw new Error(`posting the follow-up statements: ${res.status} ${await res.text()}`);
  await server.settle();
}
