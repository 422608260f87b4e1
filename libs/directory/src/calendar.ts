import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/**
 * The school calendar of metropolitan France (zones A, B, C): school holidays, public holidays, school days.
 *
 * Dates are calendar days in Europe/Paris. A `Date` argument is an instant and is converted to its Paris day; a
 * `YYYY-MM-DD` string is taken as a Paris day; a number is a day number (days since 1970-01-01, see dayNumber()),
 * the fast form for loops over millions of events. Everything is precomputed into one byte per day and zone, so
 * every question is an array read.
 */
export type HolidayZone = 'A' | 'B' | 'C';
export type CalendarPopulation = 'eleves' | 'enseignants';
export type CalendarDate = string | Date | number;

export interface SchoolCalendar {
  /** The holiday zone of an académie code ('14' Rennes → 'B', '24' Créteil → 'C'); undefined outside zones A–C. */
  zoneOfAcademie(code: string): HolidayZone | undefined;
  /** In the school holidays of the zone for pupils (default) or teachers (summer ends earlier for them). */
  isSchoolHoliday(zone: HolidayZone, date: CalendarDate, population?: CalendarPopulation): boolean;
  /** A national public holiday; with a département code, also the Alsace-Moselle days in 057, 067, 068. */
  isPublicHoliday(date: CalendarDate, departement?: string): boolean;
  /**
   * A day with classes for pupils: Monday–Friday, not in the zone's holidays, not a public holiday. Wednesday
   * counts as a school day, but primary schools have at most a morning of class that day (4.5-day week) or none
   * (4-day week, most communes): see classHalfDays().
   */
  isSchoolDay(zone: HolidayZone, date: CalendarDate): boolean;
  /** Half-days of class on that day: 0 (no class), 1 (Wednesday morning, primary 4.5-day week), or 2. */
  classHalfDays(zone: HolidayZone, date: CalendarDate, stage: 'primaire' | 'secondaire'): 0 | 1 | 2;
  /** The school year of a day, '2025-2026' for 1 Aug 2025 – 31 Jul 2026. */
  schoolYearOf(date: CalendarDate): string;
  /** The holiday periods as read (for loading the same calendar elsewhere, e.g. a ClickHouse table). */
  readonly holidays: readonly HolidayPeriod[];
  /** The public holidays as read (`national…` scope, or the Alsace-Moselle days). */
  readonly publicHolidays: readonly { date: string; name: string; national: boolean }[];
  /** First and last day (day numbers) the loaded files cover; other days throw a CalendarRangeError. */
  readonly firstDay: number;
  readonly lastDay: number;
}

/** One row of school-calendar.csv: `start` = first holiday day, `end` = the day classes resume ('' = unknown). */
export interface HolidayPeriod {
  schoolYear: string;
  zone: HolidayZone;
  holiday: string;
  population: 'all' | CalendarPopulation;
  start: string;
  end: string;
}

export class CalendarRangeError extends Error {}

const MS_PER_DAY = 86_400_000;
const ZONES: readonly HolidayZone[] = ['A', 'B', 'C'];
const ALSACE_MOSELLE = new Set(['057', '067', '068', '57', '67', '68']);
// Bits of the per-day byte.
const PUPILS_OFF = 1;
const TEACHERS_OFF = 2;
const PUBLIC_HOLIDAY = 4;
const ALSACE_HOLIDAY = 8;

/** data/reference of the checkout (libs/directory/{src,dist}/calendar.* → ../../../data/reference). */
export const REFERENCE_DIR = fileURLToPath(new URL('../../../data/reference/', import.meta.url));

/** Day number of a `YYYY-MM-DD` Paris day, or of the Paris day of an instant. */
export function dayNumber(date: CalendarDate): number {
  if (typeof date === 'number') return date;
  if (typeof date === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m) throw new TypeError(`"${date}" is not a date: expected YYYY-MM-DD`);
    return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
  }
  const ms = date.getTime();
  return Math.floor((ms + parisOffsetMinutes(ms) * 60_000) / MS_PER_DAY);
}

/** `YYYY-MM-DD` of a day number. */
export function isoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Europe/Paris offset from UTC at an instant, in minutes (60 or 120): summer time runs from the last Sunday of
 * March to the last Sunday of October, 01:00 UTC both ways (EU rule since 1996). Computed rather than asked of
 * Intl because the simulator converts millions of local times.
 */
export function parisOffsetMinutes(utcMs: number): 60 | 120 {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= lastSundayAt1Utc(year, 2) && utcMs < lastSundayAt1Utc(year, 9) ? 120 : 60;
}

const dstCache = new Map<number, number>();
function lastSundayAt1Utc(year: number, month: number): number {
  const key = year * 12 + month;
  let v = dstCache.get(key);
  if (v === undefined) {
    const last = new Date(Date.UTC(year, month + 1, 0));
    v = Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
    dstCache.set(key, v);
  }
  return v;
}

interface CalendarFiles {
  schoolCalendar: string;
  zones: string;
  publicHolidays: string;
}

/** Reads school-calendar.csv, zones.csv and public-holidays.csv from `dir` (default: the bundled data/reference). */
export function loadSchoolCalendar(dir: string = REFERENCE_DIR): SchoolCalendar {
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch (e) {
      throw new Error(`cannot read the school calendar file ${join(dir, name)}: ${(e as Error).message}`);
    }
  };
  return schoolCalendarFrom({
    schoolCalendar: read('school-calendar.csv'),
    zones: read('zones.csv'),
    publicHolidays: read('public-holidays.csv'),
  });
}

