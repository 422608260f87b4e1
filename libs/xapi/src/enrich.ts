import { type KeyObject, createHmac, createSecretKey } from 'node:crypto';
import { type Enrichment, type StatementRow, actorIfi, statementToRow } from './analytics.js';
import {
  DNMA_SERVICES,
  type DnmaService,
  ENT_CONTEXT_EXTENSIONS,
  type EntDevice,
  type EntProfile,
  type EntService,
  OTHER_PROFILE,
  OTHER_SERVICE,
  SERVICE_ACTIVITY_TYPE_PREFIX,
  serviceActivityType,
} from './ent-profile.js';
import { isObject } from './problems.js';
import type { Actor, StoredStatement } from './types.js';

/** What enrichment needs to know about an establishment (libs/directory's EstablishmentFacts has these fields). */
export interface EstablishmentTerritory {
  academie: string;
  departement: string;
  region: string;
  sector: string;
  rep: string;
}

/** The directory snapshot (UAI in upper case → its territory) and the pseudonymisation key. */
export interface EnrichmentContext {
  snapshot: ReadonlyMap<string, EstablishmentTerritory>;
  key: PseudonymKey;
}

/**
 * The pseudonymisation key, made once (createPseudonymKey), with the pseudonyms it computed lately: one HMAC costs
 * ~3 µs here, more than the rest of enrichment, and the same people send statement after statement.
 */
export interface PseudonymKey {
  readonly secret: KeyObject;
  readonly cache: Map<string, string>;
  readonly cacheSize: number;
}

/**
 * Pseudonyms kept in memory per key: ~100 bytes each, so ~10 MB at most; about the daily active users of a large
 * ENT platform. When full the cache is emptied (simpler than LRU, and a refill costs one HMAC per person).
 */
export const PSEUDONYM_CACHE_SIZE = 100_000;

/** Pseudonyms are this many hex characters (128 bits of the HMAC: collisions out of reach for any population). */
export const PSEUDONYM_HEX_LENGTH = 32;

export function createPseudonymKey(secret: string | Buffer, cacheSize = PSEUDONYM_CACHE_SIZE): PseudonymKey {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  return { secret: createSecretKey(bytes), cache: new Map(), cacheSize };
}

/** HMAC-SHA256 of `input` under the key, first 32 hex characters. */
export function pseudonymize(key: PseudonymKey, input: string): string {
  const known = key.cache.get(input);
  if (known !== undefined) return known;
  const pseudonym = createHmac('sha256', key.secret).update(input).digest('hex').slice(0, PSEUDONYM_HEX_LENGTH);
  if (key.cache.size >= key.cacheSize) key.cache.clear();
  key.cache.set(input, pseudonym);
  return pseudonym;
}

/**
 * What a person's pseudonym is computed from: the profile's `person` extension when the platform gives one (one
 * person across platforms and school years), the agent's identifier otherwise. The prefix keeps the two namespaces
 * apart.
 */
export function personInput(person: unknown, agent: Actor | undefined): string {
  if ((typeof person === 'string' && person.trim() !== '') || typeof person === 'number') {
    return `person:${String(person).trim()}`;
  }
  if (agent === undefined) return '';
  const ifi = actorIfi(agent);
  return ifi === 'anonymous-group' ? '' : ifi;
}

/** Fills the enrichment columns of a statement's row in place (and returns it). */
export function enrichRow<R extends Partial<Enrichment>>(
  row: R,
  statement: StoredStatement,
  ctx: EnrichmentContext,
): R & Enrichment {
  return Object.assign(row, enrichStatement(statement, ctx));
}

/**
 * A stored statement's `statements` row with its enrichment columns: how every row is made (requests, preparation
 * threads, journal recovery, the bulk loader), so nothing reaches analytics unenriched or enriched differently.
 */
export function enrichedRow(statement: StoredStatement, ctx: EnrichmentContext): StatementRow {
  return statementToRow(statement, enrichStatement(statement, ctx));
}

