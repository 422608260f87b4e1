/**
 * A counter of writes to `statements` in this process, bumped after every insert (LRS direct inserts, journal
 * moves, erasure). Caches of figures computed from the statements (the observatory's views) compare it to know
 * whether new data arrived; writes by other processes are caught by the caches' short time-to-live.
 */
let generation = 0;

export function bumpDataGeneration(): void {
  generation++;
}

export function dataGeneration(): number {
  return generation;
}
