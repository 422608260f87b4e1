-- follow_up_pupil_events with granules of 256 rows instead of 8,192: a class page reads the rows of ~30 pupils, a
-- few dozen to a few hundred each, scattered over the whole table; with 8,192-row granules each query read about
-- 30 granules (a quarter of a million rows) for a few thousand it needed. Compressed blocks of 16–64 KiB (instead of
-- 64 KiB–1 MiB) for the same reason: each granule read decompressed a whole block of its string columns (object
-- ids, titles), most of it other pupils' rows (bench/results/follow-up-profile-2026-12-06.md). Same columns, same
-- sort key; the view is dropped and created again around the copy because it names its target table by identity,
-- not by name.
-- Migrations run before the API ingests (the server holds the migration lock), so no statement falls between.
-- Killed between any two statements, the migration completes when run again (migrate.ts runs it whole): the copy is
-- a backfill (exactly once), and the steps that cannot run twice are skipped once done — the copy, the drop of the
-- old table when follow_up_pupil_events is no longer the coarse one (already dropped, or already the fine one; with
-- CLICKHOUSE_CLUSTER, the table looked at is its local MergeTree, follow_up_pupil_events_local), the rename when
-- follow_up_pupil_events exists (already renamed).
DROP VIEW IF EXISTS follow_up_pupil_events_mv {on_cluster};

-- skip if: SELECT count() = 0 FROM system.tables WHERE database = currentDatabase() AND name IN ('follow_up_pupil_events', 'follow_up_pupil_events_local') AND engine LIKE '%MergeTree' AND engine_full NOT LIKE '%index_granularity = 256,%'
CREATE TABLE IF NOT EXISTS follow_up_pupil_events_fine {on_cluster} AS follow_up_pupil_events
ENGINE = MergeTree
ORDER BY (actor_pseudonym, timestamp)
SETTINGS index_granularity = 256, min_compress_block_size = 16384, max_compress_block_size = 65536,
    non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

-- skip if: SELECT count() = 0 FROM system.tables WHERE database = currentDatabase() AND name IN ('follow_up_pupil_events', 'follow_up_pupil_events_local') AND engine LIKE '%MergeTree' AND engine_full NOT LIKE '%index_granularity = 256,%'
INSERT INTO follow_up_pupil_events_fine SELECT * FROM follow_up_pupil_events;

-- skip if: SELECT count() = 0 FROM system.tables WHERE database = currentDatabase() AND name IN ('follow_up_pupil_events', 'follow_up_pupil_events_local') AND engine LIKE '%MergeTree' AND engine_full NOT LIKE '%index_granularity = 256,%'
DROP TABLE IF EXISTS follow_up_pupil_events {on_cluster};

-- skip if: SELECT count() > 0 FROM system.tables WHERE database = currentDatabase() AND name = 'follow_up_pupil_events'
RENAME TABLE follow_up_pupil_events_fine TO follow_up_pupil_events {on_cluster};

-- The same view as 050_follow_up.sql.
CREATE MATERIALIZED VIEW IF NOT EXISTS follow_up_pupil_events_mv {on_cluster} TO follow_up_pupil_events AS
SELECT actor_pseudonym, timestamp, id, kind, problem, uai, class_id, school_level, ent_service, object_id,
    type_iri AS object_type, subject_text AS subject, title_text AS title, due_at AS due, on_time, score,
    if(kind = 'scored', result_success, NULL) AS success, result_duration_ms AS duration_ms,
    if(kind = 'positioned' AND problem = '', toNullable(toInt8(level_value)), NULL) AS level,
    if(kind = 'positioned', component, '') AS component, toUInt8(cycle_value) AS cycle
