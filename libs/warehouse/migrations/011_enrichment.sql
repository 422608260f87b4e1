-- Enrichment at ingest, second part (issue 5): what the ENT xAPI profile (docs/xapi-profile.md) carries beyond the
-- columns 001 reserved. Filled by the LRS before the insert buffer from the statement and an in-memory directory
-- snapshot; rows written before stay valid with the defaults.
--   uai_known      1 when `uai` is in the directory (territory columns filled), 0 when unknown or absent
--   school_level   level of the pupil concerned (CP…CM2, 6e…3e, 2nde, 1re, Tle), '' when not given
--   class_id       class or group id "<UAI>:<school year>:<name>", '' when not given
--   child_pseudonym for a parent's action, the pseudonym of the child concerned, '' otherwise
ALTER TABLE statements {on_cluster}
    ADD COLUMN IF NOT EXISTS uai_known UInt8 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS school_level LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS class_id String DEFAULT '',
    ADD COLUMN IF NOT EXISTS child_pseudonym String DEFAULT '';
