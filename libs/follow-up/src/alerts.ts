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
 * A silence is « inhabituel » when, at the pupil's usual rhythm, a silence that long would come less than once in a
 * hundred times.
 */
const UNUSUAL = 0.01;
/**
 * What is known of a pupil's rhythm before seeing them: as if followed PRIOR_DAYS more school days, active on
 * PRIOR_ACTIVE of them (one in seven: about the middle collège pupil on DNMA's volumes, who opens the ENT once or
 * twice a fortnight). A pupil seen on one day only has no rhythm yet: a long silence from them is not unusual.
 */
const PRIOR_ACTIVE = 1;
const PRIOR_DAYS = 7;
/**
 * A pupil active on fewer school days of the period has no rhythm to lose yet (seen once in September, then never:
 * an establishment that barely uses the ENT): their silence raises no alert; their homework may.
 */
const MIN_ACTIVE_DAYS = 3;
/** Longest silence the rule looks for, in school days (a school year has about 175). */
const LONGEST = 400;
/** Homework shares: the pupil's earlier weeks count, drawn towards PRIOR_SHARE by PRIOR_HOMEWORK pieces. */
const PRIOR_HOMEWORK = 4;
const PRIOR_MISSING = 0.1;
const PRIOR_LATE = 0.15;
/** A recent share must exceed the pupil's usual share by this much (points of share) to be a change. */
const RISE = 0.25;
/**
 * Marks: what is known of how far a pupil's marks spread around their mean before seeing them (a standard deviation
 * of 3 points /20, worth MARK_SPREAD_WEIGHT marks), and how many standard errors a drop must reach to be unusual
 * (2.33: a pupil whose level did not change falls that far once in a hundred times).
 */
const MARK_SPREAD = 3;
const MARK_SPREAD_WEIGHT = 4;
const UNUSUAL_Z = 2.33;

// One formatter for every figure (toLocaleString builds one per call: most of a falling-scores reason's cost).
const FR = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const fr = (n: number) => FR.format(n);
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
 * makes usual (unusualSilence). Holidays, weekends and public holidays are not school days (the establishment's
 * holiday zone).
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
  if (activeSchoolDays < MIN_ACTIVE_DAYS || lastDay === null) return undefined;
  const usual = unusualSilence(activeSchoolDays, days);
  if (silent < usual) return undefined;
  return {
    code: 'inactivity',
    since: isoDay(first),
    reason:
      `Aucune activité sur l'ENT depuis le ${frDay(isoDay(lastDay))} : ${silent} jours de classe (hors vacances et ` +
      `jours fériés) ; d'habitude actif ${activeSchoolDays} jours de classe sur ${days}, un silence de plus de ${Math.max(usual, ctx.thresholds.inactivity) - 1} jours est inhabituel`,
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

/**
 * The fewest silent school days that are unusual for a pupil active on `active` of `days` school days: at an
 * unknown daily rate r, believed after those days (and the prior) to follow Beta(a, b), a silence of n school days
 * has the chance E[(1 − r)^n] = B(a, b + n) / B(a, b) = Π_{i<a} (b + i) / (b + n + i) (a is a whole number). Unlike
 * (1 − mean rate)^n, it knows how little a few days say: after 6 active school days of 6 a silence of 10 is
 * unusual; after 1 of 1, one of 58.
 */
export function unusualSilence(active: number, days: number): number {
  const a = active + PRIOR_ACTIVE;
  const b = days - active + PRIOR_DAYS - PRIOR_ACTIVE;
  for (let n = 1; n <= LONGEST; n++) {
    let chance = 1;
    for (let i = 0; i < a && chance >= UNUSUAL; i++) chance *= (b + i) / (b + n + i);
    if (chance < UNUSUAL) return n;
  }
  return LONGEST + 1;
}

function isSchoolDay(ctx: AlertContext, d: number): boolean {
  if (d < ctx.calendar.firstDay || d > ctx.calendar.lastDay) return new Date(d * 86_400_000).getUTCDay() % 6 !== 0;
  return ctx.calendar.isSchoolDay(ctx.zone, d);
}

/**
 * The mean of the last RECENT_MARKS marks below the mean of the up to 2 × RECENT_MARKS before by at least the
 * establishment's threshold (points /20), AND by more than the pupil's own marks vary: UNUSUAL_Z standard errors
 * of that difference, from the spread of all their earlier marks (drawn towards MARK_SPREAD). Three marks of a
 * pupil whose marks always swing by 4 points say less than three of a pupil always within a point: without that,
 * a drop of 3 points between means of 3 and 6 marks came by chance to about one pupil in twenty each week.
 */
function fallingScores(facts: AlertFacts, ctx: AlertContext): Raised | undefined {
  const marks = facts.marks;
  if (marks.length < RECENT_MARKS + MIN_EARLIER_MARKS) return undefined;
  const recent = marks.slice(-RECENT_MARKS);
  const earlier = marks.slice(0, -RECENT_MARKS);
  const before = earlier.slice(-2 * RECENT_MARKS);
  const mean = (xs: readonly { mark: number }[]) => xs.reduce((a, x) => a + x.mark, 0) / xs.length;
  const drop = mean(before) - mean(recent);
  if (drop < ctx.thresholds['falling-scores']) return undefined;
  const m = mean(earlier);
  const squares = earlier.reduce((a, x) => a + (x.mark - m) ** 2, 0);
  const spread = Math.sqrt(
    (squares + MARK_SPREAD_WEIGHT * MARK_SPREAD ** 2) / (earlier.length - 1 + MARK_SPREAD_WEIGHT),
  );
  const unusual = UNUSUAL_Z * spread * Math.sqrt(1 / recent.length + 1 / before.length);
  if (drop < unusual) return undefined;
  return {
    code: 'falling-scores',
    since: parisDay(recent[0]!.at),
    reason:
      `Moyenne des ${RECENT_MARKS} dernières notes ${fr(mean(recent))}/20 contre ${fr(mean(before))}/20 avant ; ` +
      `ses notes varient d'habitude de ± ${fr(spread)} points, une baisse de plus de ${fr(unusual)} points est inhabituelle`,
  };
}

export const ALERT_LABELS: Record<AlertCode, string> = {
  inactivity: 'Inactivité',
  'missing-homework': 'Devoirs non rendus',
  'late-homework': 'Retards répétés',
  'falling-scores': 'Notes en baisse',
};
