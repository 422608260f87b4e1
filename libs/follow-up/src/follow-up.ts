import { type HolidayZone, type SchoolCalendar, dayNumber, isoDay } from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import {
  OTHER_SERVICE,
  type PseudonymKey,
  SOCLE_COMPONENTS,
  type SocleComponent,
  TRAINING_IRI,
  durationToMillis,
} from '@ent-observatory/xapi';
import { type AlertThresholds, DEFAULT_THRESHOLDS, evaluateAlerts, parisDay } from './alerts.js';
import type {
  Alert,
  AlertCode,
  ClassFollowUp,
  ClassInfo,
  CompetencePositioning,
  FollowUpPeriod,
  Handover,
  HomeworkCounts,
  HomeworkItem,
  PupilFollowUp,
  PupilSummary,
  RosterPupil,
  SoclePositioning,
  TimelineEntry,
  WeekVisits,
  WorkloadDay,
} from './model.js';
import * as ev from './events.js';
import * as q from './queries.js';
import { classPupils } from './roster.js';

/** What the follow-up reads from: the roster (names), the analytics (pseudonyms), the key joining them. */
export interface FollowUpDeps {
  store: Store;
  warehouse: Warehouse;
  key: PseudonymKey;
  calendar: SchoolCalendar;
  /** Epoch ms of now: homework due later is pending, not missing. */
  now: () => number;
}

/** Entries of a pupil page's timeline: the latest ones (a term of a busy pupil is a few hundred). */
const TIMELINE_LIMIT = 300;
const iso = (ms: number) => new Date(ms).toISOString();

/** The class page: every pupil of the roster with their figures over the period, and the class's workload. */
export async function classFollowUp(
  deps: FollowUpDeps,
  cls: ClassInfo,
  period: FollowUpPeriod,
): Promise<ClassFollowUp> {
  const c = deps.warehouse.client;
  // The homework and the thresholds need no roster: asked while PostgreSQL reads it.
  const [homework, thresholds, { pupils, rows, acks }] = await Promise.all([
    q.classHomework(c, [cls.id], period),
    thresholdsOf(deps.store, cls.uai),
    (async () => {
      const pupils = await classPupils(deps.store, deps.key, cls.id);
      const keys = pupils.map((p) => p.pseudonym).filter((k) => k !== '');
      const [rows, acks] = await Promise.all([
        q.pupilEvents(c, keys, period, 'figures'),
        acknowledgements(
          deps.store,
          pupils.map((p) => p.pupilId),
        ),
      ]);
      return { pupils, rows, acks };
    })(),
  ]);
  const byPupil = new Map<string, q.PupilEventRow[]>();
  for (const r of rows) {
    const list = byPupil.get(r.pupil);
    if (list) list.push(r);
    else byPupil.set(r.pupil, [r]);
  }
  const assigned = assignedHomework(homework);
  const summaries = pupils.map((p): PupilSummary => {
    const mine = byPupil.get(p.pseudonym) ?? [];
    const marks = ev.marks(mine, period);
    const items = homeworkOf(p, assigned, mine, marks, deps, period);
    const days = ev.dailyVisits(mine, period);
    const visitsPerWeek = weekly(days);
    const lastAt = ev.lastActivity(mine, period.to);
    return {
      pupilId: p.pupilId,
      displayName: p.displayName,
      lastActivityAt: lastAt === null ? null : iso(lastAt),
      visits: visitsPerWeek.reduce((a, w) => a + w.visits, 0),
      visitsPerWeek,
      homework: countHomework(items),
      scores: subjectMeans(marks),
      socle: latestSocle(ev.positionings(mine, period).filter((x) => x.socle)),
      alerts: withAcks(
        p.pupilId,
        p.pseudonym === ''
          ? []
          : evaluateAlerts(
              {
                lastActivityAt: lastAt,
                homework: items,
                activeDays: days.map((d) => d.day),
                marks: marks.map((m) => ({ at: m.at, mark: 20 * m.score })),
              },
              alertContext(deps, cls, period, thresholds),
            ),
        acks,
      ),
    };
  });
  return { class: cls, from: period.from, to: period.to, pupils: summaries, workload: workload(homework) };
}

/**
 * The pupil page: timeline, homework, marks, positionings and alerts over the period; last year's hand-over. The
 * pupil's rows are read once from the start of the previous school year, for the hand-over too.
 */
