import {
  type HolidayZone,
  type SchoolCalendar,
  dayNumber,
  isoDay,
  parisOffsetMinutes,
} from '@ent-observatory/directory';
import type { Alert, AlertCode, HomeworkItem } from './model.js';

/**
 * Early alerts (« qui décroche ? »): four rules a teacher can read and an establishment can tune (thresholds in
 * follow_up_alert_settings). Each alert says why, with its figures, and since when. Pure: the caller gives the
 * pupil's facts, the calendar and the day of reference (the period's last day).
 */
export interface AlertThresholds {
  /** inactivity: school days without any statement (holidays, weekends and public holidays do not count). */
  inactivity: number;
  /** missing-homework: share of the homework due in the last 4 weeks that was never handed in (0–1)… */
  'missing-homework': number;
  /** late-homework: hand-ins after the due date in the last 4 weeks. */
  'late-homework': number;
  /** falling-scores: drop of the mean mark (/20) of the last 3 marks against the marks before them. */
  'falling-scores': number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  inactivity: 8,
  'missing-homework': 0.4,
  'late-homework': 3,
  'falling-scores': 3,
};

/** What the rules look at, for one pupil. */
export interface AlertFacts {
  /** Epoch ms of the last statement up to the reference day, null when none. */
  lastActivityAt: number | null;
  homework: readonly HomeworkItem[];
  /** Marks /20, oldest first, with their epoch ms. */
  marks: readonly { at: number; mark: number }[];
  /** The pupil's visits in the period and the Monday of their first week with one: their habit. */
  visits?: { total: number; since: string };
}

export interface AlertContext {
  calendar: SchoolCalendar;
  zone: HolidayZone;
  /** Reference day (YYYY-MM-DD, Paris): the period's last day. */
  today: string;
  /** First day of the period: inactivity is not counted before it. */
  from: string;
  thresholds: AlertThresholds;
}

const WINDOW_DAYS = 28;
const MIN_HOMEWORK = 3;
const RECENT_MARKS = 3;
const MIN_EARLIER_MARKS = 3;

const fr = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
const frDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
/**
 * Paris day of an epoch ms instant. Computed with the calendar's offset rule rather than asked of Intl, which cost
 * most of a class page's own CPU time (called for every homework of every pupil).
 */
export function parisDay(ms: number): string {
  return isoDay(Math.floor((ms + parisOffsetMinutes(ms) * 60_000) / 86_400_000));
}

export function evaluateAlerts(facts: AlertFacts, ctx: AlertContext): Omit<Alert, 'acknowledged' | 'note'>[] {
  const alerts: Omit<Alert, 'acknowledged' | 'note'>[] = [];
  const inactive = inactivity(facts, ctx);
  if (inactive) alerts.push(inactive);
  const windowStart = isoDay(dayNumber(ctx.today) - WINDOW_DAYS + 1);
  const recent = facts.homework.filter((h) => h.status !== 'pending' && parisDay(Date.parse(h.due)) >= windowStart);
  const missing = recent.filter((h) => h.status === 'missing');
  if (
    recent.length >= MIN_HOMEWORK &&
    missing.length >= 2 &&
    missing.length / recent.length >= ctx.thresholds['missing-homework']
  ) {
    alerts.push({
      code: 'missing-homework',
      since: parisDay(Math.min(...missing.map((h) => Date.parse(h.due)))),
      reason: `${missing.length} devoirs non rendus sur ${recent.length} ces 4 dernières semaines`,
    });
  }
  const late = recent.filter((h) => h.status === 'late');
  if (late.length >= ctx.thresholds['late-homework']) {
    alerts.push({
      code: 'late-homework',
      since: parisDay(Math.min(...late.map((h) => Date.parse(h.due)))),
      reason: `${late.length} devoirs rendus en retard ces 4 dernières semaines`,
    });
  }
  const falling = fallingScores(facts, ctx);
  if (falling) alerts.push(falling);
  return alerts;
}

