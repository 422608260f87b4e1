-- When each row reached ClickHouse (server clock): the boundary of migration cut-offs (src/migrate.ts). A migration
-- that adds a materialized view on `statements` and backfills it writes `WHERE inserted >= {cutoff}` in the view and
-- `WHERE inserted < {cutoff}` in the backfill, so that a row inserted while it runs is counted once.
-- Rows already stored are materialized with this migration's time (earlier than any later cut-off); without that,
-- parts written before the column existed would compute its default at every read ("now").
ALTER TABLE statements {on_cluster}
    ADD COLUMN IF NOT EXISTS inserted DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC') CODEC(DoubleDelta, ZSTD(1));

ALTER TABLE statements {on_cluster} MATERIALIZE COLUMN inserted SETTINGS mutations_sync = 2;
