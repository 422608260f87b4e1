import {
  type DnmaService,
  ENT_ACTIVITY_EXTENSIONS,
  ENT_ACTIVITY_TYPES,
  ENT_CONTEXT_EXTENSIONS as CX,
  ENT_PROFILE_ID,
  ENT_RESULT_EXTENSIONS,
  ENT_VERBS,
  serviceActivityType,
} from '@ent-observatory/xapi';
import type { Person, SimEstablishment } from './population.js';

/**
 * Statements as string templates: JSON.stringify of a nested object per statement would cost more than everything
 * else together. Every fragment that does not change between statements is built once (per platform, service,
 * person and school year). Values that come from the directory or the simulator itself are plain ASCII or French
 * names without quotes, and are still escaped once through JSON.stringify when their fragment is built; non-ASCII
 * characters are written as \u escapes so that every line is ASCII, which writes to a file as a plain copy.
 */
const q = (v: unknown): string =>
  JSON.stringify(v).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** `,"verb":{…},"object":` — the verb with the keys around it, so a statement is written in fewer pieces. */
function verbPart(id: string, display: string): string {
  return `,"verb":{"id":${q(id)},"display":{"fr-FR":${q(display)}}},"object":`;
}

export const VERB_JSON = {
  accessed: verbPart(ENT_VERBS.accessed, 'a consulté'),
  interacted: verbPart(ENT_VERBS.interacted, 'a utilisé'),
  assigned: verbPart(ENT_VERBS.assigned, 'a donné'),
  submitted: verbPart(ENT_VERBS.submitted, 'a rendu'),
  scored: verbPart(ENT_VERBS.scored, 'a obtenu'),
  evaluated: verbPart(ENT_VERBS.evaluated, 'a été évalué'),
  experienced: verbPart(ENT_VERBS.experienced, 'a consulté'),
  created: verbPart(ENT_VERBS.created, 'a créé'),
  contributed: verbPart(ENT_VERBS.contributed, 'a contribué à'),
} as const;

// objectType Activity/Agent is the default and left out: ≈70 bytes less per statement to write, post and store.
const CATEGORY = `"category":[{"id":${q(ENT_PROFILE_ID)}}]`;
const ACTIVITIES = `,"contextActivities":{${CATEGORY}`;
const EXTENSIONS = '},"extensions":{';
/** contextActivities without a parent, up to the opening of the extensions. */
const NO_PARENT = `${ACTIVITIES}${EXTENSIONS}`;

export interface PlatformInfo {
  id: string;
  homepage: string;
  /** `,"context":{"platform":"<id>"` */
  contextHead: string;
  /**
   * Per service: the service's activity JSON, and the contextActivities (category and the parent naming the
   * service) up to the opening of the extensions.
   */
  serviceObject: Map<DnmaService, string>;
  serviceParent: Map<DnmaService, string>;
}

export function platformInfo(id: string, homepage: string): PlatformInfo {
  const serviceObject = new Map<DnmaService, string>();
  const serviceParent = new Map<DnmaService, string>();
  for (const s of Object.keys(SERVICE_PATHS) as DnmaService[]) {
    const activity = `{"id":${q(`${homepage}/${SERVICE_PATHS[s]}`)},"definition":{"type":${q(serviceActivityType(s))}}}`;
    serviceObject.set(s, activity);
    serviceParent.set(s, `${ACTIVITIES},"parent":[${activity}]${EXTENSIONS}`);
  }
  return { id, homepage, contextHead: `,"context":{"platform":${q(id)}`, serviceObject, serviceParent };
}

/** Each service's path on a platform (what a real ENT's URL would look like). */
const SERVICE_PATHS: Record<DnmaService, string> = {
  accueil: 'portail',
  actualites: 'actualites',
  cahier_textes: 'cahier-de-textes',
  cahier_liaison: 'cahier-de-liaison',
  courrier_electronique: 'messagerie',
  messagerie_instantanee: 'discussions',
  visioconference: 'visio',
  stockage_partage: 'espace-documentaire',
  production_collaborative: 'espaces-collaboratifs',
  documentation_cdi: 'cdi',
  parcours_pedagogique: 'parcours',
  reservation_salles_materiels: 'reservations',
  service_collectivite: 'collectivite',
  services_vie_scolaire: 'vie-scolaire',
  gestion_temps: 'emploi-du-temps',
  absences: 'absences',
  gestion_competences: 'competences',
  notes: 'notes',
  manuel_numerique: 'manuels',
  ressource_multimedia: 'ressources/multimedia',
  ressource_orientation: 'ressources/orientation',
  ressource_production: 'ressources/production',
  ressource_accompagnement_entrainement: 'ressources/entrainement',
  ressource_reference_dictionnaire: 'ressources/dictionnaires',
  ressource_documentaire: 'ressources/documentaires',
};

/** The person's account name on a platform: platforms number their users independently. */
export function accountName(p: Person, platform: PlatformInfo): string {
  let h = 2166136261;
  for (let i = 0; i < platform.id.length; i++) h = Math.imul(h ^ platform.id.charCodeAt(i), 16777619);
  return `${p.profile[0]!.toLowerCase()}${((Math.imul(p.n, 2654435761) ^ h) >>> 0).toString(36)}`;
}

/** The fragments of one person for a school year: actor JSON and the context extensions that never change. */
export interface PersonJson {
  actor: string;
  /** `"<uai ext>":"…","<profile ext>":"…",…` without braces (device and per-statement extensions are added). */
  ext: string;
}

const KEY = {
  uai: `${q(CX.uai)}:"`,
  profile: `","${CX.profile}":"`,
  person: `","${CX.person}":"`,
  class: `","${CX.class}":"`,
  level: `","${CX.level}":"`,
  child: `,${q(CX.child)}:{"homePage":`,
};

