import { describe, expect, it } from '@jest/globals';
import { formatChange, formatDuration, formatNumber, formatPercent } from '../format';
import { csvValue, displayValue } from './cells';
import { classBreaks, classOf, colourIndex } from './classes';
import { csvFileName, toCsv } from './csv';

// French formatting separates thousands with a narrow no-break space (U+202F) and puts one before "%".
const fr = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('figures in French', () => {
  it('formats counts, percents, durations and changes the French way', () => {
    expect(fr(formatNumber(1234567))).toBe('1 234 567');
    expect(fr(formatPercent(0.4567))).toBe('45,7 %');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(725)).toBe('12 min 5 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(3840)).toBe('1 h 04 min');
    expect(fr(formatChange(125, 100)!)).toBe('+25 %');
    expect(fr(formatChange(97, 100)!)).toBe('-3 %');
    expect(formatChange(10, 0)).toBeUndefined();
    expect(formatChange(10, null)).toBeUndefined();
  });

  it('shows a suppressed value as "< k", never as zero, and an absent one as a dash', () => {
    expect(displayValue(null, 'count', true, 5)).toBe('< 5');
    expect(displayValue(0, 'count', true, 11)).toBe('< 11');
    expect(displayValue(0, 'count')).toBe('0');
    expect(displayValue(null, 'percent')).toBe('—');
    expect(fr(displayValue(0.25, 'percent'))).toBe('25 %');
    expect(displayValue(90, 'duration')).toBe('1 min 30 s');
  });

  it('writes CSV values plainly with a decimal comma, and "< k" for suppressed cells', () => {
    expect(csvValue(1234567, 'count')).toBe('1234567');
    expect(csvValue(0.45678, 'percent')).toBe('45,7');
    expect(csvValue(725.44, 'duration')).toBe('725,4');
    expect(csvValue(null, 'count', true, 5)).toBe('< 5');
    expect(csvValue(null, 'count')).toBe('');
  });

  it('writes in the CSV the figure the screen shows: percentages in percent, ratios to two decimals', () => {
    // A device's share: « 25,5 % » on screen, 25,5 in the « Part des visites (%) » column (it held 0,255).
    for (const share of [0.2553, 0.261, 0.0004, 1]) {
      expect(fr(displayValue(share, 'percent'))).toBe(`${csvValue(share, 'percent')} %`);
    }
    // Parents per enrolled pupil: « 0,02 » everywhere (the KPI rounded it to « 0 », the table said 0,02).
    expect(displayValue(0.0194, 'decimal')).toBe('0,02');
    expect(csvValue(0.0194, 'decimal')).toBe('0,02');
  });

  it('exports a CSV that French spreadsheets open: BOM, semicolons, CRLF, quoted text', () => {
    const rows = [
      { name: 'Collège "Les Chalais"; Rennes', visits: 1200, suppressed: false },
      { name: 'École B', visits: null, suppressed: true },
    ];
    const csv = toCsv(
      [
        { key: 'name', label: 'Établissement', kind: 'text', value: (r: (typeof rows)[number]) => r.name },
        {
          key: 'visits',
          label: 'Visites (nombre)',
          kind: 'count',
          value: (r) => r.visits,
          suppressed: (r) => r.suppressed,
        },
      ],
      rows,
      5,
    );
    expect(csv).toBe(
      '\uFEFFÉtablissement;Visites (nombre)\r\n"Collège ""Les Chalais""; Rennes";1200\r\nÉcole B;< 5\r\n',
    );
    expect(csvFileName('Visites par semaine — Académie de Rennes')).toBe('visites-par-semaine-academie-de-rennes.csv');
  });

  it('splits map values into up to five classes at the quintiles', () => {
    expect(classBreaks([])).toEqual([]);
    expect(classBreaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([2, 4, 6, 8, 10]);
    expect(classBreaks([7, 7, 7])).toEqual([7]);
    expect(classOf(5, [2, 4, 6, 8, 10])).toBe(2);
    expect(classOf(11, [2, 4, 6, 8, 10])).toBe(4);
    // two classes take the lightest and the darkest of five colours
    expect([0, 1].map((c) => colourIndex(c, 2, 5))).toEqual([0, 4]);
    expect([0, 1, 2, 3, 4].map((c) => colourIndex(c, 5, 5))).toEqual([0, 1, 2, 3, 4]);
  });
});
