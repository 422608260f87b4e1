import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { QUERY_KEY, type StoredStatement, toClickHouseTime } from '@ent-observatory/xapi';
import type { PagePosition } from './statement-cursor.js';
import type { StatementQuery } from './statement-query.js';

/**
 * Ids of voided statements: targets of voiding statements, except voiding statements themselves (a voiding
 * statement cannot be voided, Data 2.3.2). statement_refs is small: only StatementRef statements are in it.
 */
const VOIDED_IDS = `SELECT target FROM ${TABLES.statementRefs} WHERE voiding = 1
  AND target NOT IN (SELECT id FROM ${TABLES.statementRefs} WHERE voiding = 1)`;

/**
 * A filter as key groups over `statement_keys`: a statement matches when it has a key of every group; verb and
 * registration, when another filter drives the read, are checked on the columns that ride along.
 */
interface KeyFilter {
  groups: string[][];
  verb?: string;
  registration?: string;
}

export interface Page {
  statements: StoredStatement[];
  /** Where the next page starts, when there is one. */
  next?: PagePosition;
}

type Params = Record<string, unknown>;

/** The filter parameters of a query (not time, order or limit), as key groups. */
function keyFilter(q: StatementQuery, authority: string | undefined): KeyFilter {
  const groups: string[][] = [];
  if (q.agent !== undefined) {
    groups.push([QUERY_KEY.agent + q.agent, ...(q.relatedAgents ? [QUERY_KEY.relatedAgent + q.agent] : [])]);
  }
  if (q.activity !== undefined) {
    groups.push([
      QUERY_KEY.activity + q.activity,
      ...(q.relatedActivities ? [QUERY_KEY.relatedActivity + q.activity] : []),
    ]);
  }
  if (authority !== undefined) groups.push([QUERY_KEY.authority + authority]);
  let { verb, registration } = q;
  // Without an agent or activity, the most selective of registration and verb drives the read.
  if (groups.length === 0 && registration !== undefined) {
    groups.push([QUERY_KEY.registration + registration]);
    registration = undefined;
  } else if (groups.length === 0 && verb !== undefined) {
    groups.push([QUERY_KEY.verb + verb]);
    verb = undefined;
  }
  return { groups, verb, registration };
}

/** Whether a statement with these query keys meets the filter. */
function matchesKeys(f: KeyFilter, keys: string[] | undefined): boolean {
  const has = new Set(keys);
  return (
    f.groups.every((g) => g.some((k) => has.has(k))) &&
    (f.verb === undefined || has.has(QUERY_KEY.verb + f.verb)) &&
    (f.registration === undefined || has.has(QUERY_KEY.registration + f.registration))
  );
}

/** WHERE/HAVING of a key-table read, its parameters filled into `params`. */
function keyConditions(f: KeyFilter, params: Params, grouped: boolean): { where: string[]; having: string } {
  const keys = f.groups.flat();
  // `key = ` for one key: ClickHouse then reads that primary-key range in (stored, id) order and stops at LIMIT.
  const where = [keys.length === 1 ? 'key = {key:String}' : 'key IN {keys:Array(String)}'];
  if (keys.length === 1) params.key = keys[0];
  else params.keys = keys;
  if (f.verb !== undefined) {
    where.push('verb_id = {verb:String}');
    params.verb = f.verb;
  }
  if (f.registration !== undefined) {
    where.push('registration = {registration:UUID}');
    params.registration = f.registration;
  }
  const having = grouped
    ? f.groups.map((g, i) => {
        params[`g${i}`] = g;
        return `max(has({g${i}:Array(String)}, key)) = 1`;
      })
    : [];
  return { where, having: having.join(' AND ') };
}

/** since/until and the page position: conditions on `stored` (and id), applied to the statements returned. */
function timeConditions(q: StatementQuery, after: PagePosition | undefined, params: Params): string[] {
  const where: string[] = [];
  if (q.since !== undefined) {
    where.push(`stored > {since:DateTime64(3, 'UTC')}`);
    params.since = toClickHouseTime(new Date(q.since).toISOString());
  }
  if (q.until !== undefined) {
    where.push(`stored <= {until:DateTime64(3, 'UTC')}`);
    params.until = toClickHouseTime(new Date(q.until).toISOString());
  }
  if (after !== undefined) {
    const [cmp, bound] = q.ascending ? ['>', '>='] : ['<', '<='];
    // The plain bound on stored prunes partitions and key ranges; the tuple breaks ties within one millisecond.
    where.push(
      `stored ${bound} {as:DateTime64(3, 'UTC')}`,
      `(stored, id) ${cmp} ({as:DateTime64(3, 'UTC')}, {aid:UUID})`,
    );
    params.as = after.stored;
    params.aid = after.id;
  }
  return where;
}

