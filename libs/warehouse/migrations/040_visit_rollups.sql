-- Visit rollups (issue 6, docs/indicators.md "Rollups"): what the dashboard views read. activity_actor_daily keeps
-- each person-day's minute sets, from which visits are counted; counting them at query time over a school year
-- costs too much, so visits are counted once, here, per person-day and per person-week.
--
-- A visit needs every statement of a person's day (a run of activity with no gap over 30 minutes), and a
-- materialized view sees one insert block at a time: these tables are therefore not fed by materialized views but
-- recomputed, one calendar month at a time, from activity_actor_daily by libs/indicators visit-rollup.ts, and
-- swapped in atomically (ALTER TABLE … REPLACE PARTITION from a staging table). `visit_dirty` tells which months
-- received statements since they were last recomputed; the API recomputes them within seconds of an insert, one
-- process at a time (a lease), and a view waits for that a bounded time (docs/indicators.md "Rollups").
--
-- Superseded by migration 058 (058_visit_rollups_incremental.sql): the tables below are rebuilt there with engines
-- that sum signed deltas, visit_dirty and visit_refreshed are replaced by day × establishment marks, and a catch-up
-- recounts only the days × establishments that received statements. The month recomputation described here remains
-- as the reference in tests and benchmarks (libs/indicators visit-rollup-full.ts). This file is kept as applied.

-- Months touched by inserts: the month of the Paris day of each statement's timestamp, and the month of that day's
-- Monday (its week's row lives there), and when.
CREATE TABLE IF NOT EXISTS visit_dirty {on_cluster}
(
    month Date,
    at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY month;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_dirty_mv {on_cluster} TO visit_dirty AS
SELECT arrayJoin(arrayDistinct([toStartOfMonth(d), toStartOfMonth(toMonday(d))])) AS month, max(now64(3, 'UTC')) AS at
FROM (SELECT toDate(toTimeZone(timestamp, 'Europe/Paris')) AS d FROM statements WHERE actor_pseudonym != '')
GROUP BY month;

-- Months recomputed, up to which dirty mark.
CREATE TABLE IF NOT EXISTS visit_refreshed {on_cluster}
(
    month Date,
    at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY month;

-- visit_person: a person's visits, their span (minutes) and statements, per grain × period × establishment ×
-- profile × service × device. A visit is counted per person × Paris day × establishment × profile × device (web
-- analytics count visits per device) on the union of the person's minutes across services (service '*'), and per
-- service on that service's own minutes (a visit that opens three services is one ENT visit and one visit of each).
-- grain 'day': period = the Paris day; grain 'week': period = its Monday, the week's days summed; grain 'month':
-- period = its first day, the month's days summed. Visits add up over any cells of one service kind; users are
-- distinct persons of the rows read (a 64-bit hash of the pseudonym). A query reads the month rows of the whole
-- months of its period, the week rows of the whole weeks left, and the day rows of the days left.
-- Sorted by grain and service kind (every query names both), then establishment: the views that read this table are
-- about establishments (one, a head of school's few, or all of them side by side), and one establishment's rows of
-- a grain are a contiguous range (months are partitions, so a period reads only its months). Views of whole
-- territories read visit_cube.
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
    visits UInt32,
    span_minutes UInt32,
    events UInt32
)
ENGINE = MergeTree
PARTITION BY toStartOfMonth(period)
ORDER BY (grain, ent_service, uai, period, ent_profile, device, person);

CREATE TABLE IF NOT EXISTS visit_person_stage {on_cluster} AS visit_person;

-- visit_cube: visit_person without the person, for the views that do not need one person's row: per level × grain
-- × period × territory × profile × service × device, visits, spans and statements summed, distinct persons as a
-- uniqCombined(12) state. Its size is bounded by those dimensions, not by the number of people, so a national school
-- year reads a few thousand cells. uniqCombined(12) is exact up to 128 distinct persons per state (64-bit hashes kept
-- as such) — every k-anonymity decision concerns far smaller cells — and a HyperLogLog of 4,096 registers above
-- (about 1.6 % relative error; merging it costs the same for ten thousand people as for ten).
--   level 'dept':   département (with its académie and région) × profile × service × device; uai, sector and REP
--                   '': national, régional, académique and départemental views;
--   level 'dept_total':   département, ENT-wide (service '*'), every profile and device ('*'): totals and trends;
--   level 'dept_service': département × service, every profile and device: services and their trends;
--   level 'sector': département × sector × REP × profile, ENT-wide visits (service '*') on every device (device
--                   '*'): views split or filtered by sector or REP;
-- Views by establishment read visit_person (an establishment's cells are small: counting its persons' rows costs
-- less than merging HyperLogLog states), as do combinations no level keeps (a sector's services or devices).
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
    visits UInt64,
    span_minutes UInt64,
    events UInt64,
    users AggregateFunction(uniqCombined(12), UInt64)
)
ENGINE = MergeTree
PARTITION BY toStartOfMonth(period)
ORDER BY (level, grain, ent_service, region, academie, departement, uai, period, sector, rep, ent_profile, device)
-- Small granules: a query deserialises the user states of every row of the granules it reads, and a state weighs up
-- to 2.5 kB, so reading 8,192 rows to keep 300 cost more than the merge itself (measured: 30 ms → a few ms).
SETTINGS index_granularity = 256;

CREATE TABLE IF NOT EXISTS visit_cube_stage {on_cluster} AS visit_cube;

-- visit_starts: a person's visits by the Paris hour their first minute falls in, per day (weekday and school
-- calendar come from the day) × establishment × profile: the hour × weekday heat map and the time slots (school
-- hours, evenings, weekends, holidays).
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
    visits UInt32
)
ENGINE = MergeTree
PARTITION BY toStartOfMonth(day)
ORDER BY (region, academie, departement, uai, day, sector, rep, ent_profile, hour, person);

CREATE TABLE IF NOT EXISTS visit_starts_stage {on_cluster} AS visit_starts;

-- Scratch space of a recomputation: one row per person × day × establishment × profile × device of the days being
-- recomputed, with their ENT visits, per-service visits and visit start hours (visit-rollup.ts).
CREATE TABLE IF NOT EXISTS visit_day_stage {on_cluster}
(
    day Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    ent_profile LowCardinality(String),
    device LowCardinality(String),
    person UInt64,
    visits UInt32,
    span_minutes UInt32,
    events UInt32,
    start_hours Array(UInt8),
    services Array(LowCardinality(String)),
    service_visits Array(UInt32),
    service_spans Array(UInt32),
    service_events Array(UInt32)
)
ENGINE = Memory;

-- Statements stored before this migration: every month they touch is to be computed.
INSERT INTO visit_dirty
SELECT arrayJoin(arrayDistinct([toStartOfMonth(day), toStartOfMonth(toMonday(day))])) AS month, max(now64(3, 'UTC')) AS at
FROM activity_actor_daily
GROUP BY month;
