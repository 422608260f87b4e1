import { type QueryParams, TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type IndicatorFilter, addDays, daysBetween, whereOf } from './filter.js';
import { suppressBreakdown } from './k-anonymity.js';
import { visitStarts } from './visits.js';

/**
 * Time of use: when visits start. Each visit is placed by its first minute (Paris time) into
 * - HOLIDAYS: a school-holiday or public-holiday day of the establishment's académie (school calendar, its zone),
 * - WEEKEND: Saturday or Sunday outside holidays,
 * - SCHOOL_HOURS: 08:00–17:59 on Monday, Tuesday, Thursday, Friday and 08:00–11:59 on Wednesday of a school day,
 * - EVENING: the rest of a school day (early morning, evening, Wednesday afternoon).
 * Read the share outside SCHOOL_HOURS as how much the ENT carries school work home; the hour × weekday heat map
 * shows the daily rhythm (peaks at 8 h, 13 h and 18–20 h are typical).
 */
export const TIME_SLOTS = ['SCHOOL_HOURS', 'EVENING', 'WEEKEND', 'HOLIDAYS'] as const;
export type TimeSlot = (typeof TIME_SLOTS)[number];

export const TIME_SLOT_LABELS: Record<TimeSlot, string> = {
  SCHOOL_HOURS: 'Temps scolaire',
  EVENING: 'Soirs et mercredi après-midi',
  WEEKEND: 'Week-ends',
  HOLIDAYS: 'Vacances et jours fériés',
};

export interface TimeInput {
  filter: IndicatorFilter;
  k: number;
  /** Days without class per académie in the period: "<académie code>|YYYY-MM-DD" (see offDaysOf). */
  offDays: readonly string[];
}

export interface HeatCell {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  visits: number | null;
  users: number | null;
  suppressed: boolean;
}

export interface TimeSlotCell {
  slot: TimeSlot;
  label: string;
  visits: number | null;
  users: number | null;
  share: number | null;
  suppressed: boolean;
}

/** Visit starts (minute of the Paris day) of every person-day of the filter, with the académie for the calendar. */
const STARTS = (where: string) => `SELECT actor_pseudonym, day, academie,
    arraySort(groupUniqArrayMerge(minutes)) AS mm,
    ${visitStarts('mm')} AS starts
  FROM ${TABLES.activityActorDaily}
  WHERE ${where}
  GROUP BY actor_pseudonym, day, academie`;

/**
 * Where the time figures come from: visit_starts (migration 040, each person's visits by start hour per day ×
 * territory × profile) unless the filter restricts services or devices, which it does not keep; then
 * activity_actor_daily's minute sets, exactly (a person's visit counted on their minutes in the chosen services or
 * devices).
 */
function startsSource(filter: IndicatorFilter): { sql: string; params: QueryParams; source: StartsSource } {
  if ((filter.services?.length ?? 0) > 0 || (filter.devices?.length ?? 0) > 0) {
    const where = whereOf(filter, { dateColumn: 'day' });
    return { sql: where.sql, params: where.params, source: 'exact' };
  }
  const where = whereOf(filter);
  return {
    sql: `day BETWEEN {from:Date} AND {to:Date} AND ${where.sql}`,
    params: { ...where.params, from: filter.from, to: filter.to },
    source: 'person',
  };
}

/**
 * visit_starts' person rows, or the exact count on activity_actor_daily (services, devices). (A person-free cube of
 * day × département × profile × hour was measured slower on 10 million statements: ~45,000 HyperLogLog states to
 * merge for a school year, against 3.6 million person rows counted in 40–50 ms.)
 */
export type StartsSource = 'person' | 'exact';

/**
 * Distinct people of a heat-map cell or a slot: uniqCombined(12), exact up to 128 people (every suppression
 * decision), a 4,096-register HyperLogLog above (~1.6 %); on 10 million statements it counts a school year's
 * 3.6 million visit-start rows in 33 ms where uniq takes 73 ms.
 */
const STARTS_PRECISION = 12;
const STARTS_USERS = `uniqCombined(${STARTS_PRECISION})(person)`;

/**
 * visit_starts' rows under `where`, net of the catch-up's signed deltas (migration 058): a cell a late statement
 * emptied (two visits merged: +1 and −1 rows until a merge sums them) must count neither visits nor its person.
 * Only persons with a negative row are concerned (rare: visits merged since the last merge of their part), so only
 * their rows are summed per cell (kept when above 0); everyone else's rows are read as they are. Summing every
 * cell instead was measured 70 times slower than the plain read at 10M statements (bench/results/rollups-2026-12-06.md).
 */
