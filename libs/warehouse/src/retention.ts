import type { Warehouse } from './client.js';
import { onCluster, storedTable } from './migrate.js';
import { command, queryRows } from './query.js';
import { TABLES } from './tables.js';

/**
 * Retention (docs/operations.md "Retention"): pupils' data is not kept forever. Every table that holds a person's
 * rows has a ClickHouse TTL that deletes a whole calendar month (Paris time) of rows once `months` full months have
 * passed after it ended: with 12, the rows of September 2025 go on 1 October 2026. Rows go at the next merge of
 * their part (or at once with `enforceRetention`), not at the exact second.
 *
 * Two settings, because two kinds of data:
 * - `statementMonths`: the LRS's own records (raw statements and the tables the LRS reads them through), by the
 *   month they were stored in. A GET of an expired statement answers 404.
 * - `personMonths`: the person-level rollups the observatory and the follow-up read (a pseudonym or its hash per
 *   row), by the month of the day the activity happened.
 * Aggregates without a person (`visit_cube`, `dnma_weekly`, `directory_establishments`) have no TTL: they are kept.
 * 0 means kept forever (no TTL).
 */
export interface RetentionSettings {
  statementMonths: number;
  personMonths: number;
}

export type RetentionScope = 'statements' | 'person';

/** Every table that holds a person's rows, the column its month is read from, and which setting applies. */
export const RETAINED_TABLES: readonly { table: string; column: string; scope: RetentionScope }[] = [
  { table: TABLES.statements, column: 'stored', scope: 'statements' },
  { table: TABLES.statementsById, column: 'stored', scope: 'statements' },
  { table: TABLES.statementKeys, column: 'stored', scope: 'statements' },
  { table: TABLES.statementRefs, column: 'stored', scope: 'statements' },
  { table: TABLES.activityActorDaily, column: 'day', scope: 'person' },
  { table: TABLES.pupilWeekly, column: 'week', scope: 'person' },
  // Contributors are a uniqExact state: hashes of the pseudonyms of a space's contributors, person-level data.
  { table: TABLES.spaceDaily, column: 'day', scope: 'person' },
  { table: TABLES.visitPerson, column: 'period', scope: 'person' },
  { table: TABLES.visitStarts, column: 'day', scope: 'person' },
  // No person in it, but it expires with visit_person: a period's measured establishments and its people come from
  // the same days (migration 059).
  { table: TABLES.visitEstablishmentDays, column: 'day', scope: 'person' },
  // The catch-up's marks name a person (the hash visit_person keys them by, migration 061) until they are counted
  // (their partitions are dropped the day after); a day beyond the horizon is not counted anyway.
  { table: TABLES.visitDirtyDay, column: 'day', scope: 'person' },
  { table: TABLES.followUpPupilEvents, column: 'timestamp', scope: 'person' },
  { table: TABLES.followUpHomework, column: 'timestamp', scope: 'person' },
];

/** Columns that make a row person-level: a table with one must be in RETAINED_TABLES or be scratch (a test checks). */
export const PERSON_COLUMNS = ['actor_pseudonym', 'actor_ifi', 'person'] as const;

/**
 * The TTL expression of a column kept `months` full months after its month ends, written as ClickHouse prints it
 * back in `system.tables.engine_full` (so that an unchanged setting is recognised and not applied again).
 */
export function ttlExpression(column: string, type: string, months: number): string {
  const day =
    type.startsWith('Date') && !type.startsWith('DateTime') ? column : `toDate(toTimeZone(${column}, 'Europe/Paris'))`;
  return `toStartOfMonth(${day}) + toIntervalMonth(${months + 1})`;
}

/** The TTL clause of a table's engine as ClickHouse shows it, '' when it has none. */
function ttlOf(engineFull: string): string {
  return /\bTTL (.+?)(?: SETTINGS |$)/.exec(engineFull)?.[1] ?? '';
}

interface TableInfo {
  name: string;
  engine_full: string;
}

async function tablesInfo(w: Warehouse, names: string[]): Promise<Map<string, TableInfo>> {
  const rows = await queryRows<TableInfo>(
    w.client,
    `SELECT name, engine_full FROM system.tables WHERE database = currentDatabase() AND name IN {names:Array(String)}`,
    { names },
  );
  return new Map(rows.map((r) => [r.name, r]));
}

