-- The school directory: territories, establishments (fr-en-annuaire-education), enrolments per level and year,
-- the public collèges' school map and the link from each primary school to its sector collège, ENT platforms,
-- and classes/groups with their (pseudonymous) members. Filled by libs/directory's importers.
--
-- Territory codes are the annuaire's: département on 3 characters ('035'), académie on 2 ('14'), région
-- académique = INSEE région code ('53'). Establishments keep codes, not foreign keys to the territory tables, so
-- files can be imported in any order; the territory tree joins on the codes.
CREATE TABLE IF NOT EXISTS regions (
    code text PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE IF NOT EXISTS academies (
    code text PRIMARY KEY,
    name text NOT NULL,
    region_code text NOT NULL DEFAULT '',
    holiday_zone text NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS departements (
    code text PRIMARY KEY,
    insee_code text NOT NULL DEFAULT '',
    name text NOT NULL,
    academie_code text NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS communes (
    code text PRIMARY KEY,
    name text NOT NULL,
    departement_code text NOT NULL DEFAULT ''
);

-- type: ecole_maternelle | ecole_elementaire | ecole_primaire | college | lycee | lp | erea | other (see
-- libs/directory/src/establishment-type.ts); raw_type keeps the annuaire's Type_etablissement and nature.
-- search_name: lower-case name without accents, so searches are accent-insensitive without an extension.
CREATE TABLE IF NOT EXISTS establishments (
    uai text PRIMARY KEY,
    name text NOT NULL,
    search_name text NOT NULL,
    type text NOT NULL,
    raw_type text NOT NULL DEFAULT '',
    nature_code text NOT NULL DEFAULT '',
    nature_label text NOT NULL DEFAULT '',
    sector text NOT NULL DEFAULT 'unknown',
    rep text NOT NULL DEFAULT 'none',
    address text NOT NULL DEFAULT '',
    postal_code text NOT NULL DEFAULT '',
    commune_code text NOT NULL DEFAULT '',
    commune_name text NOT NULL DEFAULT '',
    departement_code text NOT NULL DEFAULT '',
    academie_code text NOT NULL DEFAULT '',
    region_code text NOT NULL DEFAULT '',
    latitude double precision,
    longitude double precision,
    circonscription text NOT NULL DEFAULT '',
    bassin_code text NOT NULL DEFAULT '',
    bassin_name text NOT NULL DEFAULT '',
    pupils integer,
    status text NOT NULL DEFAULT 'open',
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT establishments_type_check CHECK (type IN ('ecole_maternelle', 'ecole_elementaire', 'ecole_primaire', 'college', 'lycee', 'lp', 'erea', 'other')),
    CONSTRAINT establishments_sector_check CHECK (sector IN ('public', 'private', 'unknown')),
    CONSTRAINT establishments_rep_check CHECK (rep IN ('REP', 'REP+', 'none')),
    CONSTRAINT establishments_status_check CHECK (status IN ('open', 'closing', 'closed'))
);
CREATE INDEX IF NOT EXISTS establishments_departement_idx ON establishments (departement_code, type);
CREATE INDEX IF NOT EXISTS establishments_academie_idx ON establishments (academie_code);
CREATE INDEX IF NOT EXISTS establishments_commune_idx ON establishments (commune_code);

-- Pupils per establishment, school year ('2024-2025') and level. Levels are disjoint (CP counts pupils outside
-- ULIS, ULIS and SEGPA are their own levels) except TOTAL, the establishment's total. No foreign key to
-- establishments: the enrolment files list establishments since closed, which the annuaire no longer has.
CREATE TABLE IF NOT EXISTS establishment_enrolments (
    uai text NOT NULL,
    school_year text NOT NULL,
    level text NOT NULL,
    pupils integer NOT NULL,
    PRIMARY KEY (uai, school_year, level)
);

-- School map of the public collèges (fr-en-carte-scolaire-colleges-publics): a commune (single_sector) or a street
-- range of a commune is served by a collège. Absent parts of the key are '' or 0 so the key is a primary key.
-- parity: '' (both sides, commune level), 'PI' both, 'P' even numbers, 'I' odd numbers.
CREATE TABLE IF NOT EXISTS school_map (
    commune_code text NOT NULL,
    locality text NOT NULL DEFAULT '',
    street text NOT NULL DEFAULT '',
    number_from integer NOT NULL DEFAULT 0,
    suffix_from text NOT NULL DEFAULT '',
    number_to integer NOT NULL DEFAULT 0,
    suffix_to text NOT NULL DEFAULT '',
    parity text NOT NULL DEFAULT '',
    college_uai text NOT NULL,
    single_sector boolean NOT NULL,
    departement_code text NOT NULL DEFAULT '',
    PRIMARY KEY (commune_code, locality, street, number_from, suffix_from, number_to, suffix_to, parity, college_uai)
);
CREATE INDEX IF NOT EXISTS school_map_college_idx ON school_map (college_uai);

-- Derived from school_map and establishments after every import (libs/directory/src/sector.ts documents the
-- rule); method: commune | street | commune-majority. A shared sector gives a school several collèges.
CREATE TABLE IF NOT EXISTS sector_colleges (
    school_uai text NOT NULL,
    college_uai text NOT NULL,
    method text NOT NULL,
    PRIMARY KEY (school_uai, college_uai)
);
CREATE INDEX IF NOT EXISTS sector_colleges_college_idx ON sector_colleges (college_uai);

CREATE TABLE IF NOT EXISTS ent_platforms (
    id text PRIMARY KEY,
    name text NOT NULL,
    homepage text NOT NULL DEFAULT ''
);

-- Which ENT serves which establishments: scope_kind uai | departement | academie; the most specific wins.
CREATE TABLE IF NOT EXISTS ent_platform_assignments (
    scope_kind text NOT NULL CHECK (scope_kind IN ('uai', 'departement', 'academie')),
    scope_code text NOT NULL,
    platform_id text NOT NULL REFERENCES ent_platforms (id) ON DELETE CASCADE,
    PRIMARY KEY (scope_kind, scope_code)
);

CREATE OR REPLACE VIEW establishment_platforms AS
SELECT e.uai, COALESCE(u.platform_id, d.platform_id, a.platform_id) AS platform_id
FROM establishments e
LEFT JOIN ent_platform_assignments u ON u.scope_kind = 'uai' AND u.scope_code = e.uai
LEFT JOIN ent_platform_assignments d ON d.scope_kind = 'departement' AND d.scope_code = e.departement_code
LEFT JOIN ent_platform_assignments a ON a.scope_kind = 'academie' AND a.scope_code = e.academie_code
WHERE COALESCE(u.platform_id, d.platform_id, a.platform_id) IS NOT NULL;

-- Classes and groups of an establishment for a school year; id = '<uai>:<school_year>:<name>'.
CREATE TABLE IF NOT EXISTS school_classes (
    id text PRIMARY KEY,
    uai text NOT NULL,
    name text NOT NULL,
    level text NOT NULL DEFAULT '',
    school_year text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('class', 'group')),
    UNIQUE (uai, school_year, name)
);
CREATE INDEX IF NOT EXISTS school_classes_uai_idx ON school_classes (uai, school_year);

-- member_id is a pseudonymous identifier (never a name); role: pupil | teacher.
CREATE TABLE IF NOT EXISTS class_members (
    class_id text NOT NULL REFERENCES school_classes (id) ON DELETE CASCADE,
    member_id text NOT NULL,
    role text NOT NULL CHECK (role IN ('pupil', 'teacher')),
    PRIMARY KEY (class_id, member_id)
);
CREATE INDEX IF NOT EXISTS class_members_member_idx ON class_members (member_id);