const STARTS_NET = (where: string) => {
  const merged = `(SELECT person FROM ${TABLES.visitStarts} WHERE ${where} AND visits < 0)`;
  return `(
  SELECT day, academie, ent_profile, hour, person, visits FROM ${TABLES.visitStarts}
  WHERE ${where} AND person NOT IN ${merged}
  UNION ALL
  SELECT day, academie, ent_profile, hour, person, net AS visits FROM (
    SELECT day, academie, ent_profile, hour, person, sum(visits) AS net
    FROM ${TABLES.visitStarts}
    WHERE ${where} AND person IN ${merged}
    GROUP BY region, academie, departement, uai, day, sector, rep, ent_profile, hour, person
    HAVING net > 0))`;
};

export function heatmapSql(where: string, source: StartsSource = 'person'): string {
  if (source === 'person') {
    return `SELECT toDayOfWeek(day) AS weekday, hour, sum(visits) AS visits, ${STARTS_USERS} AS users
FROM ${STARTS_NET(where)}
GROUP BY weekday, hour`;
  }
  return `SELECT toDayOfWeek(day) AS weekday, intDiv(start, 60) AS hour, count() AS visits,
  uniqExact(actor_pseudonym) AS users
FROM (${STARTS(where)})
ARRAY JOIN starts AS start
GROUP BY weekday, hour`;
}

/**
 * Whether a row's day is without class for its académie: {off_days} ("<académie>|YYYY-MM-DD"), or, when every
 * académie code is a number (the directory's codes are), {off_keys}: day number × 1000 + académie code, a numeric
 * set lookup (measured 45 ms instead of 66 ms over a school year's 3.6 million visit starts at 10M statements).
 */
const OFF = (numeric: boolean) =>
  numeric
    ? `toUInt32(day) * 1000 + toUInt32OrZero(toString(academie)) IN {off_keys:Array(UInt32)}`
    : `(academie, day) IN (
      SELECT splitByChar('|', x)[1], toDate(splitByChar('|', x)[2]) FROM (SELECT arrayJoin({off_days:Array(String)}) AS x)
    )`;

/**
 * The slot of a visit start (hour of the Paris day), as `slot` with the columns it is grouped by: rows are grouped by
 * the slot's number (1–4) and named after the aggregation, once per slot (a name per row, as a String key, cost
 * 40 % of the slots' read over a school year's visit starts at 10M statements).
 */
const SLOT_NUMBER = (hour: string, numeric = false) => `multiIf(
    ${OFF(numeric)}, 1,
    toDayOfWeek(day) >= 6, 2,
    ${hour} >= 8 AND ${hour} < if(toDayOfWeek(day) = 3, 12, 18), 3,
    4) AS slot_number`;
const SLOT_NAME = `['HOLIDAYS', 'WEEKEND', 'SCHOOL_HOURS', 'EVENING'][slot_number]`;
const SLOT = (hour: string, numeric = false) => `${SLOT_NUMBER(hour, numeric)}, ${SLOT_NAME}`;

/** {off_keys} for a list of "<académie>|YYYY-MM-DD", or null when an académie code is not a number below 1000. */
export function offKeysOf(offDays: readonly string[]): number[] | null {
  const keys: number[] = [];
  for (const entry of offDays) {
    const [code = '', day = ''] = entry.split('|');
    if (!/^\d{1,3}$/.test(code)) return null;
    keys.push((Date.parse(`${day}T00:00:00Z`) / 86_400_000) * 1000 + Number(code));
  }
  return keys;
}

export function timeSlotsSql(where: string, source: StartsSource = 'person', numericOffKeys = false): string {
  if (source === 'person') {
    return `SELECT ${SLOT('hour', numericOffKeys)} AS slot, sum(visits) AS visits, ${STARTS_USERS} AS users
FROM ${STARTS_NET(where)}
GROUP BY slot_number`;
  }
  return `SELECT ${SLOT('intDiv(start, 60)')} AS slot,
  count() AS visits, uniqExact(actor_pseudonym) AS users
FROM (${STARTS(where)})
ARRAY JOIN starts AS start
GROUP BY slot_number`;
}

/** The four time slots alone, k-anonymised with complementary suppression (they add up to the visits). */
export async function timeSlots(w: Warehouse, input: TimeInput): Promise<TimeSlotCell[]> {
  return slotCells(await slotRows(w, input), input.k);
}

