import { Readable } from 'node:stream';
import { parseError } from '@clickhouse/client';
import type { Warehouse } from './client.js';

/** What a deduplication token may hold: it is written into the SQL text (SETTINGS takes no query parameters). */
const TOKEN = /^[A-Za-z0-9._:-]{1,200}$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Inserts JSONCompactEachRow lines under an insert deduplication token, so that inserting the same lines again with
 * the same token is a no-op in the table AND in every table its materialized views feed: ClickHouse remembers the
 * tokens of the last `non_replicated_deduplication_window` blocks of each table (migration 041), and a view's block
 * takes its id from the source block's. A crash between the source part and a view's part is mostly repaired by
 * replaying the insert: what landed is skipped, what is missing is written — never twice. Not always: a table records
 * the token before its part is visible, so a crash between the two makes the replay skip rows the table lacks; the
 * journal's recovery checks the tables after a replay for that reason (reconcileScope, docs/operations.md).
 *
 * `async_insert = 0`: the insert is written and fsynced before this resolves (chdb defaults to asynchronous
 * inserts). Through a Distributed table (`w.cluster`): `insert_distributed_sync = 1`, so that it resolves once every
 * shard wrote its rows, each with the token (replicated deduplication), rather than once they are queued on the node
 * for later sending.
 *
 * Embedded, the bytes go to chdb as they are (`w.rawInsert`, settings in its SQL prefix). Through the client, the
 * settings are in the SQL text rather than `clickhouse_settings`, which the chdb connection turns into session-wide
 * `SET`s that would stick to every later query. Either way a failure ClickHouse reports is a ClickHouseError with
 * its `type` (isDataError).
 */
export async function insertLinesOnce(
  w: Warehouse,
  table: string,
  columns: readonly string[],
  lines: Buffer,
  token: string,
): Promise<void> {
  if (!TOKEN.test(token)) throw new Error(`invalid insert deduplication token "${token}"`);
  if (!IDENTIFIER.test(table) || !columns.every((c) => IDENTIFIER.test(c))) {
    throw new Error(`invalid table or column name in an insert into ${table}`);
  }
  if (lines.length === 0) return;
  const settings: Record<string, string | number> = {
    insert_deduplicate: 1,
    deduplicate_blocks_in_dependent_materialized_views: 1,
    insert_deduplication_token: token,
    async_insert: 0,
    ...(w.cluster !== undefined ? { insert_distributed_sync: 1 } : {}),
  };
  if (w.rawInsert) {
    try {
      await w.rawInsert({ table, columns, format: 'JSONCompactEachRow', values: lines, settings });
    } catch (e) {
      // chdb's own error (ChdbInsertError) carries ClickHouse's message: the same typed error as the client's.
      const mapped = e instanceof Error ? parseError(e.message) : e;
      if (mapped !== e && mapped instanceof Error) mapped.cause = e;
      throw mapped;
    }
    return;
  }
  const inline = Object.entries(settings)
    .map(([k, v]) => `${k} = ${typeof v === 'number' ? v : `'${v}'`}`)
    .join(', ');
  const result = await w.client.exec({
    query: `INSERT INTO ${table} (${columns.join(', ')}) SETTINGS ${inline} FORMAT JSONCompactEachRow`,
    values: Readable.from([lines]),
  });
  // The HTTP connection keeps its socket until the (empty) answer is read.
  result.stream.resume();
  await new Promise<void>((resolve, reject) => {
    result.stream.once('end', resolve).once('close', resolve).once('error', reject);
  });
}

/**
 * ClickHouse error types that mean "this data cannot be inserted" (retrying the same rows fails the same way), as
 * opposed to an unavailable or overloaded server (retry later). Only the former may set a row aside.
 */
const DATA_ERROR_TYPES = new Set([
  'INCORRECT_DATA',
  'TYPE_MISMATCH',
  'CANNOT_CONVERT_TYPE',
  'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  'ARGUMENT_OUT_OF_BOUND',
  'TOO_LARGE_STRING_SIZE',
  'INCORRECT_NUMBER_OF_COLUMNS',
  'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN',
  'CANNOT_READ_ARRAY_FROM_TEXT',
  'DECIMAL_OVERFLOW',
]);

/** Whether an insert failed because of the rows themselves. */
export function isDataError(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return false;
  return type.startsWith('CANNOT_PARSE') || DATA_ERROR_TYPES.has(type);
}