export async function pupilFollowUp(
  deps: FollowUpDeps,
  pupil: RosterPupil,
  classes: ClassInfo[],
  period: FollowUpPeriod,
): Promise<PupilFollowUp> {
  const c = deps.warehouse.client;
  const key = pupil.pseudonym === '' ? [] : [pupil.pseudonym];
  const year = deps.calendar.schoolYearOf(period.to);
  const current = classes.filter((x) => x.schoolYear === year);
  const main = current.find((x) => x.kind === 'class') ?? current[0] ?? classes[0];
  const classIds = classes.map((x) => x.id);
  const previous = previousYear(year);
  const range = { from: previous.from < period.from ? previous.from : period.from, to: period.to };
  const [rows, homework, thresholds, acks] = await Promise.all([
    q.pupilEvents(c, key, range),
    q.classHomework(c, classIds, period),
    main ? thresholdsOf(deps.store, main.uai) : Promise.resolve(DEFAULT_THRESHOLDS),
    acknowledgements(deps.store, [pupil.pupilId]),
  ]);
  const marks = ev.marks(rows, period);
  const positions = ev.positionings(rows, period);
  const days = ev.dailyVisits(rows, period);
  const items = homeworkOf(pupil, assignedHomework(homework), rows, marks, deps, period);
  const lastAt = ev.lastActivity(rows, period.to);
  const alerts =
    main && pupil.pseudonym !== ''
      ? evaluateAlerts(
          {
            lastActivityAt: lastAt,
            homework: items,
            activeDays: days.map((d) => d.day),
            marks: marks.map((m) => ({ at: m.at, mark: 20 * m.score })),
          },
          alertContext(deps, main, period, thresholds),
        )
      : [];
  return {
    pupilId: pupil.pupilId,
    displayName: pupil.displayName,
    classes,
    from: period.from,
    to: period.to,
    lastActivityAt: lastAt === null ? null : iso(lastAt),
    visitsPerWeek: weekly(days),
    timeline: ev.timeline(rows, period, TIMELINE_LIMIT).map(timelineEntry),
    homework: items,
    scores: marks.map((m) => ({
      at: iso(m.at),
      subject: m.subject,
      title: m.title,
      mark: round1(20 * m.score),
      kind: m.homework ? 'homework' : 'assessment',
    })),
    socle: positions
      .filter((x) => x.socle && isSocle(x.component))
      .map((x) => ({ component: x.component as SocleComponent, level: x.level, at: iso(x.at), cycle: x.cycle })),
    competences: positions
      .filter((x) => !x.socle)
      .map((x): CompetencePositioning => ({
        competence: x.component,
        subject: x.subject,
        level: x.level,
        at: iso(x.at),
      })),
    alerts: withAcks(pupil.pupilId, alerts, acks),
    handover: await handover(deps, pupil, rows, previous, current),
  };
}

/** The school year before `year` ("2026-2027"), August to July. */
function previousYear(year: string): FollowUpPeriod {
  const start = Number(year.slice(0, 4)) - 1;
  return { from: `${start}-08-01`, to: `${start + 1}-07-31` };
}

/**
 * CM2 → 6e (and any change of establishment): what the pupil's statements of the previous school year say, from
 * the class they were in then (the same pseudonym: the `person` id follows the pupil across schools and ENTs).
 */
async function handover(
  deps: FollowUpDeps,
  pupil: RosterPupil,
  rows: readonly q.PupilEventRow[],
  period: FollowUpPeriod,
  current: ClassInfo[],
): Promise<Handover | null> {
  if (pupil.pseudonym === '') return null;
  const before = ev.classesSeen(rows, period).filter((s) => !current.some((x) => x.id === s.classId))[0];
  if (!before) return null;
  const [homework, names] = await Promise.all([
    q.classHomework(deps.warehouse.client, [before.classId], period),
    deps.store.query<{ name: string }>('SELECT name FROM establishments WHERE uai = $1', [before.uai]),
  ]);
  const marks = ev.marks(rows, period);
  const items = homeworkOf(pupil, assignedHomework(homework), rows, marks, deps, period);
  return {
    schoolYear: `${period.from.slice(0, 4)}-${period.to.slice(0, 4)}`,
    uai: before.uai,
    establishmentName: names[0]?.name ?? before.uai,
    classId: before.classId,
    socle: latestSocle(ev.positionings(rows, period).filter((x) => x.socle)),
    homework: countHomework(items),
    meanMark: marks.length === 0 ? null : round1((20 * marks.reduce((a, m) => a + m.score, 0)) / marks.length),
  };
}

