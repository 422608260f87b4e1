import { loadSchoolCalendar } from '@ent-observatory/directory';
import { DEFAULT_THRESHOLDS, evaluateAlerts, parisDay } from './alerts.js';

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

  it('does not count the Toussaint holidays nor 11 November as days of inactivity', () => {
    const calendar = loadSchoolCalendar();
    // Last activity on Friday 16 October 2026 (zone B's holidays: 17 October → 2 November).
    const ctx = { calendar, zone: 'B' as const, from: '2026-09-01', thresholds: DEFAULT_THRESHOLDS };
    const facts = { lastActivityAt: Date.parse('2026-10-16T16:00:00Z'), homework: [], marks: [] };
    // 2, 3, 4, 5, 6, 9, 10 November: 7 school days, under the threshold of 8.
    expect(evaluateAlerts(facts, { ...ctx, today: '2026-11-10' })).toEqual([]);
    // … and 12 November (11 November is a public holiday): the 8th.
    expect(evaluateAlerts(facts, { ...ctx, today: '2026-11-12' })).toEqual([
      {
        code: 'inactivity',
        since: '2026-11-02',
        reason: "Aucune activité sur l'ENT depuis le 16/10/2026 : 8 jours de classe (hors vacances et jours fériés)",
      },
    ]);
  });

  it("judges a silence against the pupil's own habit: a fortnightly visitor is not inactive after 8 school days", () => {
    const calendar = loadSchoolCalendar();
    const ctx = { calendar, zone: 'B' as const, from: '2026-09-01', thresholds: DEFAULT_THRESHOLDS };
    // 4 visits from the week of 7 September to Monday 2 November: about one every 10 school days.
    const facts = {
      lastActivityAt: Date.parse('2026-11-02T16:00:00Z'),
      homework: [],
      marks: [],
      visits: { total: 4, since: '2026-09-07' },
    };
    expect(evaluateAlerts(facts, { ...ctx, today: '2026-11-20' })).toEqual([]);
    const late = evaluateAlerts(facts, { ...ctx, today: '2027-01-22' });
    expect(late.map((a) => a.code)).toEqual(['inactivity']);
    expect(late[0]!.reason).toMatch(/d'habitude une visite tous les 10,2 jours de classe$/);
  });
});