FROM (SELECT *,
    JSONExtractString(raw, 'object', 'definition', 'type') AS type_iri,
    multiIf(
        verb_id = 'http://activitystrea.ms/schema/1.0/assign' AND type_iri = 'https://ent-observatory.fr/xapi/activities/homework', 'assigned',
        verb_id = 'http://activitystrea.ms/schema/1.0/submit' AND type_iri = 'https://ent-observatory.fr/xapi/activities/homework', 'submitted',
        verb_id = 'http://adlnet.gov/expapi/verbs/scored'
            AND type_iri IN ('https://ent-observatory.fr/xapi/activities/homework', 'http://adlnet.gov/expapi/activities/assessment'), 'scored',
        verb_id = 'https://ent-observatory.fr/xapi/verbs/evaluated'
            AND type_iri IN ('https://ent-observatory.fr/xapi/activities/competence', 'https://ent-observatory.fr/xapi/activities/socle-component'), 'positioned',
        'activity') AS kind,
    JSONExtractString(raw, 'context', 'extensions', 'https://ent-observatory.fr/xapi/extensions/due') AS due_text,
    if(match(due_text, '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}'),
        parseDateTime64BestEffortOrNull(due_text, 3, 'UTC'), NULL) AS due_at,
    if(JSONType(raw, 'result', 'extensions', 'https://ent-observatory.fr/xapi/extensions/on-time') = 'Bool',
        toNullable(toUInt8(JSONExtractBool(raw, 'result', 'extensions', 'https://ent-observatory.fr/xapi/extensions/on-time'))), NULL) AS on_time,
    JSONExtract(raw, 'result', 'score', 'min', 'Nullable(Float64)') AS score_min,
    JSONExtract(raw, 'result', 'score', 'max', 'Nullable(Float64)') AS score_max,
    multiIf(result_score_scaled IS NOT NULL, result_score_scaled,
        result_score_raw IS NOT NULL AND score_max IS NOT NULL AND score_max > ifNull(score_min, 0),
        (result_score_raw - ifNull(score_min, 0)) / (score_max - ifNull(score_min, 0)), NULL) AS score,
    if(JSONType(raw, 'result', 'extensions', 'https://ent-observatory.fr/xapi/extensions/competence-level') IN ('Int64', 'UInt64', 'Double'),
        JSONExtract(raw, 'result', 'extensions', 'https://ent-observatory.fr/xapi/extensions/competence-level', 'Nullable(Float64)'), NULL) AS level_value,
    if(JSONType(raw, 'context', 'extensions', 'https://ent-observatory.fr/xapi/extensions/cycle') IN ('Int64', 'UInt64', 'Double'),
        JSONExtract(raw, 'context', 'extensions', 'https://ent-observatory.fr/xapi/extensions/cycle', 'Float64'), 0) AS cycle_value,
    if(type_iri = 'https://ent-observatory.fr/xapi/activities/socle-component',
        if(startsWith(object_id, 'https://ent-observatory.fr/xapi/socle/'), substring(object_id, 39), ''), object_id) AS component,
    multiIf(
        kind = 'assigned' AND class_id = '', 'homework-without-class',
        kind IN ('assigned', 'submitted') AND due_at IS NULL, 'homework-without-due',
        kind = 'submitted' AND on_time IS NULL, 'submitted-without-on-time',
        kind IN ('submitted', 'scored', 'positioned') AND ent_profile != 'ELEVE', 'not-a-pupil',
        kind = 'scored' AND score IS NULL, 'score-missing',
        kind = 'scored' AND (score < 0 OR score > 1), 'score-out-of-range',
        kind = 'positioned' AND (level_value IS NULL OR level_value != floor(level_value) OR level_value < 0
            OR level_value > 4), 'level-invalid',
        kind = 'positioned' AND type_iri = 'https://ent-observatory.fr/xapi/activities/socle-component'
            AND component NOT IN ('CPD_FRA', 'CPD_ETR', 'CPD_SCI', 'CPD_ART', 'MET_APP', 'FRM_CIT', 'SYS_NAT', 'REP_MND'),
            'socle-component-unknown',
        kind = 'positioned' AND type_iri = 'https://ent-observatory.fr/xapi/activities/socle-component' AND cycle_value NOT IN (2, 3, 4),
            'socle-without-cycle',
        '') AS problem,
    JSONExtractString(raw, 'context', 'extensions', 'https://ent-observatory.fr/xapi/extensions/subject') AS subject_text,
    JSONExtractString(raw, 'object', 'definition', 'name', 1) AS title_text
    FROM statements
    WHERE actor_pseudonym != '' AND verb_id != 'http://adlnet.gov/expapi/verbs/voided')
WHERE kind != 'assigned' AND (ent_profile = 'ELEVE' OR kind != 'activity');