/**
 * Ids, UAIs, profiles, levels and class names made by the simulator or read from the directory are ASCII without
 * quotes or backslashes (checked here once per person, so a surprising directory value fails loudly).
 */
function ascii(v: string): string {
  if (!/^[\x20-\x7e]*$/.test(v) || v.includes('"') || v.includes('\\'))
    throw new Error(`unexpected character in "${v}"`);
  return v;
}

export function personJson(p: Person, e: SimEstablishment, platform: PlatformInfo): PersonJson {
  const home = q(platform.homepage);
  let ext = `${KEY.uai}${ascii(e.facts.uai)}${KEY.profile}${p.profile}${KEY.person}${p.personId}`;
  const pupil = p.profile === 'ELEVE' ? p : p.profile === 'PARENT' ? p.child : null;
  if (pupil?.cls) ext += `${KEY.class}${ascii(pupil.cls.id)}${KEY.level}${ascii(pupil.level)}`;
  ext += '"';
  if (p.profile === 'PARENT' && p.child) {
    const c = p.child;
    ext += `${KEY.child}${home},"name":"${accountName(c, platform)}","person":"${c.personId}"}`;
  }
  return { actor: `{"account":{"homePage":${home},"name":"${accountName(p, platform)}"}}`, ext };
}

export const DEVICE_EXT = Object.fromEntries(
  ['ordinateur', 'smartphone', 'tablette', 'autre'].map((d) => [d, `,${q(CX.device)}:${q(d)}`]),
) as Record<string, string>;

export const EXT = {
  class: `,${q(CX.class)}:`,
  due: `,${q(CX.due)}:`,
  subject: `,${q(CX.subject)}:`,
  expectedDuration: `,${q(CX.expectedDuration)}:`,
  cycle: `,${q(CX.cycle)}:`,
  onTime: q(ENT_RESULT_EXTENSIONS.onTime),
  competenceLevel: q(ENT_RESULT_EXTENSIONS.competenceLevel),
  spaceEstablishments: q(ENT_ACTIVITY_EXTENSIONS.spaceEstablishments),
};

export const TYPE_JSON = {
  homework: q(ENT_ACTIVITY_TYPES.homework),
  assessment: q(ENT_ACTIVITY_TYPES.assessment),
  competence: q(ENT_ACTIVITY_TYPES.competence),
  resource: q(ENT_ACTIVITY_TYPES.resource),
  portfolioItem: q(ENT_ACTIVITY_TYPES.portfolioItem),
  collaborativeSpace: q(ENT_ACTIVITY_TYPES.collaborativeSpace),
  socleComponent: q(ENT_ACTIVITY_TYPES.socleComponent),
  competenceReferential: q(ENT_ACTIVITY_TYPES.competenceReferential),
};

/**
 * Where statement lines go, piece by piece: a file sink copies each piece into its buffer (no line string is ever
 * built, which saves flattening a rope of twenty pieces per statement); `end` closes the line.
 */
export interface LineSink {
  part(s: string): void;
  end(): void;
}

/** Joins the pieces into one string per line for consumers that want strings (HTTP posts, tests). */
export class StringLineSink implements LineSink {
  private line = '';
  constructor(private readonly onLine: (line: string) => void) {}
  part(s: string): void {
    this.line += s;
  }
  end(): void {
    this.onLine(`${this.line}\n`);
    this.line = '';
  }
}

const ID = '{"id":"';
const CLOSE_CONTEXT = '}}';
const CLOSE = '}';
const CLOSE_ALL = '}}}';

/**
 * Writes one statement (an NDJSON line) in a dozen pieces. `verb` is a VERB_JSON part, `parent` a serviceParent
 * part or '' (no parent), `ext` the extensions without braces, `result` `,"result":{…}` or '', `instructor`
 * `,"instructor":{…}` or ''.
 */
export function writeStatement(
  out: LineSink,
  id: string,
  time: TimestampFormatter,
  ms: number,
  actor: string,
  verb: string,
  object: string,
  platform: PlatformInfo,
  parent: string,
  ext: string,
  result: string,
  instructor: string,
): void {
  out.part(ID);
  out.part(id);
  time.write(out, ms);
  out.part(actor);
  out.part(verb);
  out.part(object);
  out.part(platform.contextHead);
  if (instructor !== '') out.part(instructor);
  out.part(parent === '' ? NO_PARENT : parent);
  out.part(ext);
  if (result === '') out.part(CLOSE_ALL);
  else {
    out.part(CLOSE_CONTEXT);
    out.part(result);
    out.part(CLOSE);
  }
  out.end();
}

/** ISO 8601 UTC with milliseconds, from epoch ms; the date part is cached per day (it changes once a day). */
export class TimestampFormatter {
  private day = -1;
  private prefix = '';

  private head = '';

  format(ms: number): string {
    this.prefixOf(ms);
    return this.prefix + this.timeOf(ms);
  }

  /** Writes `","timestamp":"<date>T` (cached per day) and `<time>Z","actor":`. */
  write(out: LineSink, ms: number): void {
    this.prefixOf(ms);
    out.part(this.head);
    out.part(`${this.timeOf(ms)}","actor":`);
  }

  private prefixOf(ms: number): void {
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
      this.head = `","timestamp":"${this.prefix}`;
    }
  }

  private timeOf(ms: number): string {
    let r = ms - Math.floor(ms / 86_400_000) * 86_400_000;
    const h = Math.floor(r / 3_600_000);
    r -= h * 3_600_000;
    const m = Math.floor(r / 60_000);
    r -= m * 60_000;
    const s = Math.floor(r / 1000);
    const milli = r - s * 1000;
    return `${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[milli]}Z`;
  }
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
