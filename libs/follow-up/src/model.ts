import type { SocleComponent } from '@ent-observatory/xapi';

/** A class or group of the roster, with where it is (for the calendar's holiday zone and the scope). */
export interface ClassInfo {
  id: string;
  uai: string;
  name: string;
  level: string;
  schoolYear: string;
  kind: string;
  academie: string;
  establishmentName: string;
}

/** A pupil of the roster: their name (PostgreSQL only) and their pseudonym (the analytics' key). */
export interface RosterPupil {
  pupilId: string;
  displayName: string;
  /** '' when the roster gives no ENT identity: the pupil has no statements to show. */
  pseudonym: string;
}

/** A period of Paris calendar days, both included. */
export interface FollowUpPeriod {
  from: string;
  to: string;
}

export const ALERT_CODES = ['inactivity', 'missing-homework', 'late-homework', 'falling-scores'] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export interface Alert {
  code: AlertCode;
  /** Paris day the situation started (the day after the last activity, the first missing homework…). */
  since: string;
  /** Why, in French, with the figures. */
  reason: string;
  acknowledged: boolean;
  note: string;
}

export interface HomeworkCounts {
  assigned: number;
  done: number;
  late: number;
  missing: number;
  /** Not due yet at the end of the period, and not handed in. */
  pending: number;
}

export type HomeworkStatus = 'done' | 'late' | 'missing' | 'pending';

export interface HomeworkItem {
  id: string;
  classId: string;
  title: string;
  subject: string;
  assignedAt: string;
  due: string;
  expectedMinutes: number | null;
  status: HomeworkStatus;
  submittedAt: string | null;
  /** Hours after the due date-time when handed in late. */
  lateHours: number | null;
  /** Mark /20 when the homework was marked. */
  mark: number | null;
}

export interface SubjectMean {
  subject: string;
  /** Mean mark /20. */
  mean: number;
  count: number;
}

export interface SoclePositioning {
  component: SocleComponent;
  /** 0 (dispensé) to 4. */
  level: number;
  at: string;
  cycle: number;
}

export interface WeekVisits {
  /** Monday of the week (Paris). */
  week: string;
  visits: number;
}

export interface PupilSummary {
  pupilId: string;
  displayName: string;
  lastActivityAt: string | null;
  visits: number;
  visitsPerWeek: WeekVisits[];
  homework: HomeworkCounts;
  scores: SubjectMean[];
  socle: SoclePositioning[];
  alerts: Alert[];
}

export interface WorkloadDay {
  /** Paris day the homework is due. */
  day: string;
  subject: string;
  count: number;
  /** Sum of the expected durations given (minutes). */
  minutes: number;
}

export interface ClassFollowUp {
  class: ClassInfo;
  from: string;
  to: string;
  pupils: PupilSummary[];
  workload: WorkloadDay[];
}

export interface TimelineEntry {
  at: string;
  kind: string;
  service: string;
  title: string;
  subject: string;
  /** A mark /20, a level, « en retard »…: what the entry says beyond its kind. */
  detail: string;
}

export interface ScoreEntry {
  at: string;
  subject: string;
  title: string;
  /** /20 */
  mark: number;
  kind: 'assessment' | 'homework';
}

export interface CompetencePositioning {
  competence: string;
  subject: string;
  level: number;
  at: string;
}

/** What the pupil's previous school year left (CM2 → 6e): positionings and homework habits there. */
export interface Handover {
  schoolYear: string;
  uai: string;
  establishmentName: string;
  classId: string;
  socle: SoclePositioning[];
  homework: HomeworkCounts;
  meanMark: number | null;
}

export interface PupilFollowUp {
  pupilId: string;
  displayName: string;
  classes: ClassInfo[];
  from: string;
  to: string;
  lastActivityAt: string | null;
  visitsPerWeek: WeekVisits[];
  timeline: TimelineEntry[];
  homework: HomeworkItem[];
  scores: ScoreEntry[];
  socle: SoclePositioning[];
  competences: CompetencePositioning[];
  alerts: Alert[];
  handover: Handover | null;
}