interface ReferenceGraph {
  /** (count, latest stored) of statement_refs when read: the cache is stale when it differs. */
  version: string;
  refs: { target: string; id: string }[];
  targetKeys: Map<string, string[]>;
  /** Targets not stored (yet) when last read. */
  missing: string[];
}

/** Statement queries and reads by id, through the narrow tables of migration 010 (see its comments). */
export class StatementReader {
  private references: ReferenceGraph | undefined;

  constructor(private readonly warehouse: Warehouse) {}

  /**
   * One page of a statement query, newest first unless ascending, without voided statements; `authority` limits
   * it to statements stored by that authority (statements/read/mine).
   */
  async query(q: StatementQuery, after: PagePosition | undefined, authority: string | undefined): Promise<Page> {
    const params: Params = { n: q.limit + 1 };
    const time = timeConditions(q, after, params);
    const order = q.ascending ? 'ASC' : 'DESC';
    const filter = keyFilter(q, authority);
    let sql: string;
    if (filter.groups.length === 0) {
      sql = `SELECT stored, id FROM ${TABLES.statements}
        WHERE ${[...time, `id NOT IN (${VOIDED_IDS})`].join(' AND ')}
        ORDER BY stored ${order}, id ${order} LIMIT {n:UInt32}`;
    } else {
      const singleKey = filter.groups.length === 1 && filter.groups[0]?.length === 1;
      const { where, having } = keyConditions(filter, params, !singleKey);
      const conditions = [...where, ...time, `id NOT IN (${VOIDED_IDS})`].join(' AND ');
      sql = singleKey
        ? // One key: a single range of the primary key, read in order and stopped at the limit.
          `SELECT stored, id FROM ${TABLES.statementKeys} WHERE ${conditions}
             ORDER BY stored ${order}, id ${order} LIMIT {n:UInt32}`
        : `SELECT stored, id FROM ${TABLES.statementKeys} WHERE ${conditions}
             GROUP BY stored, id HAVING ${having} ORDER BY stored ${order}, id ${order} LIMIT {n:UInt32}`;
      const refs = await this.matchingReferences(q);
      if (refs.length > 0) {
        params.refs = refs;
        const mine =
          authority === undefined
            ? ''
            : ` AND id IN (SELECT id FROM ${TABLES.statementKeys} WHERE key = {mine:String})`;
        if (authority !== undefined) params.mine = QUERY_KEY.authority + authority;
        sql = `SELECT DISTINCT stored, id FROM (
            (${sql})
            UNION ALL
            (SELECT stored, id FROM ${TABLES.statementRefs}
             WHERE ${['id IN {refs:Array(UUID)}', ...time, `id NOT IN (${VOIDED_IDS})`].join(' AND ')}${mine})
          ) ORDER BY stored ${order}, id ${order} LIMIT {n:UInt32}`;
      }
    }
    // The page is the (stored, id) list: its order and its cursor come from there alone, never from which raws were
    // found, so a cursor moves strictly forward and never repeats an id. Ids are distinct per (stored, id) already;
    // LIMIT 1 BY id also keeps one position per id should `statements` ever hold an id twice.
    const positions = await queryRows<PagePosition>(
      this.warehouse.client,
      `SELECT stored, id FROM (${sql}) ORDER BY stored ${order}, id ${order} LIMIT 1 BY id`,
      params,
    );
    const page = positions.slice(0, q.limit);
    const last = page[page.length - 1];
    const raws = await this.rawsOf(page.map((p) => p.id));
    return {
      statements: page.flatMap((p) => {
        const raw = raws.get(p.id);
        return raw === undefined ? [] : [JSON.parse(raw) as StoredStatement];
      }),
      next: positions.length > q.limit && last ? { stored: last.stored, id: last.id } : undefined,
    };
  }

