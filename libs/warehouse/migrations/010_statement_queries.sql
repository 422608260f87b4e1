-- Statement queries (Communication 2.1.3) and look-ups by id, fast at tens of millions of statements.
--
-- `statements` is ordered by (stored, id) for analytics and time ranges, and its raw JSON sits in 8,192-row
-- granules: reading one statement's raw there decompresses a whole granule (~4 MB). So the LRS reads through two
-- narrow tables fed by materialized views on every insert into `statements` (the journal mover, direct inserts and
-- recovery all insert there, so nothing bypasses them):
--
-- statement_keys (key, stored, id): one row per way a statement matches a filter (`query_keys`, built by
--   libs/xapi query-keys.ts: "a:<agent ifi>", "v:<verb>", "o:<activity>", "r:<registration>", related ones…).
--   A filter is one contiguous range of the primary key, already in stored order: a page of 100 statements of
--   one agent is a read of ~100 rows, whatever the table size. verb_id and registration ride along so that a second
--   filter on them is checked in the same read.
-- statements_by_id (id, stored, query_keys, raw): ordered by id with 64-row granules, so a GET by id, and fetching the raw of
--   a page of ids, decompresses a few kB per statement instead of a granule of `statements`.
-- statement_refs (target, id, stored, voiding): the statements whose Object is a StatementRef. Few in practice;
--   the LRS reads them whole to resolve voided statements and the StatementRef filter rule.
ALTER TABLE statements {on_cluster} ADD COLUMN IF NOT EXISTS query_keys Array(String) CODEC(ZSTD(3));

CREATE TABLE IF NOT EXISTS statement_keys {on_cluster}
(
    key String,
    stored DateTime64(3, 'UTC'),
    id UUID,
    verb_id LowCardinality(String),
    registration Nullable(UUID)
)
ENGINE = MergeTree
-- Not partitioned: (key, stored) already bounds every read, and monthly partitions would split one agent's range
-- into a look-up per partition and part.
ORDER BY (key, stored, id)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS statement_keys_mv {on_cluster} TO statement_keys AS
SELECT arrayJoin(query_keys) AS key, stored, id, verb_id, registration FROM statements;

CREATE TABLE IF NOT EXISTS statements_by_id {on_cluster}
(
    id UUID,
    stored DateTime64(3, 'UTC'),
    -- The StatementRef filter rule checks the filters on the few targeted statements by their keys, read here.
    query_keys Array(String) CODEC(ZSTD(3)),
    raw String CODEC(LZ4)
)
ENGINE = MergeTree
ORDER BY id
-- 64-row granules in 16–64 kB LZ4 blocks: reading one statement decompresses ~40 kB (measured at 10M statements:
-- the raw of a 101-statement page in ~22 ms, against ~35 ms with 256-row ZSTD granules; +60 % disk).
SETTINGS index_granularity = 64, min_compress_block_size = 16384, max_compress_block_size = 65536,
    fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS statements_by_id_mv {on_cluster} TO statements_by_id AS
SELECT id, stored, query_keys, raw FROM statements;

CREATE TABLE IF NOT EXISTS statement_refs {on_cluster}
(
    target UUID,
    id UUID,
    stored DateTime64(3, 'UTC'),
    voiding UInt8
)
ENGINE = MergeTree
ORDER BY (target, id)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS statement_refs_mv {on_cluster} TO statement_refs AS
SELECT toUUID(object_id) AS target, id, stored, voiding_target IS NOT NULL AS voiding
FROM statements WHERE object_type = 'StatementRef';

-- Statements stored before this migration: their raw by id and their StatementRefs; their filter keys from the
-- typed columns (actor, verb, Activity object, registration; related agents/activities only for new statements).
INSERT INTO statements_by_id SELECT id, stored, query_keys, raw FROM statements;

INSERT INTO statement_refs
SELECT toUUID(object_id), id, stored, voiding_target IS NOT NULL FROM statements WHERE object_type = 'StatementRef';

INSERT INTO statement_keys
SELECT arrayJoin(arrayFilter(k -> k != '', [
    'a:' || actor_ifi,
    'v:' || verb_id,
    if(object_type = 'Activity', 'o:' || object_id, if(object_type IN ('Agent', 'Group'), 'a:' || object_id, '')),
    if(registration IS NULL, '', 'r:' || toString(registration)),
    if(JSONHas(raw, 'authority', 'account'), 'w:account:' || JSONExtractString(raw, 'authority', 'account', 'homePage')
      || '|' || JSONExtractString(raw, 'authority', 'account', 'name'), '')])) AS key,
  stored, id, verb_id, registration
FROM statements;