/** The calendar from the text of the three files (pure: no file system). */
export function schoolCalendarFrom(files: CalendarFiles): SchoolCalendar {
  const holidays = rows(files.schoolCalendar, ['school_year', 'zone', 'population', 'start_date', 'end_date']);
  const publicHolidays = rows(files.publicHolidays, ['date', 'scope']);
  const zoneRows = rows(files.zones, ['code_academie', 'zone']);
  if (holidays.length === 0) throw new Error('school-calendar.csv has no rows');

  const years = holidays.map((h) => Number(h.school_year!.slice(0, 4)));
  // Sep 1 of the first school year to Aug 31 after the last one: the summer before the first year is not in the file.
  const firstDay = dayNumber(`${Math.min(...years)}-09-01`);
  const lastDay = dayNumber(`${Math.max(...years) + 1}-08-31`);
  const days = new Map<HolidayZone, Uint8Array>(ZONES.map((z) => [z, new Uint8Array(lastDay - firstDay + 1)]));

  for (const h of holidays) {
    const flags = days.get(h.zone as HolidayZone);
    if (!flags) continue;
    const start = dayNumber(h.start_date!);
    // No end date (summer 2027 in the copy): holidays run to the end of the covered range.
    const end = h.end_date ? dayNumber(h.end_date) : lastDay + 1;
    const bits = h.population === 'eleves' ? PUPILS_OFF : h.population === 'enseignants' ? TEACHERS_OFF : 3;
    for (let d = Math.max(start, firstDay); d < Math.min(end, lastDay + 1); d++) flags[d - firstDay]! |= bits;
  }
  for (const p of publicHolidays) {
    const d = dayNumber(p.date!);
    if (d < firstDay || d > lastDay) continue;
    const bit = p.scope!.startsWith('national') ? PUBLIC_HOLIDAY : ALSACE_HOLIDAY;
    for (const flags of days.values()) flags[d - firstDay]! |= bit;
  }
  const zoneOf = new Map<string, HolidayZone>();
  for (const z of zoneRows) {
    if (ZONES.includes(z.zone as HolidayZone)) zoneOf.set(z.code_academie!.padStart(2, '0'), z.zone as HolidayZone);
  }

  const flagsOf = (zone: HolidayZone, date: CalendarDate): [number, number] => {
    const d = dayNumber(date);
    if (d < firstDay || d > lastDay) {
      throw new CalendarRangeError(
        `${isoDay(d)} is outside the school calendar (${isoDay(firstDay)} – ${isoDay(lastDay)}): add its school year to data/reference/school-calendar.csv`,
      );
    }
    const flags = days.get(zone);
    if (!flags) throw new TypeError(`unknown holiday zone "${String(zone)}": expected A, B or C`);
    return [flags[d - firstDay]!, d];
  };
  const isSchoolDay = (zone: HolidayZone, date: CalendarDate) => {
    const [f, d] = flagsOf(zone, date);
    const weekday = (d + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    return weekday !== 0 && weekday !== 6 && (f & (PUPILS_OFF | PUBLIC_HOLIDAY)) === 0;
  };

  return {
    firstDay,
    lastDay,
    holidays: holidays
      .filter((h) => ZONES.includes(h.zone as HolidayZone))
      .map((h) => ({
        schoolYear: h.school_year!,
        zone: h.zone as HolidayZone,
        holiday: h.holiday ?? '',
        population: (h.population ?? 'all') as HolidayPeriod['population'],
        start: h.start_date!,
        end: h.end_date ?? '',
      })),
    publicHolidays: publicHolidays.map((p) => ({
      date: p.date!,
      name: p.name ?? '',
      national: p.scope!.startsWith('national'),
    })),
    zoneOfAcademie: (code) => zoneOf.get(code.trim().padStart(2, '0')),
    isSchoolHoliday: (zone, date, population = 'eleves') =>
      (flagsOf(zone, date)[0] & (population === 'eleves' ? PUPILS_OFF : TEACHERS_OFF)) !== 0,
    isPublicHoliday: (date, departement) => {
      const f = flagsOf('A', date)[0];
      const alsace = departement !== undefined && ALSACE_MOSELLE.has(departement.trim());
      return (f & PUBLIC_HOLIDAY) !== 0 || (alsace && (f & ALSACE_HOLIDAY) !== 0);
    },
    isSchoolDay,
    classHalfDays: (zone, date, stage) => {
      if (!isSchoolDay(zone, date)) return 0;
      return (dayNumber(date) + 4) % 7 === 3 && stage === 'primaire' ? 1 : 2;
    },
    schoolYearOf: (date) => {
      const d = new Date(dayNumber(date) * MS_PER_DAY);
      const y = d.getUTCMonth() >= 7 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
      return `${y}-${y + 1}`;
    },
  };
}

function rows(text: string, required: string[]): Record<string, string>[] {
  const records = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true });
  const list = records as Record<string, string>[];
  const first = list[0];
  const missing = first ? required.filter((c) => !(c in first)) : [];
  if (missing.length > 0) throw new Error(`calendar file lacks column(s) ${missing.join(', ')}`);
  return list;
}