/** A homework's figures that are the same for every pupil, worked out once per page rather than once per pupil. */
interface AssignedHomework {
  row: q.HomeworkRow;
  assignedAt: string;
  due: string;
  expectedMinutes: number | null;
}
interface AssignedHomeworkList {
  items: AssignedHomework[];
  ids: Set<string>;
}

function assignedHomework(homework: q.HomeworkRow[]): AssignedHomeworkList {
  return {
    items: homework.map((h) => {
      const minutes = h.expectedDuration ? Math.round(durationToMillis(h.expectedDuration) / 60_000) : null;
      return {
        row: h,
        assignedAt: iso(h.assignedAt),
        due: iso(h.due),
        expectedMinutes: minutes !== null && Number.isFinite(minutes) ? minutes : null,
      };
    }),
    ids: new Set(homework.map((h) => h.id)),
  };
}

function homeworkOf(
  pupil: RosterPupil,
  homework: AssignedHomeworkList,
  rows: readonly q.PupilEventRow[],
  marks: ev.MarkRow[],
  deps: FollowUpDeps,
  period: FollowUpPeriod,
): HomeworkItem[] {
  // Without an ENT identity nothing of the pupil reaches the LRS: no homework can be said missing.
  if (pupil.pseudonym === '') return [];
  // Homework due after the period's end (or after now) is not missing yet.
  const reference = Math.min(deps.now(), Date.parse(`${period.to}T23:59:59Z`));
  const mine = ev.submissions(rows, homework.ids, period);
  const marked = new Map(marks.filter((m) => m.homework).map((m) => [m.id, m]));
  return homework.items.map(({ row: h, assignedAt, due, expectedMinutes }) => {
    const s = mine.get(h.id);
    const status = s ? (s.onTime ? 'done' : 'late') : h.due < reference ? 'missing' : 'pending';
    const mark = marked.get(h.id);
    return {
      id: h.id,
      classId: h.classId,
      title: h.title,
      subject: h.subject,
      assignedAt,
      due,
      expectedMinutes,
      status,
      submittedAt: s ? iso(s.at) : null,
      lateHours: s && !s.onTime ? Math.max(0, Math.round((s.at - h.due) / 3_600_000)) : null,
      mark: mark ? round1(20 * mark.score) : null,
    };
  });
}

/** Visits per Paris week (Monday), from a pupil's visits per day (in order). */
function weekly(days: readonly ev.DayActivityRow[]): WeekVisits[] {
  const weeks: WeekVisits[] = [];
  for (const { day, visits } of days) {
    const n = dayNumber(day);
    const week = isoDay(n - ((n + 3) % 7)); // day 0, 1 January 1970, was a Thursday
    const last = weeks[weeks.length - 1];
    if (last?.week === week) last.visits += visits;
    else weeks.push({ week, visits });
  }
  return weeks;
}

function countHomework(items: HomeworkItem[]): HomeworkCounts {
  const n = (status: HomeworkItem['status']) => items.filter((h) => h.status === status).length;
  return { assigned: items.length, done: n('done'), late: n('late'), missing: n('missing'), pending: n('pending') };
}

function subjectMeans(marks: ev.MarkRow[]): { subject: string; mean: number; count: number }[] {
  const by = new Map<string, number[]>();
  for (const m of marks) by.set(m.subject, [...(by.get(m.subject) ?? []), 20 * m.score]);
  return [...by]
    .map(([subject, xs]) => ({ subject, mean: round1(xs.reduce((a, x) => a + x, 0) / xs.length), count: xs.length }))
    .sort((a, b) => a.subject.localeCompare(b.subject));
}

function isSocle(code: string): code is SocleComponent {
  return (SOCLE_COMPONENTS as readonly string[]).includes(code);
}

/** The latest positioning on each socle component, in the LSU order. */
function latestSocle(rows: ev.PositioningRow[]): SoclePositioning[] {
  const latest = new Map<string, ev.PositioningRow>();
  for (const r of rows) if (isSocle(r.component)) latest.set(r.component, r);
  return SOCLE_COMPONENTS.filter((c) => latest.has(c)).map((c) => {
    const r = latest.get(c)!;
    return { component: c, level: r.level, at: iso(r.at), cycle: r.cycle };
  });
}

