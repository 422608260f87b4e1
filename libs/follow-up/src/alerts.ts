import {
  type HolidayZone,
  type SchoolCalendar,
  dayNumber,
  isoDay,
  parisOffsetMinutes,
} from '@ent-observatory/directory';
import type { Alert, AlertCode, HomeworkItem } from './model.js';

/**
 * Early alerts (« qui décroche ? »): four rules a teacher can read and an establishment can tune (one threshold per
 * rule in follow_up_alert_settings). Each rule compares the pupil with their own past — their usual rhythm on the
 * ENT, their usual share of homework missing or late, their earlier marks — so that a pupil who always came once a
 * fortnight, or always forgot one homework in five, is not « décrocheur » for being themself; each alert says why,
 * with its figures, and since when. Pure: the caller gives the pupil's facts, the calendar and the reference day.
 * docs/follow-up-api.md describes the rules for users.
 */
export interface AlertThresholds {
  /** inactivity: fewest school days without activity before an alert, however irregular the pupil's rhythm. */
  inactivity: number;
  /** missing-homework: fewest share (0–1) of the last 4 weeks' homework never handed in. */
  'missing-homework': number;
  /** late-homework: fewest hand-ins after the due date in the last 4 weeks. */
  'late-homework': number;
  /** falling-scores: drop of the mean mark (/20) of the last 3 marks against the marks before them. */
  'falling-scores': number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  inactivity: 5,
  'missing-homework': 0.5,
  'late-homework': 3,
  'falling-scores': 3,
};

/** What the rules look at, for one pupil. */
export interface AlertFacts {
  /** Epoch ms of the last visit or hand-in up to the reference day (whatever the period's start), null when none. */
  lastActivityAt: number | null;
  /** Paris days (YYYY-MM-DD) of the period with a visit or hand-in of the pupil. */
  activeDays: readonly string[];
  homework: readonly HomeworkItem[];
  /** Marks /20, oldest first, with their epoch ms. */
  marks: readonly { at: number; mark: number }[];
}

export interface AlertContext {
  calendar: SchoolCalendar;
  zone: HolidayZone;
  /** Reference day (YYYY-MM-DD, Paris): the period's last day. */
  today: string;
  /** First day of the period: the pupil's history is read from it. */
  from: string;
  thresholds: AlertThresholds;
}

type Raised = Omit<Alert, 'acknowledged' | 'note'>;

const WINDOW_DAYS = 28;
const MIN_HOMEWORK = 3;
const RECENT_MARKS = 3;
const MIN_EARLIER_MARKS = 3;
/**
 * A silence is « inhabituel » when, at the pupil's usual rhythm (the share of school days they were active), a
 * silence that long would come less than once in a hundred times.
 */
const UNUSUAL = 0.01;
/**
 * The rhythm of a pupil followed for few school days is drawn towards one active school day in four, as if they had
 * been followed PRIOR_DAYS more days at that rate (the rhythm of the middle pupil of a collège on DNMA's volumes).
 */
const PRIOR_DAYS = 10;
const PRIOR_RATE = 0.25;
/** Homework shares: the pupil's earlier weeks count, drawn towards PRIOR_SHARE by PRIOR_HOMEWORK pieces. */
const PRIOR_HOMEWORK = 4;
const PRIOR_MISSING = 0.1;
const PRIOR_LATE = 0.15;
/** A recent share must exceed the pupil's usual share by this much (points of share) to be a change. */
const RISE = 0.25;

const fr = (n: number) => n.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
const frDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const pct = (x: number) => `${Math.round(100 * x)} %`;

/**
 * Paris day of an epoch ms instant. Computed with the calendar's offset rule rather than asked of Intl, which cost
 * most of a class page's own CPU time (called for every homework of every pupil).
 */
export function parisDay(ms: number): string {
  return isoDay(Math.floor((ms + parisOffsetMinutes(ms) * 60_000) / 86_400_000));
}

export function evaluateAlerts(facts: AlertFacts, ctx: AlertContext): Raised[] {
  const windowStart = isoDay(dayNumber(ctx.today) - WINDOW_DAYS + 1);
  const judged = facts.homework.filter((h) => h.status !== 'pending');
  const recent = judged.filter((h) => parisDay(Date.parse(h.due)) >= windowStart);
  const earlier = judged.filter((h) => parisDay(Date.parse(h.due)) < windowStart);
  return [
    inactivity(facts, ctx),
    missingHomework(recent, earlier, ctx.thresholds['missing-homework']),
    lateHomework(recent, earlier, ctx.thresholds['late-homework']),
    fallingScores(facts, ctx),
  ].filter((a): a is Raised => a !== undefined);
}

/**
 * No visit nor hand-in for more school days than the establishment's threshold AND than the pupil's own rhythm
 * makes usual: at a rate r of active school days, a silence of n school days comes with a chance (1 − r)^n; it is
 * unusual below UNUSUAL. Holidays, weekends and public holidays are not school days (the establishment's zone).
 */
