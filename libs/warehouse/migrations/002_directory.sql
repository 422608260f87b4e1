-- A copy of the school directory (PostgreSQL `establishments`, libs/directory) beside the statements, so analytics
-- can join on UAI without leaving ClickHouse. libs/directory reloads it after every directory import: all rows
-- are inserted again with a newer loaded_at and ReplacingMergeTree keeps the newest row per UAI, so readers never
-- see an empty table mid-reload. Read it with FINAL (or argMax by loaded_at): a few thousand rows, FINAL is cheap.
CREATE TABLE IF NOT EXISTS directory_establishments {on_cluster}
(
    uai String,
    name String,
    type LowCardinality(String),
    sector LowCardinality(String),
    rep LowCardinality(String),
    status LowCardinality(String),
    commune_code String,
    commune String,
    departement LowCardinality(String),
    academie LowCardinality(String),
    region LowCardinality(String),
    latitude Nullable(Float64),
    longitude Nullable(Float64),
    pupils Nullable(UInt32),
    platform LowCardinality(String),
    loaded_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY uai;
