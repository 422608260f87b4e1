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
 * names without quotes, and are still escaped once through JSON.stringify when their fragment is built.
 */
const q = JSON.stringify;

export const VERB_JSON = {
  accessed: `{"id":${q(ENT_VERBS.accessed)},"display":{"fr-FR":"a consulté"}}`,
  interacted: `{"id":${q(ENT_VERBS.interacted)},"display":{"fr-FR":"a utilisé"}}`,
  assigned: `{"id":${q(ENT_VERBS.assigned)},"display":{"fr-FR":"a donné"}}`,
  submitted: `{"id":${q(ENT_VERBS.submitted)},"display":{"fr-FR":"a rendu"}}`,
  scored: `{"id":${q(ENT_VERBS.scored)},"display":{"fr-FR":"a obtenu"}}`,
  evaluated: `{"id":${q(ENT_VERBS.evaluated)},"display":{"fr-FR":"a été évalué"}}`,
  experienced: `{"id":${q(ENT_VERBS.experienced)},"display":{"fr-FR":"a consulté"}}`,
  created: `{"id":${q(ENT_VERBS.created)},"display":{"fr-FR":"a créé"}}`,
  contributed: `{"id":${q(ENT_VERBS.contributed)},"display":{"fr-FR":"a contribué à"}}`,
} as const;

const CATEGORY = `"category":[{"objectType":"Activity","id":${q(ENT_PROFILE_ID)}}]`;

export interface PlatformInfo {
  id: string;
  homepage: string;
  /** JSON of context.platform. */
  platformJson: string;
  /** Per service: the service's activity JSON, and the contextActivities parent fragment naming it. */
  serviceObject: Map<DnmaService, string>;
  serviceParent: Map<DnmaService, string>;
}

export function platformInfo(id: string, homepage: string): PlatformInfo {
  const serviceObject = new Map<DnmaService, string>();
  const serviceParent = new Map<DnmaService, string>();
  for (const s of Object.keys(SERVICE_PATHS) as DnmaService[]) {
    const activity = `{"objectType":"Activity","id":${q(`${homepage}/${SERVICE_PATHS[s]}`)},"definition":{"type":${q(serviceActivityType(s))}}}`;
    serviceObject.set(s, activity);
    serviceParent.set(s, `,"parent":[${activity}]`);
  }
  return { id, homepage, platformJson: q(id), serviceObject, serviceParent };
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

export function personJson(p: Person, e: SimEstablishment, platform: PlatformInfo): PersonJson {
  const account = (x: Person) => `{"homePage":${q(platform.homepage)},"name":${q(accountName(x, platform))}}`;
  let ext = `${q(CX.uai)}:${q(e.facts.uai)},${q(CX.profile)}:${q(p.profile)},${q(CX.person)}:${q(p.personId)}`;
  const pupil = p.profile === 'ELEVE' ? p : p.profile === 'PARENT' ? p.child : null;
  if (pupil?.cls) ext += `,${q(CX.class)}:${q(pupil.cls.id)},${q(CX.level)}:${q(pupil.level)}`;
  if (p.profile === 'PARENT' && p.child) {
    const c = p.child;
    ext += `,${q(CX.child)}:{"homePage":${q(platform.homepage)},"name":${q(accountName(c, platform))},"person":${q(c.personId)}}`;
  }
  return { actor: `{"objectType":"Agent","account":${account(p)}}`, ext };
}

export const DEVICE_EXT = Object.fromEntries(
  ['ordinateur', 'smartphone', 'tablette', 'autre'].map((d) => [d, `,${q(CX.device)}:${q(d)}`]),
) as Record<string, string>;

export const EXT = {
  class: `,${q(CX.class)}:`,
  due: `,${q(CX.due)}:`,
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
};

/** One statement line (NDJSON). `contextExtra` starts with a comma; `parent` is a serviceParent fragment or ''. */
export function statementLine(
  id: string,
  timestamp: string,
  actor: string,
  verb: string,
  object: string,
  platform: PlatformInfo,
  parent: string,
  ext: string,
  result: string,
  instructor = '',
): string {
  return `{"id":"${id}","timestamp":"${timestamp}","actor":${actor},"verb":${verb},"object":${object},"context":{"platform":${platform.platformJson}${instructor},"contextActivities":{${CATEGORY}${parent}},"extensions":{${ext}}}${result}}\n`;
}

/** ISO 8601 UTC with milliseconds, from epoch ms; the date part is cached per day (it changes once a day). */
export class TimestampFormatter {
  private day = -1;
  private prefix = '';

  format(ms: number): string {
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    }
    let r = ms - day * 86_400_000;
    const h = Math.floor(r / 3_600_000);
    r -= h * 3_600_000;
    const m = Math.floor(r / 60_000);
    r -= m * 60_000;
    const s = Math.floor(r / 1000);
    const milli = r - s * 1000;
    return `${this.prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[milli]}Z`;
  }
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
