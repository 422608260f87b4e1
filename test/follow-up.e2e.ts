import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { ACCOUNTS, CLASS, CM2_CLASS, PERIOD, PUPILS, SCHOOL, seedFollowUp } from './support/follow-up.js';
import { type TestServer, startServer } from './support/server.js';
import { type Session, errorCode, gql, signIn } from './support/session.js';

const CLASS_QUERY = `query ($classId: String!, $from: String!, $to: String!) {
  classFollowUp(classId: $classId, from: $from, to: $to) {
    class { id name establishmentName }
    pupils {
      pupilId displayName lastActivityAt visits visitsPerWeek { week visits }
      homework { assigned done late missing pending }
      scores { subject mean count }
      socle { component level }
      alerts { code since reason acknowledged note }
    }
    workload { day subject count minutes }
  }
}`;

const PUPIL_QUERY = `query ($pupilId: String!, $from: String!, $to: String!) {
  pupilFollowUp(pupilId: $pupilId, from: $from, to: $to) {
    displayName classes { id }
    timeline { at kind detail }
    homework { id status lateHours subject }
    scores { at subject mark kind }
    socle { component level }
    alerts { code since }
    handover { schoolYear uai classId socle { component level } homework { assigned done } meanMark }
  }
}`;

interface PupilRow {
  pupilId: string;
  displayName: string;
  lastActivityAt: string | null;
  visits: number;
  homework: Record<string, number>;
  scores: { subject: string; mean: number; count: number }[];
  socle: { component: string; level: number }[];
  alerts: { code: string; since: string; reason: string; acknowledged: boolean; note: string }[];
}

