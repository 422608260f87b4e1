-- The days each establishment was measured (docs/indicators.md "Penetration" and "Comparing periods"): one row per
-- Paris day × establishment with ENT-wide activity in visit_person, with the establishment's territory. The
-- penetration's measured establishments (activity since the start of the school year) and the comparability of two
-- periods (first measured day, establishments measured in each) read this table instead of visit_person's person
-- rows: a few hundred thousand rows at 10 M statements instead of millions, and no person in it.
--
-- Written by the visit rollups' catch-up (libs/indicators visit-rollup.ts) from the day rows it counts, before
-- moving its deltas in: a row can be there a catch-up before visit_person holds the day (a catch-up killed between
-- the two), never the other way round. A catch-up only adds (a day × establishment keeps its rows in visit_person
-- once counted): duplicates are merged away and every reader counts distinct establishments, so writing a row twice
-- is harmless. The full recomputation and an erasure rewrite the months they rewrite (visit-rollup-full.ts): an
-- establishment-day whose only person is erased is no longer measured. No person in it: no retention TTL (the
-- rollups' person rows expire, the days establishments were measured stay, as visit_cube does).
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
ORDER BY (region, academie, departement, uai, day);

-- The days × establishments visit_person already holds.
INSERT INTO visit_establishment_days
SELECT DISTINCT period, region, academie, departement, uai, sector, rep
FROM visit_person
WHERE grain = 'day' AND ent_service = '*';
