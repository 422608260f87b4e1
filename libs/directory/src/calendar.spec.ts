import { CalendarRangeError, dayNumber, isoDay, loadSchoolCalendar, parisOffsetMinutes } from './calendar.js';

const calendar = loadSchoolCalendar();

describe('the school calendar', () => {
  it('puts Rennes in zone B and Créteil in zone C', () => {
    expect(calendar.zoneOfAcademie('14')).toBe('B');
    expect(calendar.zoneOfAcademie('24')).toBe('C');
    expect(calendar.zoneOfAcademie('01')).toBe('C');
    expect(calendar.zoneOfAcademie('27')).toBeUndefined(); // Corse has its own calendar
  });

  it('knows the winter holidays differ between zones B and C in 2025-26', () => {
    // Zone B: 14 Feb – 1 Mar 2026; zone C: 21 Feb – 8 Mar 2026.
    expect(calendar.isSchoolHoliday('B', '2026-02-16')).toBe(true);
    expect(calendar.isSchoolHoliday('C', '2026-02-16')).toBe(false);
    expect(calendar.isSchoolDay('C', '2026-02-16')).toBe(true);
    expect(calendar.isSchoolDay('B', '2026-03-02')).toBe(true); // classes resume on end_date
    expect(calendar.isSchoolDay('C', '2026-03-02')).toBe(false);
  });

  it('ends the summer two days earlier for teachers than for pupils', () => {
    expect(calendar.isSchoolHoliday('B', '2026-08-31', 'eleves')).toBe(true);
    expect(calendar.isSchoolHoliday('B', '2026-08-31', 'enseignants')).toBe(false);
    expect(calendar.isSchoolDay('B', '2026-09-01')).toBe(true); // rentrée 2026, a Tuesday
    expect(calendar.isSchoolDay('B', '2026-08-31')).toBe(false);
  });

  it('has no class on weekends, public holidays and the Ascension bridge', () => {
    expect(calendar.isSchoolDay('B', '2025-09-06')).toBe(false); // Saturday
    expect(calendar.isSchoolDay('B', '2025-09-07')).toBe(false); // Sunday
    expect(calendar.isPublicHoliday('2025-11-11')).toBe(true);
    expect(calendar.isSchoolDay('C', '2025-11-11')).toBe(false);
    expect(calendar.isSchoolDay('C', '2025-12-25')).toBe(false);
    expect(calendar.isSchoolDay('B', '2026-05-15')).toBe(false); // Friday after Ascension
    expect(calendar.isSchoolDay('B', '2026-05-25')).toBe(false); // Whit Monday
    expect(calendar.isSchoolDay('B', '2026-05-26')).toBe(true);
  });

  it('counts the Alsace-Moselle days only for their départements', () => {
    expect(calendar.isPublicHoliday('2025-12-26')).toBe(false);
    expect(calendar.isPublicHoliday('2025-12-26', '067')).toBe(true);
  });

  it('gives primary schools at most a morning on Wednesdays', () => {
    expect(calendar.classHalfDays('B', '2025-09-10', 'primaire')).toBe(1);
    expect(calendar.classHalfDays('B', '2025-09-10', 'secondaire')).toBe(2);
    expect(calendar.classHalfDays('B', '2025-09-13', 'secondaire')).toBe(0);
  });

  it('names school years from 1 August to 31 July', () => {
    expect(calendar.schoolYearOf('2025-08-01')).toBe('2025-2026');
    expect(calendar.schoolYearOf('2026-07-31')).toBe('2025-2026');
    expect(calendar.schoolYearOf(new Date('2026-07-31T22:30:00Z'))).toBe('2026-2027'); // 1 Aug 00:30 in Paris
  });

  it('reads an instant as its Paris day', () => {
    expect(isoDay(dayNumber(new Date('2025-12-24T23:30:00Z')))).toBe('2025-12-25');
    expect(calendar.isSchoolDay('B', new Date('2025-12-24T23:30:00Z'))).toBe(false);
    expect(parisOffsetMinutes(Date.parse('2026-03-29T00:59:00Z'))).toBe(60);
    expect(parisOffsetMinutes(Date.parse('2026-03-29T01:00:00Z'))).toBe(120);
    expect(parisOffsetMinutes(Date.parse('2026-10-25T01:00:00Z'))).toBe(60);
  });

  it('exposes the periods it read, for loading the same calendar elsewhere', () => {
    expect(calendar.holidays).toContainEqual({
      schoolYear: '2025-2026',
      zone: 'C',
      holiday: 'Hiver',
      population: 'all',
      start: '2026-02-21',
      end: '2026-03-09',
    });
    expect(calendar.publicHolidays).toContainEqual({ date: '2026-05-25', name: 'Lundi de Pentecôte', national: true });
  });

  it('refuses days outside the files with a message saying what to add', () => {
    expect(() => calendar.isSchoolDay('B', '2030-01-07')).toThrow(CalendarRangeError);
    expect(() => calendar.isSchoolDay('B', '2030-01-07')).toThrow(/school-calendar\.csv/);
    expect(() => calendar.isSchoolDay('B', '7/1/2030')).toThrow(/YYYY-MM-DD/);
  });
});
