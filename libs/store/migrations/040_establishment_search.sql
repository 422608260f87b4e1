-- Directory search by name: a trigram index on the folded name (lower case, no accents), so that every word of a
-- search (search_name LIKE '%word%') and the typo-tolerant fallback (word similarity, `<%`) are index scans
-- rather than a scan of the whole directory (65,000 establishments for France). pg_trgm is a trusted contrib
-- extension (PostgreSQL ≥ 13): the database owner may create it; PGlite loads it in libs/store/src/database.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS establishments_search_name_trgm ON establishments USING gin (search_name gin_trgm_ops);