function inactivity(facts: AlertFacts, ctx: AlertContext): Omit<Alert, 'acknowledged' | 'note'> | undefined {
  const lastDay = facts.lastActivityAt === null ? null : parisDay(facts.lastActivityAt);
  const start = Math.max(dayNumber(ctx.from), lastDay === null ? -Infinity : dayNumber(lastDay) + 1);
  let schoolDays = 0;
  let first: number | null = null;
  for (let d = start; d <= dayNumber(ctx.today); d++) {
    if (!isSchoolDay(ctx, d)) continue;
    schoolDays++;
    first ??= d;
  }
  // A silence is judged against the pupil's own habit: a pupil who comes once a fortnight is not « inactive » after
  // eight school days. Their usual gap (school days between visits, from their visits before the silence) times
  // HABIT_FACTOR must be exceeded too.
  const habit = lastDay === null || !facts.visits ? null : usualGap(facts.visits.total, facts.visits.since, lastDay);
  const needed = Math.max(ctx.thresholds.inactivity, habit === null ? 0 : Math.ceil(HABIT_FACTOR * habit));
  if (schoolDays < needed || first === null) return undefined;
  const since = lastDay === null ? 'sur toute la période' : `depuis le ${frDay(lastDay)}`;
  // Said only when the habit raised the bar: « 20 jours de classe, d'habitude une visite tous les 5 jours ».
  const usual =
    habit !== null && needed > ctx.thresholds.inactivity
      ? `, d'habitude une visite tous les ${fr(habit)} jours de classe`
      : '';
  return {
    code: 'inactivity',
    since: isoDay(first),
    reason: `Aucune activité sur l'ENT ${since} : ${schoolDays} jours de classe (hors vacances et jours fériés)${usual}`,
  };
}

/** How many times longer than usual a silence must be to raise an inactivity alert. */
const HABIT_FACTOR = 3;
/** Calendar days of a school week of five days: visits per week → school days between visits. */
const SCHOOL_DAYS_PER_WEEK = 5;

/** The pupil's usual gap between visits, in school days, from their visits between `from` (their first week) and their last one. */
function usualGap(visits: number, from: string, lastDay: string): number | null {
  const weeks = Math.max(1, (dayNumber(lastDay) - dayNumber(from) + 1) / 7);
  if (visits <= 0) return null;
  return Math.round((10 * SCHOOL_DAYS_PER_WEEK * weeks) / visits) / 10;
}

function isSchoolDay(ctx: AlertContext, d: number): boolean {
  if (d < ctx.calendar.firstDay || d > ctx.calendar.lastDay) return new Date(d * 86_400_000).getUTCDay() % 6 !== 0;
  return ctx.calendar.isSchoolDay(ctx.zone, d);
}

function fallingScores(facts: AlertFacts, ctx: AlertContext): Omit<Alert, 'acknowledged' | 'note'> | undefined {
  const marks = facts.marks;
  if (marks.length < RECENT_MARKS + MIN_EARLIER_MARKS) return undefined;
  const recent = marks.slice(-RECENT_MARKS);
  const before = marks.slice(0, -RECENT_MARKS).slice(-2 * RECENT_MARKS);
  const mean = (xs: readonly { mark: number }[]) => xs.reduce((a, x) => a + x.mark, 0) / xs.length;
  const drop = mean(before) - mean(recent);
  if (drop < ctx.thresholds['falling-scores']) return undefined;
  return {
    code: 'falling-scores',
    since: parisDay(recent[0]!.at),
    reason: `Moyenne des ${RECENT_MARKS} dernières notes ${fr(mean(recent))}/20 contre ${fr(mean(before))}/20 avant`,
  };
}

export const ALERT_LABELS: Record<AlertCode, string> = {
  inactivity: 'Inactivité',
  'missing-homework': 'Devoirs non rendus',
  'late-homework': 'Retards répétés',
  'falling-scores': 'Notes en baisse',
};
