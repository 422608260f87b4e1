import type { Migration } from './migrate.js';
import { TABLES } from './tables.js';

/** A cluster's name as an identifier in SQL (ON CLUSTER, clusterAllReplicas), refused unless it is a plain name. */
export function quoteCluster(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`CLICKHOUSE_CLUSTER "${name}" is not a valid cluster name`);
  return `\`${name}\``;
}

/**
 * The cluster DDL (docs/scaling.md "Tables on a cluster"), derived from the single-node migrations by one systematic
 * rewrite when CLICKHOUSE_CLUSTER is set, so that a migration is written once and any MergeTree-family engine a
 * later migration uses (Summing, Aggregating, Replacing…) gets its Replicated counterpart without a second file.
 *
 * - A **sharded** table `x` (every MergeTree-family table not listed in GLOBAL_TABLES) becomes a local table
 *   `x_local` on each node, `Replicated<Family>MergeTree` with the server's default path and replica name
 *   (`default_replica_path` '/clickhouse/tables/{uuid}/{shard}', `default_replica_name` '{replica}': no arguments, so
 *   that `CREATE TABLE s AS x_local` — the recomputation's stages, the backfills' staging copies — gets a path of its
 *   own from its own UUID), and a Distributed table `x` over them. Code keeps naming `x` (TABLES): reads go through
 *   the Distributed table and see every shard.
 * - `statements` is the one table written through its Distributed table: sharding key SHARDING_KEY, a person's
 *   statements on one shard. The materialized views read `statements_local` and write the local tables of the same
 *   node, so every row derived from a statement lives on that statement's shard.
 * - A **global** table (bookkeeping, directory, DNMA, visit marks) is replicated on every node of the cluster (one
 *   path for the whole cluster, no `{shard}`), keeps its name, has no Distributed table.
 * - Tables of other engines (Memory scratch tables) stay per node, unchanged.
 */

/** Rows of a person on one shard; statements without a pseudonym (feeding no per-person table) spread by id. */
export const SHARDING_KEY = `if(actor_pseudonym = '', cityHash64(id), cityHash64(actor_pseudonym))`;

/** Replicated on every node, not sharded: read whole by every shard, or one copy of shared bookkeeping. */
export const GLOBAL_TABLES: ReadonlySet<string> = new Set([
  TABLES.migrations,
  TABLES.migrationSteps,
  TABLES.migrationCutoffs,
  TABLES.leases,
  TABLES.directoryEstablishments,
  TABLES.dnmaWeekly,
  TABLES.visitDirtyDay,
  TABLES.visitStageReady,
  TABLES.visitComplete,
]);

/** The path of a global table: one replica set over the whole cluster (the UUID is shared by ON CLUSTER DDL). */
const GLOBAL_PATH = `'/clickhouse/tables/{uuid}/global', '{replica}'`;

const LOCAL_SUFFIX = '_local';