async function slotRows(w: Warehouse, input: TimeInput): Promise<SlotRow[]> {
  const source = startsSource(input.filter);
  const keys = source.source === 'person' ? offKeysOf(input.offDays) : null;
  return queryRows<SlotRow>(
    w.client,
    timeSlotsSql(source.sql, source.source, keys !== null),
    keys !== null ? { ...source.params, off_keys: keys } : { ...source.params, off_days: input.offDays },
  );
}

/**
 * The share of visits outside class time (every slot but SCHOOL_HOURS): base = visits, count = those outside.
 * Suppressed when the visits come from fewer than k people, or when the visits outside (or inside) class time
 * come from fewer than k people (a slot's people, largest slot taken: conservative, people are counted per slot).
 */
export async function outsideClassTime(w: Warehouse, input: TimeInput): Promise<OutsideRate> {
  return outsideOf(await slotRows(w, input), input.k);
}

export interface OutsideRate {
  base: number | null;
  count: number | null;
  rate: number | null;
  suppressed: boolean;
}

function outsideOf(rows: SlotRow[], k: number): OutsideRate {
  const visits = (r: { visits: string }) => Number(r.visits);
  const inside = rows.filter((r) => r.slot === 'SCHOOL_HOURS');
  const outside = rows.filter((r) => r.slot !== 'SCHOOL_HOURS');
  const base = rows.reduce((s, r) => s + visits(r), 0);
  const count = outside.reduce((s, r) => s + visits(r), 0);
  const people = (part: typeof rows) => Math.max(0, ...part.map((r) => Number(r.users)));
  const suppressed = people(rows) < k || (count > 0 && people(outside) < k) || (base > count && people(inside) < k);
  return suppressed
    ? { base: null, count: null, rate: null, suppressed }
    : { base, count, rate: base ? count / base : null, suppressed };
}

type SlotRow = { slot: TimeSlot; visits: string; users: string };
type HeatRow = { weekday: number; hour: number; visits: string; users: string };

/**
 * The heat map and the slots (everyone's, and pupils' visits and people) in one read of visit_starts: the rows are
 * first counted per weekday × hour × slot (at most 7 × 24 × 2 cells: an hour of a weekday is in class time or
 * not, holidays apart), people as uniqCombined states, then those few cells are merged per heat-map cell and per
 * slot (GROUPING SETS). A merge of uniqCombined states is the state of the union, so each figure is the one its own
 * query counts. (GROUPING SETS straight over the person rows, measured in an earlier session, was slower than two
 * queries on 10 million statements.)
 */
export function timeFiguresSql(where: string, numericOffKeys = false): string {
  // (aliases distinct from the columns: an alias `visits` would replace the column inside sumIf)
  return `SELECT grouping(slot_number) = 0 AS is_slot, weekday, hour, ${SLOT_NAME} AS slot,
  sum(c_visits) AS all_visits, uniqCombinedMerge(${STARTS_PRECISION})(c_users) AS all_users,
  sum(c_pupil_visits) AS pupil_visits, uniqCombinedMerge(${STARTS_PRECISION})(c_pupil_users) AS pupil_users
FROM (
  SELECT toDayOfWeek(day) AS weekday, hour, ${SLOT_NUMBER('hour', numericOffKeys)},
    sum(visits) AS c_visits, uniqCombinedState(${STARTS_PRECISION})(person) AS c_users,
    sumIf(visits, ent_profile = 'ELEVE') AS c_pupil_visits,
    uniqCombinedStateIf(${STARTS_PRECISION})(person, ent_profile = 'ELEVE') AS c_pupil_users
  FROM ${STARTS_NET(where)}
  GROUP BY weekday, hour, slot_number
)
GROUP BY GROUPING SETS ((weekday, hour), (slot_number))
SETTINGS force_grouping_standard_compatibility = 1`;
}

/**
 * The continuity view's time figures: the heat map, the four slots, and the pupils' share outside class time; one
 * query (timeFiguresSql) when the filter restricts no profile, service or device.
 */
