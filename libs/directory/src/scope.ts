import type { DirectoryScope } from './model.js';

/**
 * SQL conditions restricting establishments (table alias `e`) to a scope, appended to `params`. Always returns
 * at least 'TRUE' so callers can write `WHERE ${scopeSql(...)}`. An empty `uais` list means nothing is visible.
 */
export function scopeSql(scope: DirectoryScope | undefined, params: unknown[], alias = 'e'): string {
  const conditions = ['TRUE'];
  if (scope?.academie !== undefined) conditions.push(`${alias}.academie_code = $${params.push(scope.academie)}`);
  if (scope?.departement !== undefined)
    conditions.push(`${alias}.departement_code = $${params.push(scope.departement)}`);
  if (scope?.uais !== undefined) conditions.push(`${alias}.uai = ANY($${params.push(scope.uais)}::text[])`);
  return conditions.join(' AND ');
}

/** LIKE pattern matching `text` anywhere, with LIKE's own wildcards in it taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Latest TOTAL enrolment per UAI ('2024-2025' school years sort as text in year order). */
export const LATEST_TOTAL_SQL = `SELECT DISTINCT ON (uai) uai, pupils, school_year FROM establishment_enrolments
  WHERE level = 'TOTAL' ORDER BY uai, school_year DESC`;

/**
 * An establishment's pupils: its latest TOTAL enrolment (a dated open-data count, the one its page charts), else
 * the annuaire's Nombre_d_eleves (undated, and older where both exist: 143 for the rentrée 2021 beside 151 for
 * 2022). Over `establishments e` and the latest total `t`.
 */
export const PUPILS_SQL = 'COALESCE(t.pupils, e.pupils)';
