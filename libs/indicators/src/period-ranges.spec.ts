import { offKeysOf } from './time.js';
import { grainsFor, periodRanges } from './visits.js';

describe('periodRanges: a period as whole months, whole weeks and days', () => {
  it('covers a school year to date with months, then weeks, then days', () => {
    expect(periodRanges('2025-09-01', '2026-04-26', grainsFor([]))).toEqual([
      { grain: 'month', ranges: [['2025-09-01', '2026-03-01']] },
      { grain: 'week', ranges: [['2026-04-06', '2026-04-20']] },
      { grain: 'day', ranges: [['2026-04-01', '2026-04-05']] },
    ]);
  });

  it('keeps weeks and days for a weekly trend, months and days for a monthly one', () => {
    expect(periodRanges('2026-01-01', '2026-01-31', grainsFor(['week']))).toEqual([
      { grain: 'week', ranges: [['2026-01-05', '2026-01-19']] },
      {
        grain: 'day',
        ranges: [
          ['2026-01-01', '2026-01-04'],
          ['2026-01-26', '2026-01-31'],
        ],
      },
    ]);
    expect(periodRanges('2025-12-15', '2026-02-10', grainsFor(['month']))).toEqual([
      { grain: 'month', ranges: [['2026-01-01', '2026-01-01']] },
      {
        grain: 'day',
        ranges: [
          ['2025-12-15', '2025-12-31'],
          ['2026-02-01', '2026-02-10'],
        ],
      },
    ]);
    expect(periodRanges('2026-01-05', '2026-01-11', grainsFor(['day', 'profile']))).toEqual([
      { grain: 'day', ranges: [['2026-01-05', '2026-01-11']] },
    ]);
  });

  it('reads one day as a day, and a week across two months as a week', () => {
    expect(periodRanges('2026-01-06', '2026-01-06', grainsFor([]))).toEqual([
      { grain: 'day', ranges: [['2026-01-06', '2026-01-06']] },
    ]);
    expect(periodRanges('2026-03-30', '2026-04-05', grainsFor(['service']))).toEqual([
      { grain: 'week', ranges: [['2026-03-30', '2026-03-30']] },
    ]);
  });

  it('covers every day exactly once', () => {
    for (const [from, to] of [
      ['2024-08-01', '2026-07-31'],
      ['2025-02-27', '2025-03-03'],
      ['2025-12-29', '2026-02-01'],
    ] as const) {
      for (const grains of [grainsFor([]), grainsFor(['week']), grainsFor(['month'])]) {
        const days: string[] = [];
        for (const { grain, ranges } of periodRanges(from, to, grains)) {
          for (const [a, b] of ranges) {
            for (
              let d = new Date(`${a}T00:00:00Z`);
              d <= new Date(`${b}T00:00:00Z`);
              d.setUTCDate(d.getUTCDate() + 1)
            ) {
              const first = d.toISOString().slice(0, 10);
              const n =
                grain === 'day'
                  ? 1
                  : grain === 'week'
                    ? 7
                    : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
              for (let i = 0; i < n; i++)
                days.push(new Date(Date.parse(`${first}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
              if (grain === 'week') d.setUTCDate(d.getUTCDate() + 6);
              if (grain === 'month') d.setUTCDate(n);
            }
          }
        }
        const expected: string[] = [];
        for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1))
          expected.push(d.toISOString().slice(0, 10));
        expect(days.sort()).toEqual(expected);
      }
    }
  });
});

describe('offKeysOf: days without class as numbers', () => {
  it('keys day × 1000 + académie, and gives up on a code that is not a number', () => {
    expect(offKeysOf(['14|1970-01-02', '24|2026-01-05'])).toEqual([1014, 20458 * 1000 + 24]);
    expect(offKeysOf(['A14|2026-01-05'])).toBeNull();
  });
});