/** The enrichment columns of one statement: pure, no I/O, a few microseconds (bench/enrich.mjs). */
export function enrichStatement(statement: StoredStatement, ctx: EnrichmentContext): Enrichment {
  const ext = statement.context?.extensions ?? {};
  const uai = normaliseUai(ext[ENT_CONTEXT_EXTENSIONS.uai]);
  const place = uai === '' ? undefined : ctx.snapshot.get(uai);
  const actorInput = personInput(ext[ENT_CONTEXT_EXTENSIONS.person], statement.actor);
  const childInput = childPersonInput(ext[ENT_CONTEXT_EXTENSIONS.child]);
  return {
    actor_pseudonym: actorInput === '' ? '' : pseudonymize(ctx.key, actorInput),
    uai,
    uai_known: place === undefined ? 0 : 1,
    academie: place?.academie ?? '',
    departement: place?.departement ?? '',
    region: place?.region ?? '',
    sector: place?.sector ?? '',
    rep: place?.rep ?? '',
    ent_profile: normaliseProfile(ext[ENT_CONTEXT_EXTENSIONS.profile]),
    ent_service: serviceOf(statement),
    device: normaliseDevice(ext[ENT_CONTEXT_EXTENSIONS.device]),
    school_level: shortText(ext[ENT_CONTEXT_EXTENSIONS.level], 16),
    class_id: shortText(ext[ENT_CONTEXT_EXTENSIONS.class], 200),
    child_pseudonym: childInput === '' ? '' : pseudonymize(ctx.key, childInput),
  };
}

/** A UAI as the directory keys it: trimmed, upper case ("0352167r " → "0352167R"); '' when absent or not text. */
export function normaliseUai(value: unknown): string {
  return typeof value === 'string' ? value.trim().toUpperCase().slice(0, 32) : '';
}

/**
 * The child of a parent's action: an account `{homePage, name}` (optionally with `person`), or an Agent object
 * (`{objectType: 'Agent', account: {…}}`, also with an optional `person`). Same input as that pupil's own
 * statements, so child_pseudonym equals the pupil's actor_pseudonym.
 */
function childPersonInput(child: unknown): string {
  if (!isObject(child)) return '';
  return personInput(child.person, childAgent(child));
}

/** The child's identifier; extensions are free JSON, so every shape is checked (a bad one gives no pseudonym). */
function childAgent(v: Record<string, unknown>): Actor | undefined {
  const account = isObject(v.account) ? v.account : v;
  if (typeof account.homePage === 'string' && typeof account.name === 'string' && account.name !== '') {
    return { account: { homePage: account.homePage, name: account.name } };
  }
  if (typeof v.mbox === 'string') return { mbox: v.mbox };
  if (typeof v.mbox_sha1sum === 'string') return { mbox_sha1sum: v.mbox_sha1sum };
  if (typeof v.openid === 'string') return { openid: v.openid };
  return undefined;
}

function shortText(value: unknown, max: number): string {
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** Lower case, no accents, runs of spaces, hyphens and dots as one underscore: "Élève" → "eleve". */
function spellingKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s.\-/]+/g, '_');
}

function lookup<T>(table: ReadonlyMap<string, T>, value: string): T | undefined {
  return table.get(value) ?? table.get(spellingKey(value));
}

/** Profile spellings (spellingKey form) → DNMA profile. The table in docs/xapi-profile.md lists them. */
export const PROFILE_SPELLINGS: ReadonlyMap<string, EntProfile> = new Map<string, EntProfile>([
  ...(['eleve', 'eleves', 'student', 'students', 'pupil', 'learner', 'national_elv'] as const).map(
    (k) => [k, 'ELEVE'] as const,
  ),
  ...(['parent', 'parents', 'responsable', 'responsable_legal', 'tuteur', 'guardian', 'national_tut'] as const).map(
    (k) => [k, 'PARENT'] as const,
  ),
  ...(
    ['enseignant', 'enseignants', 'professeur', 'teacher', 'instructor', 'national_ens', 'national_doc'] as const
  ).map((k) => [k, 'ENSEIGNANT'] as const),
  ...(
    [
      'personnel',
      'personnels',
      'admin_vie_scol_tech',
      'staff',
      'admin',
      'administrator',
      'employee',
      'national_dir',
      'national_evs',
      'national_eta',
      'national_aca',
      'national_col',
    ] as const
  ).map((k) => [k, 'PERSONNEL'] as const),
  ...(['ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL'] as const).map((k) => [k, k] as const),
]);