export async function timeFigures(
  w: Warehouse,
  input: TimeInput,
): Promise<{ heatmap: HeatCell[]; slots: TimeSlotCell[]; pupilsOutside: OutsideRate }> {
  const source = startsSource(input.filter);
  if (source.source !== 'person' || (input.filter.profiles?.length ?? 0) > 0) {
    const [heat, slots, pupilsOutside] = await Promise.all([
      heatmap(w, input),
      timeSlots(w, input),
      outsideClassTime(w, { ...input, filter: { ...input.filter, profiles: ['ELEVE'] } }),
    ]);
    return { heatmap: heat, slots, pupilsOutside };
  }
  const keys = offKeysOf(input.offDays);
  const rows = await queryRows<{
    is_slot: number;
    weekday: number;
    hour: number;
    slot: TimeSlot;
    all_visits: string;
    all_users: string;
    pupil_visits: string;
    pupil_users: string;
  }>(
    w.client,
    timeFiguresSql(source.sql, keys !== null),
    keys !== null ? { ...source.params, off_keys: keys } : { ...source.params, off_days: input.offDays },
  );
  const heat = rows
    .filter((r) => !r.is_slot)
    .map((r) => ({ weekday: r.weekday, hour: r.hour, visits: r.all_visits, users: r.all_users }));
  const slots = rows.filter((r) => r.is_slot);
  const pupils = slots
    .filter((r) => Number(r.pupil_visits) > 0)
    .map((r) => ({ slot: r.slot, visits: r.pupil_visits, users: r.pupil_users }));
  const all = slots.map((r) => ({ slot: r.slot, visits: r.all_visits, users: r.all_users }));
  return {
    heatmap: heatCells(heat, input.k),
    slots: slotCells(all, input.k),
    pupilsOutside: outsideOf(pupils, input.k),
  };
}

/** The hour × weekday heat map alone (7 × 24 cells, all present), each cell k-anonymised on its own users. */
export async function heatmap(w: Warehouse, input: Omit<TimeInput, 'offDays'>): Promise<HeatCell[]> {
  const source = startsSource(input.filter);
  const heat = await queryRows<HeatRow>(w.client, heatmapSql(source.sql, source.source), source.params);
  return heatCells(heat, input.k);
}

/** 7 × 24 cells, all present, k-anonymised. */
function heatCells(heat: HeatRow[], k: number): HeatCell[] {
  const byCell = new Map(heat.map((h) => [`${h.weekday}-${h.hour}`, h]));
  const raw: { weekday: number; hour: number; visits: number; users: number }[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const h = byCell.get(`${weekday}-${hour}`);
      raw.push({ weekday, hour, visits: Number(h?.visits ?? 0), users: Number(h?.users ?? 0) });
    }
  }
  // Each visit starts in one cell: the cells add up to the total's visits, hence complementary suppression.
  return suppressBreakdown(raw, k).map((c) => ({
    weekday: c.weekday,
    hour: c.hour,
    visits: c.suppressed ? null : c.visits,
    users: c.suppressed ? null : c.users,
    suppressed: c.suppressed,
  }));
}

function slotCells(rows: { slot: TimeSlot; visits: string; users: string }[], k: number): TimeSlotCell[] {
  const bySlot = new Map(rows.map((r) => [r.slot, r]));
  const total = rows.reduce((s, r) => s + Number(r.visits), 0);
  const raw = TIME_SLOTS.map((slot) => ({
    slot,
    visits: Number(bySlot.get(slot)?.visits ?? 0),
    users: Number(bySlot.get(slot)?.users ?? 0),
  }));
  return suppressBreakdown(raw, k, { totalShown: true }).map((r) => ({
    slot: r.slot,
    label: TIME_SLOT_LABELS[r.slot],
    visits: r.suppressed ? null : r.visits,
    users: r.suppressed ? null : r.users,
    share: r.suppressed || total === 0 ? null : r.visits / total,
    suppressed: r.suppressed,
  }));
}

/** What offDaysOf needs of the school calendar (libs/directory calendar.ts). */
export interface CalendarLike {
  isSchoolHoliday(zone: 'A' | 'B' | 'C', date: string): boolean;
  isPublicHoliday(date: string): boolean;
}

/**
 * The days of the period without class, per académie: school holidays of its zone and public holidays
 * (weekends are told apart in SQL). Académies outside zones A–C (overseas) get public holidays only.
 */
export function offDaysOf(
  calendar: CalendarLike,
  academies: { code: string; zone: string }[],
  from: string,
  to: string,
): string[] {
  const out: string[] = [];
  const n = daysBetween(from, to);
  for (let i = 0; i <= n; i++) {
    const day = addDays(from, i);
    const publicHoliday = safe(() => calendar.isPublicHoliday(day));
    for (const a of academies) {
      const zone = a.zone === 'A' || a.zone === 'B' || a.zone === 'C' ? a.zone : undefined;
      if (publicHoliday || (zone && safe(() => calendar.isSchoolHoliday(zone, day)))) out.push(`${a.code}|${day}`);
    }
  }
  return out;
}

/** Days outside the calendar files' range (CalendarRangeError) count as school days rather than failing a view. */
function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && e.constructor.name === 'CalendarRangeError') return false;
    throw e;
  }
}
