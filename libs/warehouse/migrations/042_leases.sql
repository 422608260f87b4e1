-- Leases (src/lease.ts): shared work that must run in one process at a time among every API instance and CLI
-- command on this database (visit rollup recomputation, migrations' backfills). One row per stamp of a claim (first
-- stamp, renewals, release); a claim is live while its latest stamp's expiry is ahead. Kept a day for diagnosis.
CREATE TABLE IF NOT EXISTS leases {on_cluster}
(
    name LowCardinality(String),
    holder String,
    claim UUID,
    stamped DateTime64(6, 'UTC'),
    expires DateTime64(6, 'UTC')
)
ENGINE = MergeTree
ORDER BY (name, claim, stamped)
TTL toDateTime(stamped) + INTERVAL 1 DAY
SETTINGS fsync_after_insert = 1;