/**
 * The DNMA profile of a profile extension value: a DNMA name, an English one or an SDET `National_*` code, in any
 * case and with or without accents; an array (SDET ENTPersonProfils is multi-valued) gives its first known
 * profile. Missing or unknown: AUTRE.
 */
export function normaliseProfile(value: unknown): EntProfile | typeof OTHER_PROFILE {
  if (typeof value === 'string') return lookup(PROFILE_SPELLINGS, value) ?? OTHER_PROFILE;
  if (Array.isArray(value)) {
    for (const v of value) {
      const p = typeof v === 'string' ? lookup(PROFILE_SPELLINGS, v) : undefined;
      if (p !== undefined) return p;
    }
  }
  return OTHER_PROFILE;
}

/** Device spellings (spellingKey form) → DNMA device. */
export const DEVICE_SPELLINGS: ReadonlyMap<string, EntDevice> = new Map<string, EntDevice>([
  ...(['ordinateur', 'computer', 'desktop', 'laptop', 'pc', 'ordinateur_portable'] as const).map(
    (k) => [k, 'ordinateur'] as const,
  ),
  ...(['smartphone', 'mobile', 'phone', 'telephone', 'mobile_phone'] as const).map((k) => [k, 'smartphone'] as const),
  ...(['tablette', 'tablet'] as const).map((k) => [k, 'tablette'] as const),
  ...(['autre', 'other', 'autresappareil', 'autres_appareils'] as const).map((k) => [k, 'autre'] as const),
]);

/** ordinateur | smartphone | tablette | autre for any reported device; '' when none is reported. */
export function normaliseDevice(value: unknown): EntDevice | '' {
  if (typeof value !== 'string' || value.trim() === '') return '';
  return lookup(DEVICE_SPELLINGS, value) ?? 'autre';
}

const SERVICE_BY_TYPE: ReadonlyMap<string, DnmaService> = new Map(
  DNMA_SERVICES.map((s) => [serviceActivityType(s), s]),
);
const SERVICE_NAMES: ReadonlySet<string> = new Set(DNMA_SERVICES);

/** Other spellings of a service suffix (spellingKey form, then hyphens as underscores). */
export const SERVICE_ALIASES: ReadonlyMap<string, DnmaService> = new Map<string, DnmaService>([
  ['cahier_de_textes', 'cahier_textes'],
  ['cahier_de_texte', 'cahier_textes'],
  ['cahier_de_liaison', 'cahier_liaison'],
  ['messagerie', 'courrier_electronique'],
  ['vie_scolaire', 'services_vie_scolaire'],
  ['competences', 'gestion_competences'],
  ['emploi_du_temps', 'gestion_temps'],
  ['cdi', 'documentation_cdi'],
]);

/**
 * The DNMA service of an activity type: the profile's IRI exactly, or its suffix in another case or with hyphens
 * ("…/service/Cahier-Textes"), or an alias ("cahier-de-textes"). undefined for any other type.
 */
export function serviceOfType(type: unknown): DnmaService | undefined {
  if (typeof type !== 'string') return undefined;
  const exact = SERVICE_BY_TYPE.get(type);
  if (exact !== undefined) return exact;
  const prefix = SERVICE_ACTIVITY_TYPE_PREFIX;
  if (type.length <= prefix.length || type.slice(0, prefix.length).toLowerCase() !== prefix.toLowerCase()) {
    return undefined;
  }
  const suffix = spellingKey(type.slice(prefix.length).replace(/\/+$/, ''));
  return SERVICE_NAMES.has(suffix) ? (suffix as DnmaService) : SERVICE_ALIASES.get(suffix);
}

/**
 * The statement's ENT service: its object's type when that is a service, else the first service among
 * context.contextActivities.parent then grouping (pupils' work names its service there), else `autre`.
 */
export function serviceOf(statement: StoredStatement): EntService {
  const object = statement.object as { definition?: { type?: unknown } };
  const own = serviceOfType(object.definition?.type);
  if (own !== undefined) return own;
  const ca = statement.context?.contextActivities;
  if (ca === undefined) return OTHER_SERVICE;
  for (const list of [ca.parent, ca.grouping]) {
    for (const activity of asArray(list)) {
      const s = serviceOfType(activity.definition?.type);
      if (s !== undefined) return s;
    }
  }
  return OTHER_SERVICE;
}

function asArray<T>(v: T[] | T | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
