import { isRateSuppressed, suppressBreakdown } from './k-anonymity.js';

const cells = (...users: number[]) => users.map((u, i) => ({ name: `c${i}`, users: u }));
const hidden = (r: { name: string; suppressed: boolean }[]) => r.filter((c) => c.suppressed).map((c) => c.name);

describe('k-anonymity of a breakdown (k = 5)', () => {
  it('hides cells of fewer than k users and shows the others', () => {
    expect(hidden(suppressBreakdown(cells(12, 7, 3, 4), 5))).toEqual(['c2', 'c3']);
  });

  it('hides the next smallest cell when exactly one cell is hidden and the total is shown', () => {
    expect(hidden(suppressBreakdown(cells(12, 7, 3, 9), 5))).toEqual(['c1', 'c2']);
  });

  it('keeps going until the hidden cells hold at least k users together', () => {
    expect(hidden(suppressBreakdown(cells(1, 1, 2, 40, 30), 5))).toEqual(['c0', 'c1', 'c2', 'c4']);
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
