import { oldestInsert } from './chdb-pool.js';
import type { Warehouse } from './client.js';
import { quoteCluster } from './cluster.js';
import type { QueryParams } from './query.js';

/**
 * An instant before which every row inserted into this database is committed, as a SQL scalar (DateTime64(3, 'UTC'),
 * the server's clock): now less `marginMs`, and never as late as the start of an insert still running.
 *
 * A materialized view can stamp a row with now64() while its insert runs (visit_dirty_day's marks), and the row
 * becomes visible only when the insert commits: up to the whole insert later (a journal generation with its nine
 * views, a bulk load, an insert slowed by a loaded machine). A reader that took "now", or now less a fixed margin, as
 * the instant before which it has seen every row would lose the rows of an insert slower than that.
 *
 * Where the inserts are known: on a server, its process list (system.processes; on a cluster every replica's), where
 * an insert is from before it stamps anything until after it has committed; on an embedded store, which one process
 * opens, that process's own record of the inserts it is running (chdb-pool.ts), taken before the query is sent. The
 * instant is at most the oldest such start less 1 ms, and at most the moment the inserts were looked at (now64() is
 * fixed when the query is analysed, before system.processes is read): an insert that starts later stamps its rows
 * later. What no process list shows is left to `marginMs`: on a cluster, a row committed on another replica and not
 * yet fetched by this one.
 */
export function committedBefore(w: Warehouse, marginMs: number): { sql: string; params: QueryParams } {
  if (!Number.isInteger(marginMs) || marginMs < 0) throw new Error(`committedBefore: bad margin ${marginMs}`);
  const margin = `now64(3, 'UTC') - toIntervalMillisecond({committed_margin:UInt32})`;
  if (w.mode === 'embedded') {
    const lookedAt = Date.now();
    const bound = Math.min(lookedAt, oldestInsert(w.location) ?? lookedAt) - 1;
    return {
      sql: `least(${margin}, toDateTime64({committed_local:String}, 3, 'UTC'))`,
      params: {
        committed_margin: marginMs,
        committed_local: new Date(bound).toISOString().replace('T', ' ').slice(0, 23),
      },
    };
  }
  const processes = w.cluster ? `clusterAllReplicas(${quoteCluster(w.cluster)}, system.processes)` : 'system.processes';
  const oldest = `toDateTime64(minOrNull(now64(6, 'UTC') - toIntervalMicrosecond(toUInt64(elapsed * 1000000))), 3, 'UTC')`;
  return {
    sql: `(SELECT least(${margin}, ifNull(${oldest}, now64(3, 'UTC')) - toIntervalMillisecond(1))
  FROM ${processes} WHERE query_kind = 'Insert' AND current_database = currentDatabase())`,
    params: { committed_margin: marginMs },
  };
}