export interface RetentionChange {
  table: string;
  /** The TTL set, or '' when removed. */
  ttl: string;
}

/**
 * Sets each retained table's TTL from the settings; idempotent (a table whose TTL already says the same is left
 * alone, so a restart costs one catalogue read). A changed TTL is materialized on the parts already written by a
 * background mutation (`sync`: waited for, for tests); 0 removes the TTL. Returns what changed.
 */
export async function applyRetention(
  w: Warehouse,
  settings: RetentionSettings,
  options: { sync?: boolean } = {},
): Promise<RetentionChange[]> {
  const stored = (t: string) => storedTable(w, t);
  const info = await tablesInfo(
    w,
    RETAINED_TABLES.map((t) => stored(t.table)),
  );
  const types = new Map(
    (
      await queryRows<{ table: string; name: string; type: string }>(
        w.client,
        `SELECT table, name, type FROM system.columns WHERE database = currentDatabase() AND table IN {names:Array(String)}`,
        { names: RETAINED_TABLES.map((t) => stored(t.table)) },
      )
    ).map((c) => [`${c.table}.${c.name}`, c.type]),
  );
  const changes: RetentionChange[] = [];
  for (const { table: name, column, scope } of RETAINED_TABLES) {
    // Cluster mode: the TTL is the local tables' (each replica deletes its own rows at its merges).
    const table = stored(name);
    const current = info.get(table);
    if (!current) continue;
    const months = scope === 'statements' ? settings.statementMonths : settings.personMonths;
    const type = types.get(`${table}.${column}`);
    if (!type) throw new Error(`retention: ${table} has no column ${column}`);
    const wanted = months > 0 ? ttlExpression(column, type, months) : '';
    if (ttlOf(current.engine_full) === wanted) continue;
    const sync = options.sync ? ' SETTINGS mutations_sync = 2' : '';
    // A DDL expression, not a value: months is a validated integer and column a constant above.
    await command(
      w.client,
      wanted
        ? `ALTER TABLE ${table} ${onCluster(w)} MODIFY TTL ${wanted}${sync}`
        : `ALTER TABLE ${table} ${onCluster(w)} REMOVE TTL`,
    );
    changes.push({ table: name, ttl: wanted });
  }
  return changes;
}

/** Deletes now what the TTLs say has expired (tests, and an operator who cannot wait for the merges). */
export async function enforceRetention(w: Warehouse): Promise<void> {
  const tables = RETAINED_TABLES.map((t) => storedTable(w, t.table));
  const info = await tablesInfo(w, tables);
  for (const table of tables) {
    const t = info.get(table);
    if (t && ttlOf(t.engine_full) !== '')
      await command(w.client, `ALTER TABLE ${table} ${onCluster(w)} MATERIALIZE TTL SETTINGS mutations_sync = 2`);
  }
}

/**
 * The first day (Paris, `YYYY-MM-DD`) whose rows a table still keeps under its TTL, or null when it has none: the
 * first day of the month `months` months before the current one. Read from the table's TTL itself, so that every
 * process agrees with what ClickHouse deletes, whatever its own settings.
 */
export async function retainedFrom(w: Warehouse, name: string = TABLES.activityActorDaily): Promise<string | null> {
  // The TTL and the server's current month (Paris) in one read: catch-ups and views ask often.
  const [t] = await queryRows<{ engine_full: string; month: string }>(
    w.client,
    `SELECT engine_full, toString(toStartOfMonth(toDate(now(), 'Europe/Paris'))) AS month
FROM system.tables WHERE database = currentDatabase() AND name = {table:String}`,
    { table: storedTable(w, name) },
  );
  const months = /toIntervalMonth\((\d+)\)/.exec(ttlOf(t?.engine_full ?? ''))?.[1];
  if (t === undefined || months === undefined) return null;
  return monthsBefore(t.month, Number(months) - 1);
}

/** The first day of the month `n` months before the month of `first` (`YYYY-MM-01`). */
function monthsBefore(first: string, n: number): string {
  const index = Number(first.slice(0, 4)) * 12 + Number(first.slice(5, 7)) - 1 - n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}