function workload(homework: q.HomeworkRow[]): WorkloadDay[] {
  const by = new Map<string, WorkloadDay>();
  for (const h of homework) {
    const day = parisDay(h.due);
    const k = `${day}|${h.subject}`;
    const w = by.get(k) ?? { day, subject: h.subject, count: 0, minutes: 0 };
    w.count++;
    const m = h.expectedDuration ? durationToMillis(h.expectedDuration) / 60_000 : 0;
    w.minutes += Number.isFinite(m) ? Math.round(m) : 0;
    by.set(k, w);
  }
  return [...by.values()].sort((a, b) => a.day.localeCompare(b.day) || a.subject.localeCompare(b.subject));
}

function timelineEntry(r: q.PupilEventRow): TimelineEntry {
  let detail = '';
  if (r.kind === 'scored' && r.score !== null) detail = `${fr1(20 * r.score)}/20`;
  if (r.kind === 'submitted') detail = r.onTime === 1 ? "à l'heure" : 'en retard';
  if (r.kind === 'positioned' && r.level !== null) detail = r.level === 0 ? 'dispensé' : `niveau ${r.level}`;
  return { at: iso(r.at), kind: r.kind, service: serviceOf(r), title: r.title, subject: r.subject, detail };
}

/**
 * The timeline's service: the ENT service enrichment found, or 'formation' for the training space's own
 * statements (a pupil's assigned quiz), which name no ENT service; else 'autre'.
 */
function serviceOf(r: q.PupilEventRow): string {
  if (r.service === OTHER_SERVICE && r.id.startsWith(`${TRAINING_IRI}/`)) return 'formation';
  return r.service;
}

function alertContext(deps: FollowUpDeps, cls: ClassInfo, period: FollowUpPeriod, thresholds: AlertThresholds) {
  const zone: HolidayZone = deps.calendar.zoneOfAcademie(cls.academie) ?? 'B';
  return { calendar: deps.calendar, zone, today: period.to, from: period.from, thresholds };
}

async function thresholdsOf(store: Store, uai: string): Promise<AlertThresholds> {
  const rows = await store.query<{ code: string; threshold: number }>(
    'SELECT code, threshold FROM follow_up_alert_settings WHERE uai = $1',
    [uai],
  );
  const t = { ...DEFAULT_THRESHOLDS };
  for (const r of rows) if (r.code in t) t[r.code as keyof AlertThresholds] = Number(r.threshold);
  return t;
}

type Acks = Map<string, string>;
async function acknowledgements(store: Store, pupilIds: string[]): Promise<Acks> {
  const rows = await store.query<{ pupilId: string; code: string; since: string; note: string }>(
    `SELECT pupil_id AS "pupilId", code, to_char(since, 'YYYY-MM-DD') AS since, note
       FROM follow_up_alert_acks WHERE pupil_id = ANY($1::text[])`,
    [pupilIds],
  );
  return new Map(rows.map((r) => [`${r.pupilId}|${r.code}|${r.since}`, r.note]));
}

function withAcks(pupilId: string, alerts: Omit<Alert, 'acknowledged' | 'note'>[], acks: Acks): Alert[] {
  return alerts.map((a) => {
    const note = acks.get(`${pupilId}|${a.code}|${a.since}`);
    return { ...a, acknowledged: note !== undefined, note: note ?? '' };
  });
}

/** Records that a teacher saw an alert, with their note (again: the note is replaced). */
export async function acknowledgeAlert(
  store: Store,
  ack: { pupilId: string; code: AlertCode; since: string; note: string; userId: string },
): Promise<void> {
  await store.query(
    `INSERT INTO follow_up_alert_acks (pupil_id, code, since, note, acknowledged_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (pupil_id, code, since) DO UPDATE SET note = EXCLUDED.note,
       acknowledged_by = EXCLUDED.acknowledged_by, acknowledged_at = now()`,
    [ack.pupilId, ack.code, ack.since, ack.note, ack.userId],
  );
}

function round1(x: number): number {
  return Math.round(10 * x) / 10;
}
function fr1(x: number): string {
  return round1(x).toLocaleString('fr-FR');
}
