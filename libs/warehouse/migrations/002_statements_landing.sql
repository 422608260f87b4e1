-- Where small group-commit writes land before they join `statements`.
--
-- Measured here (chdb, 2 cores): an fsynced insert into the 28-column `statements` table costs ~20 ms whatever its
-- size up to a few hundred rows, into this 5-column table ~7 ms. Under many small requests (single-statement
-- POSTs) that fixed cost is the limit, so small writes are acknowledged once fsynced here, and a mover copies each
-- generation into `statements` in one large insert, then drops it. Large writes go straight to `statements`.
-- `row` is the statement's analytics row (libs/xapi compactRow) as a JSON array; `gen` is the mover generation,
-- one partition each so that a moved generation is dropped at once. Statements here are read by id and by
-- voided target (the LRS must see its own acknowledged writes), never by analytics.
CREATE TABLE IF NOT EXISTS statements_landing {on_cluster}
(
    gen UInt64,
    id UUID,
    stored DateTime64(3, 'UTC'),
    voiding_target Nullable(UUID),
    row String CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY gen
ORDER BY (stored, id)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
