-- The days each establishment was measured (docs/indicators.md "Rollups"): one row per
-- Paris day × establishment with ENT-wide activity in visit_person, with the establishment's territory. The
-- penetration's measured establishments (activity since the start of the school year) and the comparability of two
-- periods (first measured day, establishments measured in each) read this table instead of visit_person's person
-- rows: a few hundred thousand rows at 10 M statements instead of millions, and no person in it.
--
-- Written by the visit rollups' catch-up (libs/indicators visit-rollup.ts) from the day rows it counts, before
-- moving its deltas in: after a catch-up killed between the two, a day can be measured one catch-up before its
-- person rows are in. A catch-up only adds: duplicates are merged away (the whole row is the key) and every reader
-- counts distinct establishments, so writing a row twice is harmless. The full recomputation and an erasure rewrite
-- each month they rewrite, swapped in whole from visit_establishment_days_stage (visit-rollup-full.ts): an
-- establishment-day whose only person is erased, or whose statements a repair removed (then `rollups:recompute`),
-- is no longer measured. It expires with visit_person (PERSON_ROLLUP_RETENTION_MONTHS, libs/warehouse retention.ts)
-- although it holds no person: a period's measured establishments and its people come from the same days.
--
-- Deploying: the backfill below copies the days visit_person holds when it runs; a catch-up by a process of the
-- previous version after that adds days to visit_person and not here. Stop the API instances of the previous version
-- before starting the new one (docs/operations.md "Several processes on one database").
CREATE TABLE IF NOT EXISTS visit_establishment_days {on_cluster}
(
    day Date,
    region LowCardinality(String),
    academie LowCardinality(String),
    departement LowCardinality(String),
    uai LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toStartOfMonth(day)
ORDER BY (region, academie, departement, uai, sector, rep, day);

-- A month rewritten whole by the full recomputation or an erasure, swapped in by REPLACE PARTITION.
CREATE TABLE IF NOT EXISTS visit_establishment_days_stage {on_cluster} AS visit_establishment_days;

-- The days × establishments visit_person already holds.
INSERT INTO visit_establishment_days
SELECT DISTINCT period, region, academie, departement, uai, sector, rep
FROM visit_person
WHERE grain = 'day' AND ent_service = '*';
