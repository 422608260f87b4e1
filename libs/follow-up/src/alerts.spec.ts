import { dayNumber, isoDay, loadSchoolCalendar } from '@ent-observatory/directory';
import { DEFAULT_THRESHOLDS, evaluateAlerts, parisDay, unusualSilence } from './alerts.js';
import type { HomeworkItem } from './model.js';

describe('alerts', () => {
  it('gives the Paris day of an instant as Intl does, across the DST changes and around midnight', () => {
    const intl = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
    const instants = [
      '2026-03-28T22:59:59Z',
      '2026-03-28T23:00:00Z',
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
      '2026-03-29T22:00:00Z',
      '2026-10-24T21:59:59Z',
      '2026-10-24T22:00:00Z',
      '2026-10-25T00:59:59Z',
      '2026-10-25T01:00:00Z',
      '2026-10-25T23:00:00Z',
      '2026-12-31T23:30:00Z',
    ].map((s) => Date.parse(s));
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 3_517_000) {
      instants.push(t);
    }
    expect(instants.filter((t) => parisDay(t) !== intl(t)).map((t) => new Date(t).toISOString())).toEqual([]);
  });

  const calendar = loadSchoolCalendar();
  const ctx = { calendar, zone: 'B' as const, from: '2026-09-01', thresholds: DEFAULT_THRESHOLDS };
  /** School days of zone B from `from` to `to`, both included. */
  const schoolDays = (from: string, to: string) => {
    const days: string[] = [];
    for (let d = dayNumber(from); d <= dayNumber(to); d++) if (calendar.isSchoolDay('B', d)) days.push(isoDay(d));
    return days;
  };
  const at = (day: string) => Date.parse(`${day}T16:00:00Z`);

  it('does not count the Toussaint holidays nor 11 November as days of inactivity', () => {
    // Active every school day until Friday 16 October 2026 (zone B's holidays: 17 October → 2 November).
    const activeDays = schoolDays('2026-09-01', '2026-10-16');
    expect(activeDays).toHaveLength(34);
    const facts = { lastActivityAt: at('2026-10-16'), activeDays, homework: [], marks: [] };
    const strict = { ...ctx, thresholds: { ...DEFAULT_THRESHOLDS, inactivity: 8 } };
    // 2, 3, 4, 5, 6, 9, 10 November: 7 school days, under the threshold of 8.
    expect(evaluateAlerts(facts, { ...strict, today: '2026-11-10' })).toEqual([]);
    // … and 12 November (11 November is a public holiday): the 8th.
    expect(evaluateAlerts(facts, { ...strict, today: '2026-11-12' })).toEqual([
      {
        code: 'inactivity',
        since: '2026-11-02',
        reason:
          "Aucune activité sur l'ENT depuis le 16/10/2026 : 8 jours de classe (hors vacances et jours fériés) ; " +
          "d'habitude actif 34 jours de classe sur 34, un silence de plus de 7 jours est inhabituel",
      },
    ]);
  });

  it("judges a silence against the pupil's own rhythm: one who comes every other Monday is not inactive after 8 school days", () => {
    // Every other Monday from 7 September to 2 November 2026.
    const activeDays = ['2026-09-07', '2026-09-21', '2026-10-05', '2026-11-02'];
    const facts = { lastActivityAt: at('2026-11-02'), activeDays, homework: [], marks: [] };
    // 3 → 13 November: 8 school days (11 November is a public holiday).
    expect(evaluateAlerts(facts, { ...ctx, today: '2026-11-13' })).toEqual([]);
    // The same silence is unusual for a pupil who came every school day.
    const daily = schoolDays('2026-09-01', '2026-11-02');
    const alerts = evaluateAlerts({ ...facts, activeDays: daily }, { ...ctx, today: '2026-11-13' });
    expect(alerts.map((a) => a.code)).toEqual(['inactivity']);
    // 4 active school days of 31 (7 September → 2 November) say little: only 53 silent school days are unusual
    // (unusualSilence), reached on Friday 29 January 2027 after the Christmas holidays.
    expect(evaluateAlerts(facts, { ...ctx, today: '2027-01-28' })).toEqual([]);
    expect(evaluateAlerts(facts, { ...ctx, today: '2027-01-29' })).toEqual([
      {
        code: 'inactivity',
        since: '2026-11-03',
        reason:
          "Aucune activité sur l'ENT depuis le 02/11/2026 : 53 jours de classe (hors vacances et jours fériés) ; " +
          "d'habitude actif 4 jours de classe sur 31, un silence de plus de 52 jours est inhabituel",
      },
    ]);
  });

  it('knows how little a few days say of a rhythm', () => {
    // Active on 6 school days of 6: 9 silent days are unusual; seen once only: 59.
    expect(unusualSilence(6, 6)).toBe(9);
    expect(unusualSilence(1, 1)).toBe(59);
    // Active every school day of a term: 2 days (the threshold of 5 then decides); one day in five (18 of 90): 24.
    expect(unusualSilence(60, 60)).toBe(2);
    expect(unusualSilence(18, 90)).toBe(24);
  });

  const homework = (due: string, status: HomeworkItem['status']): HomeworkItem => ({
    id: `devoir-${due}`,
    classId: '0352167R:2026-2027:6e A',
    title: 'Devoir',
    subject: 'francais',
    assignedAt: `${due}T08:00:00.000Z`,
    due: `${due}T07:00:00.000Z`,
    expectedMinutes: null,
    status,
    submittedAt: null,
    lateHours: null,
    mark: null,
  });
  const days = [
    '2026-09-15',
    '2026-09-22',
    '2026-09-29',
    '2026-10-06',
    '2026-10-13',
    '2026-11-10',
    '2026-11-17',
    '2026-11-24',
    '2026-12-01',
  ];

  it("raises missing homework when the last 4 weeks' share is well above the pupil's own earlier share", () => {
    const facts = (statuses: HomeworkItem['status'][]) => ({
      lastActivityAt: at('2026-12-03'),
      activeDays: ['2026-12-03'],
      homework: days.map((d, i) => homework(d, statuses[i]!)),
      marks: [],
    });
    const today = { ...ctx, from: '2026-09-01', today: '2026-12-04' };
    // 3 of the last 4 missing after handing every earlier one in.
    const changed = evaluateAlerts(
      facts(['done', 'done', 'done', 'done', 'done', 'missing', 'done', 'missing', 'missing']),
      today,
    );
    expect(changed).toEqual([
      {
        code: 'missing-homework',
        since: '2026-11-10',
        reason: '3 devoirs non rendus sur 4 ces 4 dernières semaines, contre 0 sur 5 avant (0 %)',
      },
    ]);
    // The same 3 of 4 from a pupil who never handed one in before is their habit, not a change.
    const usual = evaluateAlerts(
      facts(['missing', 'missing', 'missing', 'missing', 'missing', 'missing', 'done', 'missing', 'missing']),
      today,
    );
    expect(usual).toEqual([]);
  });

  it("raises repeated lateness only against the pupil's own earlier hand-ins", () => {
    const facts = (statuses: HomeworkItem['status'][]) => ({
      lastActivityAt: at('2026-12-03'),
      activeDays: ['2026-12-03'],
      homework: days.map((d, i) => homework(d, statuses[i]!)),
      marks: [],
    });
    const today = { ...ctx, today: '2026-12-04' };
    const changed = evaluateAlerts(
      facts(['done', 'done', 'done', 'done', 'done', 'late', 'late', 'late', 'done']),
      today,
    );
    expect(changed.map((a) => [a.code, a.reason])).toEqual([
      ['late-homework', '3 devoirs rendus en retard sur 4 rendus ces 4 dernières semaines, contre 0 sur 5 avant (0 %)'],
    ]);
    expect(
      evaluateAlerts(facts(['late', 'late', 'late', 'done', 'late', 'late', 'late', 'late', 'done']), today),
    ).toEqual([]);
  });

  it("raises falling marks only when the drop is beyond how much the pupil's own marks vary", () => {
    const facts = (marks: number[]) => ({
      lastActivityAt: at('2026-11-27'),
      activeDays: schoolDays('2026-09-01', '2026-11-27'),
      homework: [],
      marks: marks.map((mark, i) => ({ at: at(schoolDays('2026-09-07', '2026-11-27')[4 * i] as string), mark })),
    });
    const today = { ...ctx, today: '2026-11-27' };
    // Marks that always swing between 9 and 17: a mean of 10 after 13.5 is one of their usual swings.
    expect(evaluateAlerts(facts([17, 9, 16, 10, 17, 9, 11, 10, 9]), today)).toEqual([]);
    // Marks always within a point of 14.5: 10.7 is a fall.
    const steady = evaluateAlerts(facts([14, 15, 14, 15, 14, 15, 11, 11, 10]), today);
    expect(steady).toEqual([
      {
        code: 'falling-scores',
        since: parisDay(at(schoolDays('2026-09-07', '2026-11-27')[24] as string)),
        reason:
          'Moyenne des 3 dernières notes 10,7/20 contre 14,5/20 avant ; ' +
          "ses notes varient d'habitude de ± 2 points, une baisse de plus de 3,4 points est inhabituelle",
      },
    ]);
    // The establishment's threshold still applies: a drop of 3.8 points is not one of 5.
    const five = { ...today, thresholds: { ...DEFAULT_THRESHOLDS, 'falling-scores': 5 } };
    expect(evaluateAlerts(facts([14, 15, 14, 15, 14, 15, 11, 11, 10]), five)).toEqual([]);
  });
});
