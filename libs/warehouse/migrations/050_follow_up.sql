-- Teachers' follow-up of their pupils (docs/follow-up-api.md): narrow tables fed at ingest by materialized views, so
-- that a class page or a pupil page reads a few thousand rows by primary key instead of scanning `statements`.
--
-- follow_up_pupil_events: every statement of a pupil (ent_profile ELEVE, or a hand-in, mark or positioning whatever
-- its profile, so that one breaking the profile is kept with its rule), keyed by the pupil's pseudonym then time.
-- A class page reads its roster's pseudonyms (computed from the roster in PostgreSQL: names never come here), a
-- pupil page one pseudonym. `kind` is 'activity' (visits and everything else), 'submitted', 'scored' or
-- 'positioned'; `problem` is the first follow-up rule of the profile the statement breaks ('' when none), the same
-- rules in the same order as followUpProblem in libs/xapi/src/follow-up-profile.ts (test/follow-up-profile.e2e.ts
-- checks that both agree). Figures read only rows with problem = ''.
-- score is scaled 0–1 (scaled, else raw between min (default 0) and max); level 0–4 (0 = dispensé); component the
-- socle LSU code for a socle positioning, the competence's IRI for a subject competence.
-- Not partitioned: every read names a few pupils, whose rows are contiguous in the sort order whatever the period;
-- monthly partitions would only multiply the parts each read opens (measured: a class page read 32 parts).
CREATE TABLE IF NOT EXISTS follow_up_pupil_events {on_cluster}
(
    actor_pseudonym String,
    timestamp DateTime64(3, 'UTC'),
    id UUID,
    kind LowCardinality(String),
    problem LowCardinality(String),
    uai LowCardinality(String),
    class_id String,
    school_level LowCardinality(String),
    ent_service LowCardinality(String),
    object_id String,
    object_type LowCardinality(String),
    subject LowCardinality(String),
    title String,
    due Nullable(DateTime64(3, 'UTC')),
    on_time Nullable(UInt8),
    score Nullable(Float64),
    success Nullable(UInt8),
    duration_ms Nullable(Int64),
    level Nullable(Int8),
    component LowCardinality(String),
    cycle UInt8
)
ENGINE = MergeTree
ORDER BY (actor_pseudonym, timestamp)
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

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

-- follow_up_homework: homework set by teachers, per class or group and due date (the class's workload and what
-- each pupil of the roster should have handed in). The teacher's pseudonym is kept, never a name.
CREATE TABLE IF NOT EXISTS follow_up_homework {on_cluster}
(
    class_id String,
    due DateTime64(3, 'UTC'),
    id UUID,
    timestamp DateTime64(3, 'UTC'),
    object_id String,
    actor_pseudonym String,
    uai LowCardinality(String),
    subject LowCardinality(String),
    title String,
    expected_duration String,
    problem LowCardinality(String)
)
ENGINE = MergeTree
ORDER BY (class_id, due)
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS follow_up_homework_mv {on_cluster} TO follow_up_homework AS
SELECT class_id, ifNull(due_at, toDateTime64(0, 3, 'UTC')) AS due, id, timestamp, object_id, actor_pseudonym, uai,
    subject_text AS subject, title_text AS title,
    JSONExtractString(raw, 'context', 'extensions', 'https://ent-observatory.fr/xapi/extensions/expected-duration') AS expected_duration, problem
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
    WHERE verb_id = 'http://activitystrea.ms/schema/1.0/assign')
WHERE kind = 'assigned';

-- Statements stored before this migration.
INSERT INTO follow_up_pupil_events
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

INSERT INTO follow_up_homework
SELECT class_id, ifNull(due_at, toDateTime64(0, 3, 'UTC')) AS due, id, timestamp, object_id, actor_pseudonym, uai,
    subject_text AS subject, title_text AS title,
    JSONExtractString(raw, 'context', 'extensions', 'https://ent-observatory.fr/xapi/extensions/expected-duration') AS expected_duration, problem
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
    WHERE verb_id = 'http://activitystrea.ms/schema/1.0/assign')
WHERE kind = 'assigned';