function inactivity(facts: AlertFacts, ctx: AlertContext): Raised | undefined {
  const today = dayNumber(ctx.today);
  const from = dayNumber(ctx.from);
  const lastDay = facts.lastActivityAt === null ? null : dayNumber(parisDay(facts.lastActivityAt));
  let silent = 0;
  let first: number | null = null;
  for (let d = Math.max(from, lastDay === null ? -Infinity : lastDay + 1); d <= today; d++) {
    if (!isSchoolDay(ctx, d)) continue;
    silent++;
    first ??= d;
  }
  if (first === null || silent < ctx.thresholds.inactivity) return undefined;
  // The rhythm: active school days among the school days from the pupil's first activity of the period to the last.
  const active = facts.activeDays.map(dayNumber).filter((d) => d >= from && d <= today);
  const start = active[0];
  let days = 0;
  let activeSchoolDays = 0;
  if (start !== undefined && lastDay !== null) {
    const set = new Set(active);
    for (let d = start; d <= lastDay; d++) {
      if (!isSchoolDay(ctx, d)) continue;
      days++;
      if (set.has(d)) activeSchoolDays++;
    }
  }
  const rate = Math.min(0.95, (activeSchoolDays + PRIOR_DAYS * PRIOR_RATE) / (days + PRIOR_DAYS));
  const usual = Math.ceil(Math.log(UNUSUAL) / Math.log(1 - rate));
  if (silent < usual) return undefined;
  const since = lastDay === null ? 'sur toute la période' : `depuis le ${frDay(isoDay(lastDay))}`;
  const habit =
    days === 0
      ? `aucune activité connue avant`
      : `d'habitude actif ${activeSchoolDays} jour${activeSchoolDays > 1 ? 's' : ''} de classe sur ${days}`;
  return {
    code: 'inactivity',
    since: isoDay(first),
    reason:
      `Aucune activité sur l'ENT ${since} : ${silent} jours de classe (hors vacances et jours fériés) ; ` +
      `${habit}, un silence de plus de ${Math.max(usual, ctx.thresholds.inactivity) - 1} jours est inhabituel`,
  };
}

/**
 * Many of the last 4 weeks' homework never handed in: at least the establishment's share, and RISE above the
 * pupil's usual share (their homework due before, drawn towards PRIOR_MISSING when they have little of it).
 */
function missingHomework(
  recent: readonly HomeworkItem[],
  earlier: readonly HomeworkItem[],
  threshold: number,
): Raised | undefined {
  const missing = recent.filter((h) => h.status === 'missing');
  const before = earlier.filter((h) => h.status === 'missing').length;
  const usual = (before + PRIOR_HOMEWORK * PRIOR_MISSING) / (earlier.length + PRIOR_HOMEWORK);
  const share = missing.length / Math.max(1, recent.length);
  if (recent.length < MIN_HOMEWORK || missing.length < 2 || share < threshold || share < usual + RISE) {
    return undefined;
  }
  return {
    code: 'missing-homework',
    since: parisDay(Math.min(...missing.map((h) => Date.parse(h.due)))),
    reason:
      `${missing.length} devoirs non rendus sur ${recent.length} ces 4 dernières semaines, ` +
      (earlier.length === 0
        ? 'sans devoirs avant'
        : `contre ${before} sur ${earlier.length} avant (${pct(before / earlier.length)})`),
  };
}

/** Repeated lateness: at least the establishment's number of late hand-ins in 4 weeks, and RISE above the pupil's usual share of late ones. */
function lateHomework(
  recent: readonly HomeworkItem[],
  earlier: readonly HomeworkItem[],
  threshold: number,
): Raised | undefined {
  const handed = recent.filter((h) => h.status === 'done' || h.status === 'late');
  const late = handed.filter((h) => h.status === 'late');
  const handedBefore = earlier.filter((h) => h.status === 'done' || h.status === 'late');
  const lateBefore = handedBefore.filter((h) => h.status === 'late').length;
  const usual = (lateBefore + PRIOR_HOMEWORK * PRIOR_LATE) / (handedBefore.length + PRIOR_HOMEWORK);
  if (late.length < threshold || late.length / handed.length < usual + RISE) return undefined;
  return {
    code: 'late-homework',
    since: parisDay(Math.min(...late.map((h) => Date.parse(h.due)))),
    reason:
      `${late.length} devoirs rendus en retard sur ${handed.length} rendus ces 4 dernières semaines, ` +
      (handedBefore.length === 0
        ? 'sans devoirs rendus avant'
        : `contre ${lateBefore} sur ${handedBefore.length} avant (${pct(lateBefore / handedBefore.length)})`),
  };
}

function isSchoolDay(ctx: AlertContext, d: number): boolean {
  if (d < ctx.calendar.firstDay || d > ctx.calendar.lastDay) return new Date(d * 86_400_000).getUTCDay() % 6 !== 0;
  return ctx.calendar.isSchoolDay(ctx.zone, d);
}

function fallingScores(facts: AlertFacts, ctx: AlertContext): Raised | undefined {
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
