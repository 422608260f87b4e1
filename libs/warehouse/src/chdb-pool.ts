import { createChdbConnection } from 'chdb/connection';

type ChdbConnection = ReturnType<typeof createChdbConnection>;
type Method = 'ping' | 'query' | 'insert' | 'command' | 'exec';
/** chdb's own insert of bytes (`.chdb.rawInsert`): the payload goes to the engine as it is, never through a string. */
export type RawInsert = ChdbConnection['chdb']['rawInsert'];
/** The pool as a connection, and its raw insert, on the session with the fewest calls in flight like every call. */
export type ChdbPool = ChdbConnection & { rawInsert: RawInsert };

/**
 * The start (ms since the epoch) of each insert running on each data directory, in this process: every write to an
 * embedded store goes through a pool of this process (one process opens an embedded store), so these are all of
 * them, read by committed.ts without asking the engine (its process list would miss chdb's insert of bytes, and
 * reading it costs a few milliseconds of every view). Keyed by path: a process may open the store through several
 * pools (tests).
 */
const inserts = new Map<string, Map<number, number>>();
let nextInsert = 0;

/** When the oldest insert still running on `path` started (ms since the epoch), or null when none runs. */
export function oldestInsert(path: string): number | null {
  let oldest: number | null = null;
  for (const start of inserts.get(path)?.values() ?? []) if (oldest === null || start < oldest) oldest = start;
  return oldest;
}

/** Runs an insert, registered as running on `path` from before the engine sees it until it has returned. */
async function tracked<T>(path: string, insert: () => Promise<T>): Promise<T> {
  const id = nextInsert++;
  let running = inserts.get(path);
  if (!running) inserts.set(path, (running = new Map<number, number>()));
  running.set(id, Date.now());
  try {
    return await insert();
  } finally {
    running.delete(id);
    if (running.size === 0) inserts.delete(path);
  }
}

/** SQL that is an INSERT (after any comments): INSERT … VALUES, INSERT … SELECT, with or without data. */
const INSERT_SQL = /^(?:\s|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*INSERT\b/i;

/**
 * Several chdb sessions on one data directory, used as one @clickhouse/client connection. A chdb session runs one
 * query at a time (measured: ten concurrent `sleep(0.2)` take 2.2 s on one session), so with a single session a
 * long recomputation or a large insert would hold every read behind it; sessions on the same path share one engine
 * and run side by side (chdb's README: "those connections coexist by design"). Each call goes to the session with
 * the fewest calls in flight. A call's result is fully read before its session is released (chdb answers with a
 * buffer), and settings are never set per call (they would stick to one session only): see insert.ts.
 */
export function createChdbPool(path: string, sessions: number): ChdbPool {
  const pool = Array.from({ length: Math.max(1, sessions) }, () => createChdbConnection({ path }));
  const inFlight = pool.map(() => 0);
  let idle: (() => void)[] = [];
  const run = async <T>(call: (c: ChdbConnection) => Promise<T>): Promise<T> => {
    let i = 0;
    for (let j = 1; j < pool.length; j++) if ((inFlight[j] as number) < (inFlight[i] as number)) i = j;
    inFlight[i] = (inFlight[i] as number) + 1;
    try {
      return await call(pool[i] as ChdbConnection);
    } finally {
      inFlight[i] = (inFlight[i] as number) - 1;
      if (inFlight.every((n) => n === 0)) for (const wake of idle.splice(0)) wake();
    }
  };
  const first = pool[0] as ChdbConnection;
  const delegate = <M extends Method>(method: M) =>
    ((params: Parameters<ChdbConnection[M]>[0]) => {
      const call = () => run((c) => (c[method] as (p: typeof params) => Promise<unknown>)(params));
      const sql = (params as { query?: unknown } | undefined)?.query;
      return method === 'insert' || (typeof sql === 'string' && INSERT_SQL.test(sql)) ? tracked(path, call) : call();
    }) as unknown as ChdbConnection[M];
  const pooled: Pick<ChdbConnection, Method | 'close'> & { rawInsert: RawInsert } = {
    ping: delegate('ping'),
    query: delegate('query'),
    insert: delegate('insert'),
    command: delegate('command'),
    exec: delegate('exec'),
    rawInsert: (params) => tracked(path, () => run((c) => c.chdb.rawInsert(params))),
    // Closing a session while a call runs on it would abort the engine for the whole process: wait for them.
    close: async () => {
      if (inFlight.some((n) => n > 0)) await new Promise<void>((r) => idle.push(r));
      idle = [];
      for (const c of pool) await c.close();
    },
  };
  // The rest of ChdbConnection (its `.chdb` escape hatch) is not used through the pool: rawInsert is the pool's own.
  return Object.assign(Object.create(first) as ChdbConnection, pooled);
}
