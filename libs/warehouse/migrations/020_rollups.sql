-- Rollups of the observatory's indicators (issue 6, docs/indicators.md). Views read these, never `statements`.
--
-- activity_actor_daily: one row per Paris calendar day × territory × ENT profile × service × device × platform ×
--   school level × person (pseudonym), with the set of minutes of that day (Paris time, 0..1439) the person was
--   active in that cell and the number of statements. It is the rollup every visit figure comes from:
--   a visit is, per person, a run of activity with no gap over 30 minutes (web analytics' definition), cut at
--   Paris midnight (as Google Analytics cuts sessions at midnight). A materialized view sees one insert block at a
--   time, so a visit spanning two blocks cannot be counted at insert time; the minute set, however, merges
--   exactly (groupUniqArray states), so the visits are counted at query time from the merged set, for whatever
--   cell a view asks (a person's visits to the whole ENT are counted on the union of their minutes across services,
--   never as a sum of per-service visits). Distinct users are uniqExact over pseudonyms of the rows read: exact,
--   because the suppression decision (k-anonymity) must be exact.
--   The day is the Paris day of the statement's `timestamp` (when it happened), not of `stored`: late statements
--   land in the right day. Territory columns are constant per UAI and sit in the sort key so a view filters on
--   them without a join.
--   Voiding statements are not activity and are left out.
CREATE TABLE IF NOT EXISTS activity_actor_daily {on_cluster}
(
    day Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    ent_profile LowCardinality(String),
    ent_service LowCardinality(String),
    device LowCardinality(String),
    platform LowCardinality(String),
    school_level LowCardinality(String),
    actor_pseudonym String,
    minutes AggregateFunction(groupUniqArray, UInt16),
    events SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, region, academie, departement, uai, sector, rep, ent_profile, ent_service, device, platform,
    school_level, actor_pseudonym);

CREATE MATERIALIZED VIEW IF NOT EXISTS activity_actor_daily_mv {on_cluster} TO activity_actor_daily AS
SELECT toDate(toTimeZone(timestamp, 'Europe/Paris')) AS day, region, academie, departement, uai, sector, rep,
    ent_profile, ent_service, device, platform, school_level, actor_pseudonym,
    groupUniqArrayState(toUInt16(toHour(toTimeZone(timestamp, 'Europe/Paris')) * 60
        + toMinute(toTimeZone(timestamp, 'Europe/Paris')))) AS minutes,
    count() AS events
FROM statements
WHERE actor_pseudonym != '' AND verb_id != 'http://adlnet.gov/expapi/verbs/voided'
GROUP BY day, region, academie, departement, uai, sector, rep, ent_profile, ent_service, device, platform,
    school_level, actor_pseudonym;

-- pupil_weekly: one row per ISO week (Monday) × pupil × establishment × school level × platform, for continuity
-- (CM2 last year → 6e this year, pupils on two platforms) over whole school years without reading daily rows.
CREATE TABLE IF NOT EXISTS pupil_weekly {on_cluster}
(
    week Date,
    actor_pseudonym String,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    school_level LowCardinality(String),
    platform LowCardinality(String),
    events SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (week, actor_pseudonym, region, academie, departement, uai, sector, rep, school_level, platform);

CREATE MATERIALIZED VIEW IF NOT EXISTS pupil_weekly_mv {on_cluster} TO pupil_weekly AS
SELECT toMonday(toTimeZone(timestamp, 'Europe/Paris')) AS week, actor_pseudonym, region, academie, departement, uai,
    sector, rep, school_level, platform, count() AS events
FROM statements
WHERE actor_pseudonym != '' AND ent_profile = 'ELEVE' AND verb_id != 'http://adlnet.gov/expapi/verbs/voided'
GROUP BY week, actor_pseudonym, region, academie, departement, uai, sector, rep, school_level, platform;

-- space_daily: contributions to collaborative spaces (verb "contributed" = activitystrea.ms post), per day × space ×
-- establishment × profile, with the contributors as an exact uniq state: spaces spanning several establishments,
-- teacher↔teacher vs pupil↔pupil spaces.
CREATE TABLE IF NOT EXISTS space_daily {on_cluster}
(
    day Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    space_id String,
    ent_profile LowCardinality(String),
    contributors AggregateFunction(uniqExact, String),
    events SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (day, region, academie, departement, uai, sector, rep, space_id, ent_profile);

CREATE MATERIALIZED VIEW IF NOT EXISTS space_daily_mv {on_cluster} TO space_daily AS
SELECT toDate(toTimeZone(timestamp, 'Europe/Paris')) AS day, region, academie, departement, uai, sector, rep,
    object_id AS space_id, ent_profile, uniqExactState(actor_pseudonym) AS contributors, count() AS events
FROM statements
WHERE actor_pseudonym != '' AND verb_id = 'http://activitystrea.ms/schema/1.0/post'
GROUP BY day, region, academie, departement, uai, sector, rep, space_id, ent_profile;

-- Backfill: statements stored before this migration.
INSERT INTO activity_actor_daily
SELECT toDate(toTimeZone(timestamp, 'Europe/Paris')) AS day, region, academie, departement, uai, sector, rep,
    ent_profile, ent_service, device, platform, school_level, actor_pseudonym,
    groupUniqArrayState(toUInt16(toHour(toTimeZone(timestamp, 'Europe/Paris')) * 60
        + toMinute(toTimeZone(timestamp, 'Europe/Paris')))) AS minutes,
    count() AS events
FROM statements
WHERE actor_pseudonym != '' AND verb_id != 'http://adlnet.gov/expapi/verbs/voided'
GROUP BY day, region, academie, departement, uai, sector, rep, ent_profile, ent_service, device, platform,
    school_level, actor_pseudonym;

INSERT INTO pupil_weekly
SELECT toMonday(toTimeZone(timestamp, 'Europe/Paris')) AS week, actor_pseudonym, region, academie, departement, uai,
    sector, rep, school_level, platform, count() AS events
FROM statements
WHERE actor_pseudonym != '' AND ent_profile = 'ELEVE' AND verb_id != 'http://adlnet.gov/expapi/verbs/voided'
GROUP BY week, actor_pseudonym, region, academie, departement, uai, sector, rep, school_level, platform;

INSERT INTO space_daily
SELECT toDate(toTimeZone(timestamp, 'Europe/Paris')) AS day, region, academie, departement, uai, sector, rep,
    object_id AS space_id, ent_profile, uniqExactState(actor_pseudonym) AS contributors, count() AS events
FROM statements
WHERE actor_pseudonym != '' AND verb_id = 'http://activitystrea.ms/schema/1.0/post'
GROUP BY day, region, academie, departement, uai, sector, rep, space_id, ent_profile;
