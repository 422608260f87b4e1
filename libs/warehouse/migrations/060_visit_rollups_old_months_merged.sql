-- Months that no longer receive statements are merged into one part (docs/indicators.md "Rollups", "Performance
-- notes"). Every catch-up moves a part of deltas into each month it touched, and a bulk load's first catch-up moves
-- one per batch of days: measured on 10 M statements, visit_person kept about 5 parts per month an hour later
-- (background merges found nothing worth merging among parts of similar size), and an establishment's view read
-- 30 parts for a school year — 164 ms where the same rows in one part per month took 91 ms (adoption and trend),
-- 106 ms against 29 ms (penetration).
--
-- min_age_to_force_merge_seconds with min_age_to_force_merge_on_partition_only: a month whose parts are all older
-- than an hour is merged into one part; the current month, which receives parts every few seconds, is left to the
-- ordinary merges. A late statement for a past month adds a part to it, which is merged with the rest an hour after
-- the last one: one rewrite of that month per burst of late statements. The stage tables do not need it (emptied by
-- every catch-up); MOVE PARTITION does not require the same settings on both sides.
ALTER TABLE visit_person {on_cluster} MODIFY SETTING min_age_to_force_merge_seconds = 3600, min_age_to_force_merge_on_partition_only = 1;

ALTER TABLE visit_starts {on_cluster} MODIFY SETTING min_age_to_force_merge_seconds = 3600, min_age_to_force_merge_on_partition_only = 1;

ALTER TABLE visit_cube {on_cluster} MODIFY SETTING min_age_to_force_merge_seconds = 3600, min_age_to_force_merge_on_partition_only = 1;

ALTER TABLE visit_establishment_days {on_cluster} MODIFY SETTING min_age_to_force_merge_seconds = 3600, min_age_to_force_merge_on_partition_only = 1;
