export * from './types.js';
export * from './problems.js';
export * from './formats.js';
export { validateStatement, validateStatements } from './validate-statement.js';
export { validateAgent } from './validate-agent.js';
export type { ValidationOptions } from './validate-common.js';
export { isSameStatement, normaliseStatement, stableStringify } from './canonical.js';
export { prepareStatement, type PrepareContext } from './prepare.js';
export {
  STATEMENT_ROW_COLUMNS,
  actorIfi,
  compactRow,
  durationToMillis,
  statementToRow,
  toClickHouseTime,
  type StatementRow,
} from './analytics.js';
export { QUERY_KEY, authorityKey, statementQueryKeys } from './query-keys.js';
export * from './ent-profile.js';
