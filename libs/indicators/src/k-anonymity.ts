/** A published cell before suppression: its distinct users decide whether it may be shown. */
export interface RawCell {
  users: number;
}

export type Suppressed<T> = T & { suppressed: boolean };

/**
 * k-anonymity of one breakdown (cells that partition a shown total, e.g. visits by profile). A cell built on fewer
 * than `k` distinct users is suppressed. Complementary suppression: when exactly one cell with users is suppressed
 * and the total is shown, its figures could be recovered by subtracting the others from the total, so the next
 * smallest cell (fewest users) is suppressed too. Cells with no users at all (0) reveal no one and are not counted
 * as the one suppressed cell, but they are suppressed as well (0 < k) so that "nobody" and "a few" look alike.
 *
 * `exempt`: teacher and trainer views of their own pupils (never set by the observatory's views).
 */
export function suppressBreakdown<T extends RawCell>(
  cells: T[],
  k: number,
  options: { totalShown: boolean; exempt?: boolean } = { totalShown: true },
): Suppressed<T>[] {
  if (options.exempt) return cells.map((c) => ({ ...c, suppressed: false }));
  const small = (c: T) => c.users < k;
  const out = cells.map((c) => ({ ...c, suppressed: small(c) }));
  const hiddenWithUsers = out.filter((c) => c.suppressed && c.users > 0).length;
  if (options.totalShown && hiddenWithUsers === 1) {
    const next = out
      .filter((c) => !c.suppressed)
      .sort((a, b) => a.users - b.users)
      .at(0);
    if (next) next.suppressed = true;
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
