-- Person-level dirty marks (issue 18, docs/indicators.md "Rollups"): a catch-up recounts only the persons who
-- received statements on a day × establishment, not every person of it. Until now a mark named a day × establishment,
-- and every catch-up recounted that establishment's whole day so far: under a steady flow (an evening peak), each
-- catch-up every 2 s reread the day of every active establishment, a cost that grew through the day instead of
-- following what arrived.
--
-- A mark now also names the person (cityHash64 of the pseudonym, as visit_person and visit_starts key them). A mark
-- with person 0 still means the whole day × establishment: what migration 058's first marking, lrs:check --repair
-- (markDaysDirty) and the marks written before this migration ask for.
ALTER TABLE visit_dirty_day {on_cluster} ADD COLUMN IF NOT EXISTS person UInt64 DEFAULT 0;

ALTER TABLE visit_batch_days {on_cluster} ADD COLUMN IF NOT EXISTS person UInt64 DEFAULT 0;

-- The new view marks persons; it is created before the old one is dropped, so that every insert in between is marked
-- by one or both (a mark of a whole day × establishment only asks for more counting, never for less).
CREATE MATERIALIZED VIEW IF NOT EXISTS visit_dirty_person_mv {on_cluster} TO visit_dirty_day AS
SELECT max(now64(3, 'UTC')) AS at, toDate(toTimeZone(timestamp, 'Europe/Paris')) AS day, uai,
  cityHash64(actor_pseudonym) AS person
FROM statements
WHERE actor_pseudonym != ''
GROUP BY day, uai, person;

DROP VIEW IF EXISTS visit_dirty_day_mv {on_cluster};
