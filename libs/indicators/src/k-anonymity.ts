/** A published cell before suppression: its distinct users decide whether it may be shown. */
export interface RawCell {
  users: number;
}

export type Suppressed<T> = T & { suppressed: boolean };

/**
 * k-anonymity of one breakdown (cells that partition a shown total, e.g. users by profile). A cell built on fewer
 * than `k` distinct users is suppressed (cells with no user too, so that "nobody" and "a few" look alike).
 * Complementary suppression: the suppressed cells together could be recovered by subtracting the shown cells from
 * the total, so while they hold between 1 and k − 1 users in all (e.g. exactly one suppressed cell of 2 users, or
 * two of 1 and 2), the next smallest shown cell is suppressed too. This includes the rule "if exactly one cell is
 * suppressed and the total is shown, suppress the next smallest", and is exact: users per cell are exact counts.
 *
 * `exempt`: teacher and trainer views of their own pupils (never set by the observatory's views).
 */
export function suppressBreakdown<T extends RawCell>(
  cells: T[],
  k: number,
  options: { totalShown: boolean; exempt?: boolean; disjoint?: boolean } = { totalShown: true },
): Suppressed<T>[] {
  if (options.exempt) return cells.map((c) => ({ ...c, suppressed: false }));
  const out = cells.map((c) => ({ ...c, suppressed: c.users < k }));
  if (!options.totalShown) return out;
  // The hidden cells must hide at least k people together. When the cells partition people (`disjoint`: profiles,
  // territories, establishments) their users add up; otherwise one person can be in several cells (weeks, services,
  // devices, hours), so the group is safe only once it holds a cell of k users or more.
  const hiddenUsers = () => {
    const users = out.filter((c) => c.suppressed).map((c) => c.users);
    return options.disjoint ? users.reduce((a, b) => a + b, 0) : Math.max(0, ...users);
  };
  while (hiddenUsers() > 0 && hiddenUsers() < k) {
    const next = out.filter((c) => !c.suppressed).sort((a, b) => a.users - b.users)[0];
    if (!next) break;
    next.suppressed = true;
  }
  return out;
}

/** k-anonymity of a single cell (a total). */
export function isSuppressed(users: number, k: number, exempt = false): boolean {
  return !exempt && users < k;
}

/**
 * Whether a rate count/base may be shown: neither the part, nor the rest, nor the base is a group of fewer than k
 * people (a rate of 100 % over 30 pupils would otherwise tell that each of them did it).
 */
export function isRateSuppressed(base: number, count: number, k: number): boolean {
  return base < k || (count > 0 && count < k) || (base - count > 0 && base - count < k);
}

/**
 * Complementary suppression of a two-way table whose row and column totals are both shown elsewhere in the answer
 * (week × service beside each week's and each service's total; profile × service beside both): a hidden cell could
 * otherwise be recovered from its row or from its column. Hides cells until, in every row and every column, there
 * are no hidden cells or at least two, one of k users or more (people can be in several cells, so their users are
 * not added; a single hidden cell, even a large one, would be recovered and then used on its other line).
 * Returns the hidden cells.
 */
export function suppressTable<T extends RawCell>(
  cells: readonly T[],
  k: number,
  row: (c: T) => string,
  column: (c: T) => string,
): Set<T> {
  const hidden = new Set(cells.filter((c) => c.users < k));
  let changed = hidden.size > 0;
  while (changed) {
    changed = false;
    for (const keyOf of [row, column]) {
      const groups = new Map<string, T[]>();
      for (const c of cells) groups.set(keyOf(c), [...(groups.get(keyOf(c)) ?? []), c]);
      for (const group of groups.values()) {
        // Safe when nobody is hidden, or when at least two cells are (one alone would be its line's total minus the
        // shown cells) and one of them holds k users or more.
        const hiddenHere = group.filter((c) => hidden.has(c));
        const most = Math.max(0, ...hiddenHere.map((c) => c.users));
        if (most === 0 || (most >= k && hiddenHere.length >= 2)) continue;
        const next = group.filter((c) => !hidden.has(c)).sort((a, b) => a.users - b.users)[0];
        if (next) {
          hidden.add(next);
          changed = true;
        }
      }
    }
  }
  return hidden;
}
