import { type Warehouse, withLease } from '@ent-observatory/warehouse';

/**
 * Takes a ClickHouse lease as another API instance or the CLI would, and holds it until `release()`; `done` ends
 * when the lease is given back. Resolves once the lease is held.
 */
export async function holdLease(
  w: Warehouse,
  name: string,
  holder: string,
): Promise<{ release: () => void; done: Promise<void> }> {
  let release = () => {};
  let holding = () => {};
  const held = new Promise<void>((r) => (holding = r));
  const done = withLease(
    w,
    name,
    holder,
    () =>
      new Promise<void>((r) => {
        release = r;
        holding();
      }),
    { settleMs: 10 },
  );
  await Promise.race([held, done]);
  return { release: () => release(), done };
}