describe("teachers' follow-up of their pupils", () => {
  let server: TestServer;
  const as = {} as Record<keyof typeof ACCOUNTS, Session>;

  beforeAll(async () => {
    server = await startServer();
    await seedFollowUp(server);
    for (const [who, a] of Object.entries(ACCOUNTS)) as[who] = await signIn(server.url, a.email, a.password);
  });
  afterAll(async () => {
    await server?.close();
  });

  const classPage = async (who: string, vars: Record<string, string> = {}) =>
    gql<{ classFollowUp: { pupils: PupilRow[]; workload: unknown[]; class: { name: string } } }>(
      server.url,
      as[who]!,
      CLASS_QUERY,
      { classId: CLASS, ...PERIOD, ...vars },
    );
  const pupil = (rows: PupilRow[], name: string) => rows.find((r) => r.displayName === name)!;

  it('shows the teacher every pupil of the class by name, with homework, marks, socle levels and visits', async () => {
    const res = await classPage('teacher');
    expect(res.errors).toBeUndefined();
    const rows = res.data!.classFollowUp.pupils;
    expect(rows.map((r) => r.displayName).sort()).toEqual(['Chloé Petit', 'Hugo Bernard', 'Léa Martin', 'Nathan Roux']);
    const lea = pupil(rows, 'Léa Martin');
    expect(lea.homework).toEqual({ assigned: 5, done: 5, late: 0, missing: 0, pending: 0 });
    expect(lea.scores).toEqual([
      { subject: 'francais', mean: 15, count: 3 },
      { subject: 'mathematiques', mean: 15, count: 3 },
    ]);
    expect(lea.socle).toEqual([
      { component: 'CPD_FRA', level: 4 },
      { component: 'CPD_ETR', level: 0 },
    ]);
    // 19 school days at 17:30, and 4 early-morning hand-ins (two of them at the same minute).
    expect(lea.visits).toBe(23);
    expect(lea.alerts).toEqual([]);
    const hugo = pupil(rows, 'Hugo Bernard');
    expect(hugo.homework).toEqual({ assigned: 5, done: 1, late: 0, missing: 4, pending: 0 });
    expect(hugo.lastActivityAt).toBe('2026-11-09T17:00:00.000Z');
    expect(hugo.visits).toBe(6);
    const chloe = pupil(rows, 'Chloé Petit');
    expect(chloe.homework).toEqual({ assigned: 5, done: 1, late: 3, missing: 1, pending: 0 });
    expect(chloe.scores).toEqual([
      { subject: 'francais', mean: 10, count: 3 },
      { subject: 'mathematiques', mean: 12.7, count: 3 },
    ]);
    const nathan = pupil(rows, 'Nathan Roux');
    expect(nathan).toMatchObject({ lastActivityAt: null, visits: 0, alerts: [] });
    expect(nathan.homework.assigned).toBe(0);
  });

  it('raises explainable alerts: inactivity counted in school days, missing and late homework, falling marks', async () => {
    const rows = (await classPage('teacher')).data!.classFollowUp.pupils;
    const hugo = pupil(rows, 'Hugo Bernard').alerts;
    // 10 → 27 November: 13 school days (11 November is a public holiday).
    expect(hugo.map((a) => [a.code, a.since])).toEqual([
      ['INACTIVITY', '2026-11-10'],
      ['MISSING_HOMEWORK', '2026-11-13'],
    ]);
    // Hugo came every school day from 2 to 9 November: 13 silent school days are far from his rhythm.
    expect(hugo[0]!.reason).toBe(
      "Aucune activité sur l'ENT depuis le 09/11/2026 : 13 jours de classe (hors vacances et jours fériés) ; " +
        "d'habitude actif 6 jours de classe sur 6, un silence de plus de 8 jours est inhabituel",
    );
    expect(hugo[1]!.reason).toBe('4 devoirs non rendus sur 5 ces 4 dernières semaines, sans devoirs avant');
    const chloe = pupil(rows, 'Chloé Petit').alerts;
    expect(chloe.map((a) => [a.code, a.since])).toEqual([
      ['LATE_HOMEWORK', '2026-11-10'],
      ['FALLING_SCORES', '2026-11-17'],
    ]);
    expect(chloe[0]!.reason).toBe(
      '3 devoirs rendus en retard sur 4 rendus ces 4 dernières semaines, sans devoirs rendus avant',
    );
    expect(chloe[1]!.reason).toBe(
      'Moyenne des 3 dernières notes 8/20 contre 14,7/20 avant ; ' +
        "ses notes varient d'habitude de ± 2,5 points, une baisse de plus de 4,7 points est inhabituelle",
    );
  });

  it('still dates the last activity of a pupil silent over the whole period from before it', async () => {
    // Hugo's last visit is on 9 November: a period from the 16th has none of his visits, but the page says when.
    const rows = (await classPage('teacher', { from: '2026-11-16' })).data!.classFollowUp.pupils;
    expect(pupil(rows, 'Hugo Bernard')).toMatchObject({ lastActivityAt: '2026-11-09T17:00:00.000Z', visits: 0 });
    expect(pupil(rows, 'Léa Martin').visits).toBeGreaterThan(0);
    expect(pupil(rows, 'Nathan Roux').lastActivityAt).toBeNull();
  });

  it('lets the teacher acknowledge an alert with a note, which the class page then shows', async () => {
    const ack = await gql(
      server.url,
      as.teacher!,
      `mutation { acknowledgeFollowUpAlert(pupilId: "${PUPILS.hugo.id}", code: INACTIVITY, since: "2026-11-10", note: "Famille appelée le 30/11") }`,
    );
    expect(ack.errors).toBeUndefined();
    const hugo = pupil((await classPage('teacher')).data!.classFollowUp.pupils, 'Hugo Bernard');
    expect(hugo.alerts[0]).toMatchObject({ code: 'INACTIVITY', acknowledged: true, note: 'Famille appelée le 30/11' });
    expect(hugo.alerts[1]).toMatchObject({ acknowledged: false });
  });

  it("lets the head of school tune a rule for the collège: Hugo's 13 school days stop being an alert at 15", async () => {
    const set = (threshold: number) =>
      gql(
        server.url,
        as.head!,
        `mutation { setFollowUpAlertThreshold(uai: "0352167R", code: INACTIVITY, threshold: ${threshold}) }`,
      );
    expect((await set(15)).errors).toBeUndefined();
    const hugo = pupil((await classPage('teacher')).data!.classFollowUp.pupils, 'Hugo Bernard');
    expect(hugo.alerts.map((a) => a.code)).toEqual(['MISSING_HOMEWORK']);
    expect(errorCode(await set(500))).toBe('BAD_USER_INPUT');
    expect((await set(5)).errors).toBeUndefined();
  });

  it("shows the class's workload: homework due per day and subject, with the expected time", async () => {
    const workload = (await classPage('head')).data!.classFollowUp.workload;
    expect(workload).toContainEqual({ day: '2026-11-20', subject: 'francais', count: 1, minutes: 40 });
    expect(workload).toContainEqual({ day: '2026-11-20', subject: 'histoire_geographie', count: 1, minutes: 20 });
    expect(workload).toHaveLength(5);
  });

  it("gives a parent their child's page: timeline, homework, marks, and last year's CM2 record", async () => {
    const res = await gql<{ pupilFollowUp: Record<string, unknown> & { timeline: { kind: string }[] } }>(
      server.url,
      as.parent!,
      PUPIL_QUERY,
      { pupilId: PUPILS.lea.id, ...PERIOD },
    );
    expect(res.errors).toBeUndefined();
    const page = res.data!.pupilFollowUp;
    expect(page.displayName).toBe('Léa Martin');
    expect(page.classes).toEqual([{ id: CLASS }, { id: CM2_CLASS }]);
    expect(new Set(page.timeline.map((t) => t.kind))).toEqual(
      new Set(['activity', 'submitted', 'scored', 'positioned']),
    );
    expect(page.homework).toHaveLength(5);
    expect(page.handover).toEqual({
      schoolYear: '2025-2026',
      uai: SCHOOL,
      classId: CM2_CLASS,
      socle: [
        { component: 'CPD_SCI', level: 4 },
        { component: 'MET_APP', level: 3 },
      ],
      homework: { assigned: 1, done: 1 },
      meanMark: 17,
    });
  });

  it('gives a pupil their own page and refuses them anyone else', async () => {
    const own = await gql<{ pupilFollowUp: { displayName: string; alerts: { code: string }[] } }>(
      server.url,
      as.pupil!,
      PUPIL_QUERY,
      { pupilId: PUPILS.hugo.id, ...PERIOD },
    );
    expect(own.data?.pupilFollowUp.displayName).toBe('Hugo Bernard');
    expect(own.data?.pupilFollowUp.alerts.map((a) => a.code)).toEqual(['INACTIVITY', 'MISSING_HOMEWORK']);
    const other = await gql(server.url, as.pupil!, PUPIL_QUERY, { pupilId: PUPILS.lea.id, ...PERIOD });
    expect([errorCode(other), other.status]).toEqual(['FORBIDDEN', 403]);
    expect(other.data ?? null).toBeNull();
  });

  it("exports the class's socle in the LSU format, listing the pupils not positioned on all 8 components", async () => {
    const res = await gql<{
      classLsuExport: { xml: string; exported: number; skipped: { displayName: string; missing: string[] }[] };
    }>(
      server.url,
      as.teacher!,
      `query ($c: String!, $from: String!, $to: String!) { classLsuExport(classId: $c, from: $from, to: $to) { xml exported skipped { displayName missing } } }`,
      { c: CLASS, ...PERIOD },
    );
    expect(res.errors).toBeUndefined();
    const out = res.data!.classLsuExport;
    expect(out.xml).toContain('<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import"');
    expect(out.exported).toBe(0);
    const lea = out.skipped.find((s) => s.displayName === 'Léa Martin');
    expect(lea?.missing).toEqual(['CPD_SCI', 'CPD_ART', 'MET_APP', 'FRM_CIT', 'SYS_NAT', 'REP_MND']);
  });

  it('answers bad input with a clear error, never an empty success', async () => {
    const unknown = await classPage('teacher', { classId: `${SCHOOL}:2026-2027:CM2 Z` });
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect(unknown.errors?.[0]?.message).toContain('no class or group');
    const malformed = await classPage('teacher', { from: '2026-13-01' });
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.message).toContain('from');
    const reversed = await classPage('teacher', { from: '2026-12-01', to: '2026-11-01' });
    expect(errorCode(reversed)).toBe('BAD_USER_INPUT');
    const noPupil = await gql(server.url, as.teacher!, PUPIL_QUERY, { pupilId: 'el-inconnu', ...PERIOD });
    expect(errorCode(noPupil)).toBe('NOT_FOUND');
  });

  it('keeps names out of ClickHouse: the follow-up joins the roster to pseudonyms', async () => {
    const names = Object.values(PUPILS).map((p) => p.name);
    const rows = await queryRows<{ n: string }>(
      server.warehouse.client,
      `SELECT count() AS n FROM ${TABLES.statements} WHERE multiSearchAny(raw, {names:Array(String)})`,
      { names },
    );
    expect(Number(rows[0]?.n)).toBe(0);
    const pseudonyms = await queryRows<{ p: string }>(
      server.warehouse.client,
      `SELECT DISTINCT actor_pseudonym AS p FROM ${TABLES.followUpPupilEvents}`,
    );
    expect(pseudonyms.every((r) => /^[0-9a-f]{32}$/.test(r.p))).toBe(true);
  });
});
