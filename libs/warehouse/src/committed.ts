import { oldestInsert } from './chdb-pool.js';
import type { Warehouse } from './client.js';
import { quoteCluster } from './cluster.js';
import { queryRows } from './query.js';

/**
 * An instant before which every row inserted into this database is committed ('YYYY-MM-DD hh:mm:ss.sss', UTC, the
 * server's clock): now less `marginMs` (at least 1 ms), and never as late as the start of an insert still running.
 *
 * A materialized view can stamp a row with now64() while its insert runs (visit_dirty_day's marks), and the row
 * becomes visible only when the insert commits: up to the whole insert later (a journal generation with its nine
 * views, a bulk load, an insert slowed by a loaded machine). A reader that took "now", or now less a fixed margin, as
 * the instant before which it has seen every row would lose the rows of an insert slower than that.
 *
 * Where the inserts are known: on a server, its process list (system.processes; on a cluster every replica's), where
 * an insert is from before it stamps anything until after it has committed; on an embedded store, which one process
 * opens, that process's own record of the inserts it is running (chdb-pool.ts), read here without a query (chdb runs
 * in this process: its clock is this one). The instant is before the oldest such start, and before the moment the
 * inserts were looked at: an insert that starts later stamps its rows later. Call it before reading what it is to
 * cover (the marks): an insert that commits between the two is then either before the instant and visible, or after
 * it. What no process list shows is left to `marginMs`: on a cluster, a row committed on another replica and not yet
 * fetched by this one. `notAfter` (ms since the epoch), read by the caller before the call, bounds it further with
 * what only the caller knows (the LRS journal's Consistent-Through: libs/indicators visit-rollup.ts).
 */
export async function committedBefore(w: Warehouse, marginMs: number, notAfter?: number): Promise<string> {
  if (!Number.isInteger(marginMs) || marginMs < 0) throw new Error(`committedBefore: bad margin ${marginMs}`);
  // A row stamped in the very millisecond the inserts were looked at may belong to an insert that started after.
  const margin = Math.max(marginMs, 1);
  const text = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
  if (w.mode === 'embedded') {
    const now = Date.now();
    return text(Math.min(now - margin, (oldestInsert(w.location) ?? now) - 1, notAfter ?? now));
  }
  const processes = w.cluster ? `clusterAllReplicas(${quoteCluster(w.cluster)}, system.processes)` : 'system.processes';
  // now64() is fixed when the query is analysed, before the process list is read.
  const oldest = `toDateTime64(minOrNull(now64(6, 'UTC') - toIntervalMicrosecond(toUInt64(elapsed * 1000000))), 3, 'UTC')`;
  const [row] = await queryRows<{ at: string }>(
    w.client,
    `SELECT toString(least(now64(3, 'UTC') - toIntervalMillisecond({margin:UInt32}),
      ifNull(${oldest}, now64(3, 'UTC')) - toIntervalMillisecond(1))) AS at
FROM ${processes} WHERE query_kind = 'Insert' AND current_database = currentDatabase()`,
    { margin },
  );
  if (!row) throw new Error('committedBefore: no answer');
  // Same text form: instants compare as strings.
  return notAfter !== undefined && text(notAfter) < row.at ? text(notAfter) : row.at;
}
