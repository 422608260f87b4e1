import type { EntDevice, EntProfile, EntService, OTHER_PROFILE } from './ent-profile.js';
import { normaliseMbox } from './formats.js';
import { isObject } from './problems.js';
import { statementQueryKeys } from './query-keys.js';
import type { Actor, StoredStatement } from './types.js';
import { VOIDED_VERB } from './types.js';

/**
 * The analytics columns filled at ingest (migrations 001 and 011 of libs/warehouse). `actor_ifi` stays in the row
 * for the LRS's own look-ups (statement queries by agent, erasure); analytics read only `actor_pseudonym`.
 */
export interface Enrichment {
  actor_pseudonym: string;
  uai: string;
  uai_known: number;
  academie: string;
  departement: string;
  region: string;
  sector: string;
  rep: string;
  /** '' only in rows nobody enriched (written before enrichment existed, or straight into the table). */
  ent_profile: EntProfile | typeof OTHER_PROFILE | '';
  ent_service: EntService | '';
  device: EntDevice | '';
  school_level: string;
  class_id: string;
  child_pseudonym: string;
}

export const ENRICHMENT_COLUMNS = [
  'actor_pseudonym',
  'uai',
  'uai_known',
  'academie',
  'departement',
  'region',
  'sector',
  'rep',
  'ent_profile',
  'ent_service',
  'device',
  'school_level',
  'class_id',
  'child_pseudonym',
] as const satisfies readonly (keyof Enrichment)[];

/** Columns of a row nobody enriched: the table's defaults (migrations 001, 011). */
export function emptyEnrichment(): Enrichment {
  return {
    actor_pseudonym: '',
    uai: '',
    uai_known: 0,
    academie: '',
    departement: '',
    region: '',
    sector: '',
    rep: '',
    ent_profile: '',
    ent_service: '',
    device: '',
    school_level: '',
    class_id: '',
    child_pseudonym: '',
  };
}

/**
 * One row of the ClickHouse `statements` table: the raw statement for LRS reads and typed columns for analytics.
 * Column names match migrations/001_statements.sql.
 */
export interface StatementRow extends Enrichment {
  id: string;
  stored: string;
  timestamp: string;
  actor_ifi: string;
  actor_type: string;
  verb_id: string;
  object_id: string;
  object_type: string;
  registration: string | null;
  platform: string;
  result_success: number | null;
  result_completion: number | null;
  result_score_scaled: number | null;
  result_score_raw: number | null;
  result_duration_ms: number | null;
  voiding_target: string | null;
  version: string;
  raw: string;
  /** Every way the statement matches a statement query filter (query-keys.ts); feeds `statement_keys`. */
  query_keys: string[];
}

/** The row's columns in one fixed order, for compact inserts (JSONCompactEachRow sends no key names). */
export const STATEMENT_ROW_COLUMNS = [
  'id',
  'stored',
  'timestamp',
  'actor_ifi',
  'actor_type',
  'verb_id',
  'object_id',
  'object_type',
  'registration',
  'platform',
  'result_success',
  'result_completion',
  'result_score_scaled',
  'result_score_raw',
  'result_duration_ms',
  'voiding_target',
  'version',
  'raw',
  'query_keys',
  ...ENRICHMENT_COLUMNS,
] as const satisfies readonly (keyof StatementRow)[];

export function compactRow(row: StatementRow): unknown[] {
  return STATEMENT_ROW_COLUMNS.map((c) => row[c]);
}

/** "mbox:mailto:a@b.fr", "account:https://ent.example|42", …: the string every filter and join uses. */
export function actorIfi(actor: Actor): string {
  if (actor.mbox !== undefined) return `mbox:${normaliseMbox(actor.mbox)}`;
  if (actor.mbox_sha1sum !== undefined) return `mbox_sha1sum:${actor.mbox_sha1sum.toLowerCase()}`;
  if (actor.openid !== undefined) return `openid:${actor.openid}`;
  if (actor.account !== undefined) return `account:${actor.account.homePage}|${actor.account.name}`;
  return 'anonymous-group';
}

