export * from './types.js';
export * from './problems.js';
export * from './formats.js';
export { validateStatement, validateStatements } from './validate-statement.js';
export { validateAgent } from './validate-agent.js';
export type { ValidationOptions } from './validate-common.js';
export { isSameStatement, normaliseStatement, stableStringify } from './canonical.js';
export { prepareStatement, type PrepareContext } from './prepare.js';
export {
  ENRICHMENT_COLUMNS,
  STATEMENT_ROW_COLUMNS,
  actorIfi,
  emptyEnrichment,
  compactRow,
  durationToMillis,
  statementToRow,
  toClickHouseTime,
  type Enrichment,
  type StatementRow,
} from './analytics.js';
export { QUERY_KEY, authorityKey, statementQueryKeys } from './query-keys.js';
export * from './ent-profile.js';
export {
  DEVICE_SPELLINGS,
  PROFILE_SPELLINGS,
  PSEUDONYM_CACHE_SIZE,
  PSEUDONYM_HEX_LENGTH,
  SERVICE_ALIASES,
  createPseudonymKey,
  enrichRow,
  enrichStatement,
  enrichedRow,
  normaliseDevice,
  normaliseProfile,
  normaliseUai,
  personInput,
  pseudonymize,
  serviceOf,
  serviceOfType,
  type EnrichmentContext,
  type EstablishmentTerritory,
  type PseudonymKey,
} from './enrich.js';
export { MAX_JSON_DEPTH, unstorableProblems, stringProblem, type StorableOptions } from './storable.js';
export {
  FOLLOW_UP_RULES,
  followUpKind,
  followUpProblem,
  scaledScore,
  type FollowUpKind,
  type FollowUpRule,
} from './follow-up-profile.js';
