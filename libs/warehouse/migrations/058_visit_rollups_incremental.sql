-- Incremental visit rollups (issue 18, docs/indicators.md "Rollups"): a catch-up recounts only the Paris days ×
-- establishments that received statements, and corrects the cells they feed by signed deltas, so that its cost is
-- proportional to what arrived instead of to the months it touched (migration 040 recomputed whole months).
--
-- Why deltas add up (libs/indicators visit-delta.ts): statements are only ever added (erasure aside, which deletes a
-- person's rows directly), so a cell of visit_person (grain × period × establishment × profile × service × device ×
-- person) never disappears once it exists; only its values change (two visits merge into one when a late statement
-- fills the gap between them). Week and month rows are sums of day rows, visit_cube's sums are sums of visit_person
-- rows, and its distinct persons grow by union. So a dirty day × establishment gives, per cell, new day row − old day
-- row; the same delta re-keyed by Monday and by first of month is the week and month delta; the cube's delta is the
-- person deltas grouped by its levels, its user states those of the persons of the delta (a union: a person already
-- counted is not counted twice). visit_starts' cells can vanish (two visits merged: the later start is gone), so its
-- readers count only a person whose net visits in a cell are above 0 (libs/indicators time.ts).
--
-- The tables hold several rows per key until merges sum them: visit_person and visit_starts are SummingMergeTree on
-- their sorting key (signed columns; a row summing to 0 disappears on merge), visit_cube an AggregatingMergeTree.
-- Every reader sums, counts distinct persons, or groups by person first (docs/indicators.md "Rollups").
--
-- The old tables are dropped and rebuilt: they are derived, and every day × establishment of activity_actor_daily
-- is marked for the first catch-up, which counts them in batches of days (visit_complete is emptied, so views say
-- meta.asOf = null until it is done, as after migration 040).
DROP VIEW IF EXISTS visit_dirty_mv {on_cluster};

DROP TABLE IF EXISTS visit_dirty {on_cluster};

DROP TABLE IF EXISTS visit_refreshed {on_cluster};

DROP TABLE IF EXISTS visit_person {on_cluster};

DROP TABLE IF EXISTS visit_person_stage {on_cluster};

DROP TABLE IF EXISTS visit_cube {on_cluster};

DROP TABLE IF EXISTS visit_cube_stage {on_cluster};

DROP TABLE IF EXISTS visit_starts {on_cluster};

DROP TABLE IF EXISTS visit_starts_stage {on_cluster};

TRUNCATE TABLE IF EXISTS visit_complete {on_cluster};

-- Day × establishment marks: one row per insert block and day × establishment it touched (the Paris day of each
-- statement's timestamp), stamped when. A catch-up reads the marks newer than the last complete catch-up
-- (visit_complete): a range of the sort key, proportional to what arrived. Partitions (days of marking) older than
-- the day of the last complete catch-up are dropped by the catch-up.
CREATE TABLE IF NOT EXISTS visit_dirty_day {on_cluster}
(
    at DateTime64(3, 'UTC'),
    day Date,
    uai LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toDate(at)
ORDER BY (at, day, uai)
-- A replayed journal generation (migration 041) is skipped here as in the other targets of `statements`' views.
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_dirty_day_mv {on_cluster} TO visit_dirty_day AS
SELECT max(now64(3, 'UTC')) AS at, toDate(toTimeZone(timestamp, 'Europe/Paris')) AS day, uai
FROM statements
WHERE actor_pseudonym != ''
GROUP BY day, uai;

-- visit_person (migration 040's columns and order), summing signed deltas.
CREATE TABLE IF NOT EXISTS visit_person {on_cluster}
(
    grain LowCardinality(String),
    period Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    ent_profile LowCardinality(String),
    ent_service LowCardinality(String),
    device LowCardinality(String),
    person UInt64,
    visits Int32,
    span_minutes Int32,
    events Int32
)
ENGINE = SummingMergeTree((visits, span_minutes, events))
PARTITION BY toStartOfMonth(period)
ORDER BY (grain, ent_service, uai, period, ent_profile, device, person);

-- A catch-up's deltas, moved partition by partition into visit_person (ALTER TABLE … MOVE PARTITION: a moved
-- partition leaves this table, so a catch-up that died half-way moves only what is left: exactly once).
CREATE TABLE IF NOT EXISTS visit_person_stage {on_cluster} AS visit_person;

-- visit_cube (migration 040's columns and order): sums and uniqCombined(12) states merged.
CREATE TABLE IF NOT EXISTS visit_cube {on_cluster}
(
    level LowCardinality(String),
    grain LowCardinality(String),
    period Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    ent_profile LowCardinality(String),
    ent_service LowCardinality(String),
    device LowCardinality(String),
    visits SimpleAggregateFunction(sum, Int64),
    span_minutes SimpleAggregateFunction(sum, Int64),
    events SimpleAggregateFunction(sum, Int64),
    users AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toStartOfMonth(period)
ORDER BY (level, grain, ent_service, region, academie, departement, uai, period, sector, rep, ent_profile, device)
-- Small granules: a query deserialises the user states of every row of the granules it reads (migration 040).
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS visit_cube_stage {on_cluster} AS visit_cube;

-- visit_starts (migration 040's columns and order), summing signed deltas.
CREATE TABLE IF NOT EXISTS visit_starts {on_cluster}
(
    day Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    ent_profile LowCardinality(String),
    hour UInt8,
    person UInt64,
    visits Int32
)
ENGINE = SummingMergeTree((visits))
PARTITION BY toStartOfMonth(day)
ORDER BY (region, academie, departement, uai, day, sector, rep, ent_profile, hour, person);

CREATE TABLE IF NOT EXISTS visit_starts_stage {on_cluster} AS visit_starts;

-- Scratch space of a catch-up batch: its days × establishments, read once from the marks so that every statement of
-- the batch works on the same set while marks keep arriving (libs/indicators visit-rollup.ts).
CREATE TABLE IF NOT EXISTS visit_batch_days {on_cluster}
(
    day Date,
    uai LowCardinality(String)
)
ENGINE = Memory;

-- One row while a catch-up's deltas are complete in the stage tables and not yet all moved in: a restart finds it
-- and finishes moving them; without it, what the stage tables hold is a computation cut short, thrown away.
CREATE TABLE IF NOT EXISTS visit_stage_ready {on_cluster}
(
    at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY tuple()
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- Statements stored before this migration: every day × establishment they touch is to be counted.
INSERT INTO visit_dirty_day (at, day, uai)
SELECT now64(3, 'UTC') AS at, day, uai
FROM activity_actor_daily
GROUP BY day, uai;
