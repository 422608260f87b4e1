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
  options: { totalShown: boolean; exempt?: boolean } = { totalShown: true },
): Suppressed<T>[] {
  if (options.exempt) return cells.map((c) => ({ ...c, suppressed: false }));
  const out = cells.map((c) => ({ ...c, suppressed: c.users < k }));
  if (!options.totalShown) return out;
  const hiddenUsers = () => out.filter((c) => c.suppressed).reduce((s, c) => s + c.users, 0);
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
