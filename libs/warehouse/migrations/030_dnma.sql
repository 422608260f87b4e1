-- The national DNMA open data (fr-en-dnma-par-uai-{profils,services,profils-appareils,appareils}), imported by
-- `npm run cli -- dnma:import` so the indicators can show the ministry's published figures beside ours (the
-- `source: DNMA` filter). The published files are wide (one column per modality); this table is long: one row per
-- week × UAI × dataset × modality, only for measured cells (an empty or all-zero cell is not stored).
--   week              debutsemaine, the Monday starting the week
--   dataset           profils | services | profils-appareils | appareils
--   profile           ELEVE | PARENT | ENSEIGNANT | PERSONNEL (admin_vie_scol_tech); '' = all users (the
--                     `globales` column of profils, published separately: never the sum of the profiles)
--   service           DNMA service suffix (services dataset), '' elsewhere
--   device            ordinateur | smartphone | tablette | autre (autresappareil / autreappareil), '' elsewhere
--   os, browser       appareils dataset only: the OS and browser columns (windows, chromemobile…), '' elsewhere
--   visits            visites_X (additive)
--   users             utilisateurs_X: distinct users of that UAI in that week (NOT additive over weeks or UAIs)
--   duration_seconds  duree_X converted from HH:MM:SS[:cc]; the DNMA does not document it, we read it (as a
--                     third-party script does) as the mean duration per visit: weight it by visits
--   academie, departement, region: directory codes ('14', '035', '53'), from the directory by UAI, else from the
--                     file's labels; '' when neither is known. *_label and the other context columns as published.
-- Re-importing a file replaces, for each (dataset, week, UAI) it contains, every stored cell (DELETE then INSERT).
CREATE TABLE IF NOT EXISTS dnma_weekly {on_cluster}
(
    week Date,
    uai String,
    dataset LowCardinality(String),
    profile LowCardinality(String),
    service LowCardinality(String),
    device LowCardinality(String),
    os LowCardinality(String),
    browser LowCardinality(String),
    visits UInt64,
    users UInt64,
    duration_seconds Float64,
    academie LowCardinality(String),
    departement LowCardinality(String),
    region LowCardinality(String),
    academie_label LowCardinality(String),
    departement_label LowCardinality(String),
    region_label LowCardinality(String),
    commune String,
    ministere LowCardinality(String),
    circonscription String,
    nature_uai LowCardinality(String),
    secteur LowCardinality(String),
    source_file String,
    imported_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
PARTITION BY toYear(week)
ORDER BY (dataset, week, academie, uai, profile, service, device, os, browser);
