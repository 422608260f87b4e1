-- Exactly-once ingest after a crash (docs/operations.md "After a crash").
--
-- Every insert into `statements` is a journal generation inserted with the generation's name as its
-- insert_deduplication_token (insertLinesOnce in src/insert.ts). ClickHouse keeps the block ids of the last
-- `non_replicated_deduplication_window` inserts of a table; a materialized view's block takes its id from its
-- source block, so a replay of the same generation after a crash is skipped by each table that already holds it and
-- written by each that does not: `statements` and every table its views feed end with each statement once.
-- The window must be set on the view targets too (without it a target double counts on replay). 10,000 inserts is
-- far more than can happen between a crash and the replay at the next start, which runs before anything else.
--
-- The rollups are fsynced like `statements`: a journal file is deleted once its insert returned, so every table the
-- insert wrote must be on disk by then, or a power cut could lose rollup rows whose source rows survive.
ALTER TABLE statements {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE statement_keys {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE statements_by_id {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE statement_refs {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE activity_actor_daily {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000,
    fsync_after_insert = 1, fsync_part_directory = 1;

ALTER TABLE pupil_weekly {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000,
    fsync_after_insert = 1, fsync_part_directory = 1;

ALTER TABLE space_daily {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000,
    fsync_after_insert = 1, fsync_part_directory = 1;

ALTER TABLE visit_dirty {on_cluster} MODIFY SETTING non_replicated_deduplication_window = 10000,
    fsync_after_insert = 1, fsync_part_directory = 1;
