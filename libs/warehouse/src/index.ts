export { createWarehouse, type Warehouse, type WarehouseConfig } from './client.js';
export { command, queryRows, checkParams, type QueryParams } from './query.js';
export {
  migrate,
  movePartitions,
  loadMigrations,
  onCluster,
  storedTable,
  nodeLocal,
  MIGRATIONS_DIR,
  MIGRATE_LEASE,
  type Migration,
  type MigrateOptions,
} from './migrate.js';
export { TABLES } from './tables.js';
export {
  GroupCommitBuffer,
  DEFAULT_GROUP_COMMIT,
  type GroupCommitOptions,
  type GroupCommitStats,
  type GroupWriter,
} from './group-commit.js';
export { insertLinesOnce, isDataError } from './insert.js';
export { committedBefore } from './committed.js';
export { withLease, LeaseHeld, announce, presentHolders, type Announcement, type LeaseOptions } from './lease.js';
export {
  applyRetention,
  enforceRetention,
  retainedFrom,
  ttlExpression,
  RETAINED_TABLES,
  PERSON_COLUMNS,
  type RetentionSettings,
  type RetentionScope,
  type RetentionChange,
} from './retention.js';
export {
  clusterMigrations,
  clusterStatements,
  shardedTables,
  replicatedEngine,
  localTable,
  GLOBAL_TABLES,
  SHARDING_KEY,
} from './cluster.js';
