import { isRateSuppressed, suppressBreakdown, suppressTable } from './k-anonymity.js';
import { collegeRates } from './continuity.js';

const cells = (...users: number[]) => users.map((u, i) => ({ name: `c${i}`, users: u }));
const hidden = (r: { name: string; suppressed: boolean }[]) => r.filter((c) => c.suppressed).map((c) => c.name);

describe('k-anonymity of a breakdown (k = 5)', () => {
  it('hides cells of fewer than k users and shows the others', () => {
    expect(hidden(suppressBreakdown(cells(12, 7, 5, 3), 5))).toEqual(['c2', 'c3']);
  });

  it('does not add up the users of hidden cells: one person can be in several (weeks, services, hours)', () => {
    // 3 + 4 "users" may be the same 4 people: the total minus the shown cells would give them away
    expect(hidden(suppressBreakdown(cells(12, 7, 3, 4), 5))).toEqual(['c1', 'c2', 'c3']);
    // one person alone in five weeks: five cells of 1 user are not 5 people
    expect(hidden(suppressBreakdown(cells(1, 1, 1, 1, 1, 30, 40), 5))).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
  });

  it('hides the next smallest cell when exactly one cell is hidden and the total is shown', () => {
    expect(hidden(suppressBreakdown(cells(12, 7, 3, 9), 5))).toEqual(['c1', 'c2']);
  });

  it('keeps going until the hidden cells hold at least k users together', () => {
    expect(hidden(suppressBreakdown(cells(1, 1, 2, 40, 30), 5))).toEqual(['c0', 'c1', 'c2', 'c4']);
  });

  it('adds up the users of hidden cells that partition people (profiles, territories)', () => {
    expect(hidden(suppressBreakdown(cells(12, 6, 3, 2), 5, { totalShown: true, disjoint: true }))).toEqual([
      'c2',
      'c3',
    ]);
    expect(hidden(suppressBreakdown(cells(12, 6, 3, 2), 5))).toEqual(['c1', 'c2', 'c3']);
  });

  it('needs no complement when the hidden cells are empty or the total is not shown', () => {
    expect(hidden(suppressBreakdown(cells(12, 7, 0), 5))).toEqual(['c2']);
    expect(hidden(suppressBreakdown(cells(12, 7, 3), 5, { totalShown: false }))).toEqual(['c2']);
  });

  it('exempts only when told (teachers and trainers about their own pupils)', () => {
    expect(hidden(suppressBreakdown(cells(1, 2), 5, { totalShown: true, exempt: true }))).toEqual([]);
  });

  it('hides a rate whose base, part or rest is a group of fewer than k people', () => {
    expect([isRateSuppressed(4, 2, 5), isRateSuppressed(30, 3, 5), isRateSuppressed(30, 27, 5)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([isRateSuppressed(30, 0, 5), isRateSuppressed(30, 15, 5), isRateSuppressed(30, 30, 5)]).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('k-anonymity of a two-way table whose row and column totals are shown (k = 5)', () => {
  const table = (rows: Record<string, Record<string, number>>) =>
    Object.entries(rows).flatMap(([row, cols]) => Object.entries(cols).map(([col, users]) => ({ row, col, users })));
  const hiddenOf = (t: ReturnType<typeof table>) =>
    [
      ...suppressTable(
        t,
        5,
        (c) => c.row,
        (c) => c.col,
      ),
    ]
      .map((c) => `${c.row}×${c.col}`)
      .sort();

  it('hides a complement in the cell’s row and in its column', () => {
    const t = table({ w1: { a: 20, b: 2, c: 30 }, w2: { a: 25, b: 40, c: 35 } });
    // w1×b alone: its row would give it (w1 total − a − c) and so would its column (b total − w2×b)
    expect(hiddenOf(t)).toEqual(['w1×a', 'w1×b', 'w2×a', 'w2×b'].sort());
  });

  it('hides nothing more when every hidden cell is empty or no cell is small', () => {
    expect(hiddenOf(table({ w1: { a: 20, b: 0 }, w2: { a: 25, b: 40 } }))).toEqual(['w1×b']);
    expect(hiddenOf(table({ w1: { a: 20, b: 6 }, w2: { a: 25, b: 40 } }))).toEqual([]);
  });
});

describe('CM2 → 6e rates per collège (k = 5)', () => {
  it('hides a second collège when one is hidden, since the total base and count are shown', () => {
    const rows = [
      { college: '0350010K', base: 3, count: 2 },
      { college: '0350011L', base: 30, count: 20 },
      { college: '0350012M', base: 40, count: 30 },
    ];
    const shown = collegeRates(rows, 5).map((r) => [r.uai, r.continuity.suppressed]);
    expect(shown).toEqual([
      ['0350010K', true],
      ['0350011L', true],
      ['0350012M', false],
    ]);
  });

  it('counts the pupils with no known collège as hidden, and shows every row when all are large', () => {
    const rows = [
      { college: '', base: 2, count: 1 },
      { college: '0350011L', base: 30, count: 20 },
      { college: '0350012M', base: 40, count: 30 },
    ];
    expect(collegeRates(rows, 5).map((r) => r.continuity.suppressed)).toEqual([true, false]);
    expect(
      collegeRates(
        [
          { college: '0350011L', base: 30, count: 20 },
          { college: '0350012M', base: 40, count: 30 },
        ],
        5,
      ).map((r) => r.continuity.rate),
    ).toEqual([20 / 30, 30 / 40]);
  });
});