  /** Raw statements by id through the primary key of statements_by_id (one row per id even if stored twice). */
  async rawsOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await queryRows<{ id: string; raw: string }>(
      this.warehouse.client,
      `SELECT id, any(raw) AS raw FROM ${TABLES.statementsById} WHERE id IN {ids:Array(UUID)} GROUP BY id`,
      { ids },
    );
    return new Map(rows.map((r) => [r.id, r.raw]));
  }

  /**
   * StatementRef statements that meet the query's filters through what they target (Communication 2.1.3,
   * "Filter Conditions for StatementRefs"), recursively: a → b → c matches when c does.
   */
  private async matchingReferences(q: StatementQuery): Promise<string[]> {
    const filter = keyFilter(q, undefined);
    if (filter.groups.length === 0) return [];
    const { refs, targetKeys } = await this.referenceGraph();
    if (refs.length === 0) return [];
    const matched = new Set([...targetKeys].filter(([, keys]) => matchesKeys(filter, keys)).map(([id]) => id));
    const found = new Set<string>();
    for (let grew = true; grew;) {
      grew = false;
      for (const r of refs) {
        if (matched.has(r.target) && !found.has(r.id)) {
          found.add(r.id);
          matched.add(r.id);
          grew = true;
        }
      }
    }
    return [...found];
  }

  /**
   * Every StatementRef statement and the query keys of what each targets, kept in memory between queries: it only
   * changes when a StatementRef statement is written or erased, which the table's (count, latest stored) tells in one
   * cheap query; any process writing (several API processes on one ClickHouse) changes it too.
   */
  private async referenceGraph(): Promise<ReferenceGraph> {
    const client = this.warehouse.client;
    const [state] = await queryRows<{ n: number | string; latest: string }>(
      client,
      `SELECT count() AS n, toString(max(stored)) AS latest FROM ${TABLES.statementRefs}`,
    );
    const version = `${Number(state?.n ?? 0)}|${state?.latest ?? ''}`;
    const cached = this.references;
    if (cached?.version === version) {
      // A StatementRef may be stored before its target: look again for targets not found last time.
      if (cached.missing.length > 0) {
        for (const t of await this.targetKeys(cached.missing)) cached.targetKeys.set(t.id, t.query_keys);
        cached.missing = cached.missing.filter((id) => !cached.targetKeys.has(id));
      }
      return cached;
    }
    const refs =
      Number(state?.n ?? 0) === 0
        ? []
        : await queryRows<{ target: string; id: string }>(client, `SELECT target, id FROM ${TABLES.statementRefs}`);
    const wanted = [...new Set(refs.map((r) => r.target))];
    const targetKeys = new Map((await this.targetKeys(wanted)).map((t) => [t.id, t.query_keys]));
    this.references = { version, refs, targetKeys, missing: wanted.filter((id) => !targetKeys.has(id)) };
    return this.references;
  }

  /** Drops the cached StatementRef graph (after an erasure removed statements it may point to). */
  forgetReferences(): void {
    this.references = undefined;
  }

  /** The query keys of statements by primary key (a JOIN here scanned all of statements_by_id: 83 ms against 15 ms). */
  private targetKeys(ids: string[]): Promise<{ id: string; query_keys: string[] }[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return queryRows<{ id: string; query_keys: string[] }>(
      this.warehouse.client,
      `SELECT id, query_keys FROM ${TABLES.statementsById} WHERE id IN {targets:Array(UUID)}`,
      { targets: ids },
    );
  }

  /** Raw statements by id, in the order of `ids`. */
  async byIds(ids: string[]): Promise<StoredStatement[]> {
    const raws = await this.rawsOf(ids);
    return ids.flatMap((id) => {
      const r = raws.get(id.toLowerCase());
      return r === undefined ? [] : [JSON.parse(r) as StoredStatement];
    });
  }

  /** One statement by id, and whether it is voided. */
  async findById(id: string): Promise<{ raw: string; voided: boolean } | null> {
    const [row] = await queryRows<{ raw: string; voided: number }>(
      this.warehouse.client,
      `SELECT raw, (SELECT count() FROM ${TABLES.statementRefs} WHERE target = {id:UUID} AND voiding = 1) > 0 AS voided
       FROM ${TABLES.statementsById} WHERE id = {id:UUID} LIMIT 1`,
      { id },
    );
    return row ? { raw: row.raw, voided: Boolean(row.voided) } : null;
  }

  /** Whether a stored statement voids `id` (for journaled statements, whose voiding may already be stored). */
  async isVoided(id: string): Promise<boolean> {
    const [row] = await queryRows<{ n: number }>(
      this.warehouse.client,
      `SELECT count() AS n FROM ${TABLES.statementRefs} WHERE target = {id:UUID} AND voiding = 1`,
      { id },
    );
    return Number(row?.n ?? 0) > 0;
  }
}
