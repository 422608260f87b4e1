import type { FollowUpPeriod } from './model.js';
import type { PupilEventRow } from './queries.js';

/**
 * What the pages say of a pupil, derived from their rows of follow_up_pupil_events (queries.ts pupilEvents, oldest
 * first): one read per page instead of one per question. Only rows that break no rule of the profile (problem = '')
 * make figures; visits count every statement of the pupil, as the LRS stored it.
 */

/**
 * What the pupil did themself: visits and hand-ins. Marks and positionings have the pupil as actor but are entered
 * by a teacher, so they are no sign of the pupil's activity (a pupil who drifted away still gets marks).
 */
const OWN_KINDS = new Set(['activity', 'submitted']);
/** A new visit starts after 30 minutes without a statement (the DNMA's rule, docs/indicators.md). */
const VISIT_GAP_SECONDS = 1800;

const inPeriod = (r: PupilEventRow, p: FollowUpPeriod) => r.day >= p.from && r.day <= p.to;

export interface DayActivityRow {
  /** Paris day (YYYY-MM-DD). */
  day: string;
  visits: number;
}

/** Visits per Paris day in the period (a visit that runs past midnight counts on both days), in order. */
export function dailyVisits(rows: readonly PupilEventRow[], period: FollowUpPeriod): DayActivityRow[] {
  const byDay = new Map<string, number[]>();
  for (const r of rows) {
    if (!OWN_KINDS.has(r.kind) || !inPeriod(r, period)) continue;
    const seconds = byDay.get(r.day) ?? [];
    seconds.push(Math.floor(r.at / 1000));
    byDay.set(r.day, seconds);
  }
  return [...byDay]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, seconds]) => {
      seconds.sort((a, b) => a - b);
      let visits = 1;
      for (let i = 1; i < seconds.length; i++) if (seconds[i]! - seconds[i - 1]! > VISIT_GAP_SECONDS) visits++;
      return { day, visits };
    });
}

/** The last visit or hand-in on or before the period's last day (whatever its first day), null when none. */
export function lastActivity(rows: readonly PupilEventRow[], to: string): number | null {
  let last: number | null = null;
  for (const r of rows) {
    if ((OWN_KINDS.has(r.kind) && r.day <= to) || r.kind === 'before') last = Math.max(last ?? r.at, r.at);
  }
  return last;
}

export interface SubmissionRow {
  id: string;
  at: number;
  onTime: boolean;
}

/** The first hand-in of each of the given homework (by id) in the period. */
export function submissions(
  rows: readonly PupilEventRow[],
  homeworkIds: ReadonlySet<string>,
  period: FollowUpPeriod,
): Map<string, SubmissionRow> {
  const first = new Map<string, SubmissionRow>();
  for (const r of rows) {
    if (r.kind !== 'submitted' || r.problem !== '' || !homeworkIds.has(r.id) || !inPeriod(r, period)) continue;
    if (!first.has(r.id)) first.set(r.id, { id: r.id, at: r.at, onTime: r.onTime === 1 });
  }
  return first;
}

export interface MarkRow {
  at: number;
  id: string;
  subject: string;
  title: string;
  /** 0–1 */
  score: number;
  homework: boolean;
  classId: string;
}

/** Marks (assessments and marked homework) in the period, oldest first. */
export function marks(rows: readonly PupilEventRow[], period: FollowUpPeriod): MarkRow[] {
  return rows
    .filter((r) => r.kind === 'scored' && r.problem === '' && r.score !== null && inPeriod(r, period))
    .map((r) => ({
      at: r.at,
      id: r.id,
      subject: r.subject,
      title: r.title,
      score: r.score!,
      homework: r.objectType.endsWith('/activities/homework'),
      classId: r.classId,
    }));
}

export interface PositioningRow {
  at: number;
  socle: boolean;
  component: string;
  subject: string;
  level: number;
  cycle: number;
  uai: string;
  classId: string;
}

/** Positionings (socle components and subject competences) in the period, oldest first. */
export function positionings(rows: readonly PupilEventRow[], period: FollowUpPeriod): PositioningRow[] {
  return rows
    .filter((r) => r.kind === 'positioned' && r.problem === '' && r.level !== null && inPeriod(r, period))
    .map((r) => ({
      at: r.at,
      socle: r.objectType.endsWith('/activities/socle-component'),
      component: r.component,
      subject: r.subject,
      level: r.level!,
      cycle: r.cycle,
      uai: r.uai,
      classId: r.classId,
    }));
}

/** The pupil's latest statements in the period that break no rule, newest first. */
export function timeline(rows: readonly PupilEventRow[], period: FollowUpPeriod, limit: number): PupilEventRow[] {
  const out: PupilEventRow[] = [];
  for (let i = rows.length - 1; i >= 0 && out.length < limit; i--) {
    const r = rows[i]!;
    if (r.kind !== 'before' && r.problem === '' && inPeriod(r, period)) out.push(r);
  }
  return out;
}

/** The classes the pupil's statements of a period name, most named first (last year's CM2 class for the hand-over). */
export function classesSeen(
  rows: readonly PupilEventRow[],
  period: FollowUpPeriod,
): { classId: string; uai: string; n: number }[] {
  const seen = new Map<string, { classId: string; uai: string; n: number }>();
  for (const r of rows) {
    if (r.kind === 'before' || r.classId === '' || !inPeriod(r, period)) continue;
    const s = seen.get(r.classId) ?? { classId: r.classId, uai: r.uai, n: 0 };
    s.n++;
    seen.set(r.classId, s);
  }
  return [...seen.values()].sort((a, b) => b.n - a.n);
}
