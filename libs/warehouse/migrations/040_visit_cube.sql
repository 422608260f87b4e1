-- Person-free visit rollups (issue 6, docs/indicators.md "Rollups"): what the dashboard views read, so that a view
-- reads a few thousand pre-aggregated cells instead of one row per person-day.
--
-- Visits need every statement of a person's day (a visit is a run of activity with no gap over 30 minutes), and a
-- materialized view sees one insert block at a time: the cells below are therefore not fed by materialized views
-- but recomputed, one ISO week (Monday, Paris days) at a time, from activity_actor_daily's exact minute sets by
-- libs/indicators visit-rollup.ts, and swapped in atomically (ALTER TABLE … REPLACE PARTITION from a staging
-- table). `visit_dirty` tells which weeks received statements since they were last recomputed; the API recomputes
-- them a few seconds after an insert, and before answering a view (read-your-writes).

-- Weeks touched by inserts: the Monday of the Paris day of each statement's timestamp, and when.
CREATE TABLE IF NOT EXISTS visit_dirty {on_cluster}
(
    week Date,
    at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY week;

CREATE MATERIALIZED VIEW IF NOT EXISTS visit_dirty_mv {on_cluster} TO visit_dirty AS
SELECT toMonday(toDate(toTimeZone(timestamp, 'Europe/Paris'))) AS week, max(now64(3, 'UTC')) AS at
FROM statements
WHERE actor_pseudonym != ''
GROUP BY week;

-- Weeks recomputed, and the time their recomputation started (minus a margin for inserts in flight).
CREATE TABLE IF NOT EXISTS visit_refreshed {on_cluster}
(
    week Date,
    at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY week;

-- visit_cube: visits, their span, statements and distinct users (uniq states: exact below 65,536 people, so every
-- k-anonymity decision on a small cell is exact; ~1 % relative error above) per cell, at three levels and two
-- grains. A visit is counted per person × Paris day × establishment × profile × device (web analytics count
-- visits per device), on the union of the person's minutes across services (service '*'), and separately per
-- service on that service's minutes (a visit that opens three services is one ENT visit and one visit of each).
-- Within a service kind every measure adds up over cells; users merge their uniq states.
--   level 'dept':        département (and its académie, région) × sector × REP × profile × service ('*' and each)
--                        × device: national, régional, académique and départemental views;
--   level 'uai':         establishment × profile × device, service '*' only: views broken down by establishment,
--                        or restricted to establishments (a head of school);
--   level 'uai_service': establishment × profile × service × device: services of establishments.
--   grain 'day':  period = the Paris day;  grain 'week': period = its Monday, users distinct over the week.
-- A query reads the week rows of the whole weeks of its period and the day rows of the days at its edges.
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
    users AggregateFunction(uniq, String)
)
ENGINE = MergeTree
PARTITION BY toMonday(period)
ORDER BY (level, grain, period, region, academie, departement, uai, sector, rep, ent_profile, ent_service, device);

CREATE TABLE IF NOT EXISTS visit_cube_stage {on_cluster} AS visit_cube;

-- visit_starts: visits by the Paris hour their first minute falls in, per day (weekday and school calendar come
-- from the day) × territory × profile, levels 'dept' (uai = '') and 'uai': the hour × weekday heat map and the
-- time slots (school hours, evenings, weekends, holidays).
CREATE TABLE IF NOT EXISTS visit_starts {on_cluster}
(
    level LowCardinality(String),
    day Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    ent_profile LowCardinality(String),
    hour UInt8,
    visits UInt64,
    users AggregateFunction(uniq, String)
)
ENGINE = MergeTree
PARTITION BY toMonday(day)
ORDER BY (level, day, region, academie, departement, uai, sector, rep, ent_profile, hour);

CREATE TABLE IF NOT EXISTS visit_starts_stage {on_cluster} AS visit_starts;

-- Scratch space of a recomputation: one row per person × day × establishment × profile × device of the week being
-- recomputed, with their ENT visits, per-service visits and visit start hours (visit-rollup.ts).
CREATE TABLE IF NOT EXISTS visit_person_stage {on_cluster}
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
    person String,
    visits UInt32,
    span_minutes UInt32,
    events UInt64,
    start_hours Array(UInt8),
    services Array(LowCardinality(String)),
    service_visits Array(UInt32),
    service_spans Array(UInt32),
    service_events Array(UInt64)
)
ENGINE = Memory;

-- Statements stored before this migration: every week they touch is to be computed.
INSERT INTO visit_dirty
SELECT toMonday(day) AS week, max(now64(3, 'UTC')) AS at
FROM activity_actor_daily
GROUP BY week;