/** Tables written through their Distributed table, and with which key; the others' Distributed tables only read. */
const DISTRIBUTED_KEYS: Record<string, string> = { [TABLES.statements]: SHARDING_KEY };

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})(\\s+\\{on_cluster\\})?`, 'i');
const ENGINE = /\bENGINE\s*=\s*(\w*)MergeTree\b(\s*\(([^()]*)\))?/i;
const AS_TABLE = new RegExp(`^(\\s*AS\\s+)(${IDENT})\\b`, 'i');
const VIEW = new RegExp(`^CREATE\\s+MATERIALIZED\\s+VIEW\\b`, 'i');
const ALTER = new RegExp(`^ALTER\\s+TABLE\\s+(${IDENT})\\b`, 'i');
const INSERT = new RegExp(`^INSERT\\s+INTO\\s+(${IDENT})\\b`, 'i');
const DROP = new RegExp(`^DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?(${IDENT})(\\s+\\{on_cluster\\})?\\s*$`, 'i');
const RENAME = new RegExp(`^RENAME\\s+TABLE\\s+(${IDENT})\\s+TO\\s+(${IDENT})(\\s+\\{on_cluster\\})?\\s*$`, 'i');

/** The names of the sharded tables a set of migrations creates (their local copies get LOCAL_SUFFIX). */
export function shardedTables(migrations: Migration[]): Set<string> {
  const out = new Set<string>();
  for (const m of migrations)
    for (const s of m.statements) {
      const create = CREATE_TABLE.exec(s);
      if (!create) continue;
      const name = create[2] as string;
      const rest = s.slice(create[0].length);
      const engine = ENGINE.exec(rest);
      const copied = AS_TABLE.exec(rest)?.[2];
      if (GLOBAL_TABLES.has(name)) continue;
      // A MergeTree-family engine of its own, or none and a copy of a sharded table (stages: `AS visit_person`).
      if (engine || (copied && out.has(copied) && !/\bENGINE\b/i.test(rest))) out.add(name);
    }
  for (const m of migrations)
    for (const s of m.statements) {
      const rename = RENAME.exec(s);
      if (rename && out.has(rename[1] as string)) out.add(rename[2] as string);
    }
  return out;
}

/** The name of the table a statement or a mutation must address on a node: `x_local` for a sharded `x`. */
export function localTable(table: string, sharded: ReadonlySet<string>): string {
  return sharded.has(table) ? `${table}${LOCAL_SUFFIX}` : table;
}

/** The engine clause rewritten: `<Family>MergeTree(args)` → `Replicated<Family>MergeTree(args)` (path: see above). */
export function replicatedEngine(sql: string, global: boolean): string {
  return sql.replace(ENGINE, (whole, family: string, _parens: string | undefined, args: string | undefined) => {
    if (/^Replicated/i.test(family)) return whole;
    const list = [global ? GLOBAL_PATH : '', (args ?? '').trim()].filter((a) => a !== '').join(', ');
    return `ENGINE = Replicated${family}MergeTree${list === '' ? '' : `(${list})`}`;
  });
}

/** Names of sharded tables after FROM / JOIN / TO (a view's source and target) replaced by their local tables. */
function localReferences(sql: string, sharded: ReadonlySet<string>): string {
  return sql.replace(
    new RegExp(`\\b(FROM|JOIN|TO)(\\s+)(${IDENT})\\b`, 'gi'),
    (whole, kw: string, sp: string, t: string) => (sharded.has(t) ? `${kw}${sp}${t}${LOCAL_SUFFIX}` : whole),
  );
}

function distributed(table: string, cluster: string): string {
  const key = DISTRIBUTED_KEYS[table];
  const args = [`'${cluster}'`, 'currentDatabase()', `'${table}${LOCAL_SUFFIX}'`, ...(key ? [key] : [])].join(', ');
  return `CREATE TABLE IF NOT EXISTS ${table} {on_cluster} AS ${table}${LOCAL_SUFFIX} ENGINE = Distributed(${args})`;
}

/** One migration statement in its cluster form: one or more statements, `{on_cluster}` left for render(). */
export function clusterStatements(sql: string, sharded: ReadonlySet<string>, cluster: string): string[] {
  const create = CREATE_TABLE.exec(sql);
  if (create && !VIEW.test(sql)) {
    const name = create[2] as string;
    const head = create[0];
    let rest = sql.slice(head.length);
    if (GLOBAL_TABLES.has(name)) return [`${head}${replicatedEngine(rest, true)}`];
    if (!sharded.has(name)) return [sql];
    const copied = AS_TABLE.exec(rest);
    if (copied && sharded.has(copied[2] as string))
      rest = rest.replace(AS_TABLE, `$1${copied[2] as string}${LOCAL_SUFFIX}`);
    const local = head.replace(new RegExp(`\\b${name}\\b`), `${name}${LOCAL_SUFFIX}`);
    return [`${local}${replicatedEngine(rest, false)}`, distributed(name, cluster)];
  }
  if (VIEW.test(sql)) return [localReferences(sql, sharded)];
  const alter = ALTER.exec(sql);
  if (alter && sharded.has(alter[1] as string)) {
    const table = alter[1] as string;
    const local = sql.replace(ALTER, `ALTER TABLE ${table}${LOCAL_SUFFIX}`);
    // A column added to the local tables is added to the Distributed table too (its structure must match); the
    // other alterations (settings, TTL, mutations) concern the stored parts only.
    if (/\bADD\s+COLUMN\b/i.test(sql) && !/\bMATERIALIZE\b|\bMODIFY\s+SETTING\b/i.test(sql)) return [local, sql];
    return [local];
  }
  const insert = INSERT.exec(sql);
  if (insert)
    return [localReferences(sql.replace(INSERT, `INSERT INTO ${localTable(insert[1] as string, sharded)}`), sharded)];
  const drop = DROP.exec(sql);
  if (drop && sharded.has(drop[2] as string)) {
    const name = drop[2] as string;
    return [sql, sql.replace(new RegExp(`\\b${name}\\b`), `${name}${LOCAL_SUFFIX}`)];
  }
  const rename = RENAME.exec(sql);
  if (rename && sharded.has(rename[1] as string)) {
    const [from, to] = [rename[1] as string, rename[2] as string];
    return [
      `RENAME TABLE ${from}${LOCAL_SUFFIX} TO ${to}${LOCAL_SUFFIX} {on_cluster}`,
      `DROP TABLE IF EXISTS ${from} {on_cluster}`,
      distributed(to, cluster),
    ];
  }
  return [sql];
}

/** Every migration in its cluster form (migrate() applies these when CLICKHOUSE_CLUSTER is set). */
export function clusterMigrations(
  migrations: Migration[],
  cluster: string,
  known: Migration[] = migrations,
): Migration[] {
  const sharded = shardedTables(known);
  return migrations.map((m) => {
    const statements: string[] = [];
    const skipIf: Record<number, string> = {};
    m.statements.forEach((s, i) => {
      for (const rendered of clusterStatements(s, sharded, cluster)) {
        // A statement's `-- skip if:` guard holds for each statement it becomes (local and Distributed table).
        const guard = m.skipIf?.[i];
        if (guard) skipIf[statements.length] = guard;
        statements.push(rendered);
      }
    });
    return m.skipIf ? { ...m, statements, skipIf } : { ...m, statements };
  });
}
