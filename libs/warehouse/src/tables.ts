/** Every ClickHouse table name in one place: SQL elsewhere refers to these constants. */
export const TABLES = {
  migrations: '_migrations',
  statements: 'statements',
  /** Statement query keys in (key, stored, id) order, fed by a materialized view (migration 010). */
  statementKeys: 'statement_keys',
  /** Raw statements in id order with small granules, for reads by id (migration 010). */
  statementsById: 'statements_by_id',
  /** Statements whose Object is a StatementRef: voiding and the StatementRef filter rule (migration 010). */
  statementRefs: 'statement_refs',
} as const;