/** ClickHouse DateTime64(3, 'UTC') text form: "2026-01-05 08:30:00.000". */
export function toClickHouseTime(iso: string): string {
  return iso.replace('T', ' ').replace('Z', '');
}

/**
 * The row of a stored statement with its enrichment columns (enrichStatement in enrich.ts), at their defaults when
 * none is given (rows written straight into the table, benchmarks). The LRS always gives it.
 */
export function statementToRow(s: StoredStatement, enrichment: Enrichment = emptyEnrichment()): StatementRow {
  const object = s.object as unknown as Record<string, unknown>;
  const objectType = typeof object.objectType === 'string' ? object.objectType : 'Activity';
  const objectId =
    objectType === 'Agent' || objectType === 'Group'
      ? actorIfi(object)
      : typeof object.id === 'string'
        ? object.id
        : '';
  const score = s.result?.score;
  return {
    id: s.id,
    stored: toClickHouseTime(s.stored),
    timestamp: toClickHouseTime(s.timestamp),
    actor_ifi: actorIfi(s.actor),
    actor_type: s.actor.objectType ?? 'Agent',
    verb_id: s.verb.id,
    object_id: objectId,
    object_type: objectType,
    registration: s.context?.registration?.toLowerCase() ?? null,
    platform: s.context?.platform ?? '',
    result_success: bool(s.result?.success),
    result_completion: bool(s.result?.completion),
    result_score_scaled: score?.scaled ?? null,
    result_score_raw: score?.raw ?? null,
    result_duration_ms: s.result?.duration ? storableMillis(durationToMillis(s.result.duration)) : null,
    voiding_target: s.verb.id === VOIDED_VERB && isObject(s.object) ? String(object.id).toLowerCase() : null,
    version: s.version,
    raw: JSON.stringify(s),
    query_keys: statementQueryKeys(s),
    actor_pseudonym: enrichment.actor_pseudonym,
    uai: enrichment.uai,
    uai_known: enrichment.uai_known,
    academie: enrichment.academie,
    departement: enrichment.departement,
    region: enrichment.region,
    sector: enrichment.sector,
    rep: enrichment.rep,
    ent_profile: enrichment.ent_profile,
    ent_service: enrichment.ent_service,
    device: enrichment.device,
    school_level: enrichment.school_level,
    class_id: enrichment.class_id,
    child_pseudonym: enrichment.child_pseudonym,
  };
}

/** Int64 column: a duration too long to count in milliseconds (P99999999999Y is valid xAPI) is left out. */
function storableMillis(ms: number): number | null {
  return Number.isSafeInteger(ms) ? ms : null;
}

function bool(v: boolean | undefined): number | null {
  return v === undefined ? null : v ? 1 : 0;
}

const UNIT_MS: Record<string, number> = {
  Y: 365 * 86_400_000,
  W: 7 * 86_400_000,
  D: 86_400_000,
  H: 3_600_000,
  S: 1000,
};

/**
 * An ISO 8601 duration in milliseconds, for analytics only (years as 365 days, months as 30): the LRS keeps the
 * original string, which is what statement comparison uses.
 */
export function durationToMillis(duration: string): number {
  const [datePart = '', timePart = ''] = duration.slice(1).split('T');
  return Math.round(sumComponents(datePart, 30 * 86_400_000) + sumComponents(timePart, 60_000));
}

/** Sums "1Y2M3D"-style components; `minuteOrMonth` is what "M" means on this side of the "T". */
function sumComponents(part: string, minuteOrMonth: number): number {
  let total = 0;
  for (const m of part.matchAll(/(\d+(?:[.,]\d+)?)([YMWDHS])/g)) {
    const unit = m[2] ?? '';
    total += Number((m[1] ?? '0').replace(',', '.')) * (unit === 'M' ? minuteOrMonth : (UNIT_MS[unit] ?? 0));
  }
  return total;
}
