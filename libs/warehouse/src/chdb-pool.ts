import { createChdbConnection } from 'chdb/connection';

type ChdbConnection = ReturnType<typeof createChdbConnection>;
type Method = 'ping' | 'query' | 'insert' | 'command' | 'exec';
/** chdb's own insert of bytes (`.chdb.rawInsert`): the payload goes to the engine as it is, never through a string. */
export type RawInsert = ChdbConnection['chdb']['rawInsert'];
/** The pool as a connection, and its raw insert, on the session with the fewest calls in flight like every call. */
export type ChdbPool = ChdbConnection & { rawInsert: RawInsert };

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
    ((params: Parameters<ChdbConnection[M]>[0]) =>
      run((c) => (c[method] as (p: typeof params) => Promise<unknown>)(params))) as unknown as ChdbConnection[M];
  const pooled: Pick<ChdbConnection, Method | 'close'> & { rawInsert: RawInsert } = {
    ping: delegate('ping'),
    query: delegate('query'),
    insert: delegate('insert'),
    command: delegate('command'),
    exec: delegate('exec'),
    rawInsert: (params) => run((c) => c.chdb.rawInsert(params)),
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
