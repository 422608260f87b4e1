/**
 * The ENT xAPI profile: the vocabulary an ENT platform uses to report usage and pupils' work to the observatory
 * (docs/xapi-profile.md explains each term with complete examples). DNMA names (the ministry's national audience
 * measurement, ../shared/data/reference/DNMA.md) are kept verbatim for profiles, services and devices so that our
 * figures line up with the published ones.
 */

/** Root of every IRI this profile defines. */
export const ENT_PROFILE_BASE = 'https://ent-observatory.fr/xapi';

/** The profile's own id: a statement that follows the profile lists it in context.contextActivities.category. */
export const ENT_PROFILE_ID = `${ENT_PROFILE_BASE}/profile/ent/v1`;

/** Verbs. ADL and Activity Streams verbs where one fits (from the xAPI vocabulary registry), ours otherwise. */
export const ENT_VERBS = {
  /** Opened an ENT service (one page view or app opening). The unit of usage measurement. */
  accessed: 'http://activitystrea.ms/schema/1.0/access',
  /** Signed in to the ENT portal. */
  loggedIn: 'https://w3id.org/xapi/adl/verbs/logged-in',
  /** Did something in a service (sent a message, filled an absence, booked a room…). */
  interacted: 'http://adlnet.gov/expapi/verbs/interacted',
  /** A teacher set a piece of homework (object: the homework). */
  assigned: 'http://activitystrea.ms/schema/1.0/assign',
  /** A pupil handed a piece of homework in (result extension onTime). */
  submitted: 'http://activitystrea.ms/schema/1.0/submit',
  /** A pupil's assessment was marked (result.score). */
  scored: 'http://adlnet.gov/expapi/verbs/scored',
  /** A competence was evaluated for a pupil (result extension competenceLevel). */
  evaluated: `${ENT_PROFILE_BASE}/verbs/evaluated`,
  /** Consulted a resource (digital textbook, dictionary, multimedia…). */
  experienced: 'http://adlnet.gov/expapi/verbs/experienced',
  /** Created a portfolio item. */
  created: 'http://activitystrea.ms/schema/1.0/create',
  /** Contributed to a collaborative space (post, edit, comment). */
  contributed: 'http://activitystrea.ms/schema/1.0/post',
} as const;

/**
 * The 25 DNMA services, by their DNMA column suffix (`visites_<suffix>`), in the DNMA order. `notes` is kept: the
 * DNMA stopped feeding it in September 2025, ENT platforms still have grade books.
 */
export const DNMA_SERVICES = [
  'accueil',
  'actualites',
  'cahier_textes',
  'cahier_liaison',
  'courrier_electronique',
  'messagerie_instantanee',
  'visioconference',
  'stockage_partage',
  'production_collaborative',
  'documentation_cdi',
  'parcours_pedagogique',
  'reservation_salles_materiels',
  'service_collectivite',
  'services_vie_scolaire',
  'gestion_temps',
  'absences',
  'gestion_competences',
  'notes',
  'manuel_numerique',
  'ressource_multimedia',
  'ressource_orientation',
  'ressource_production',
  'ressource_accompagnement_entrainement',
  'ressource_reference_dictionnaire',
  'ressource_documentaire',
] as const;
export type DnmaService = (typeof DNMA_SERVICES)[number];

/** The analytics value of a statement outside the profile (or naming no known service): counted, never dropped. */
export const OTHER_SERVICE = 'autre';

/**
 * Where the product's own training space (apps/training, libs/training) names its activities: its parcours, AUs
 * and the statements its LMS issues. Statements under it are the training space's, whatever ENT service they name.
 */
export const TRAINING_IRI = 'https://ent-observatory.fr/xapi/formation';
export type EntService = DnmaService | typeof OTHER_SERVICE;

/** French labels of the services, as the DNMA dashboard names them. */
export const SERVICE_LABELS: Record<EntService, string> = {
  accueil: "Page d'accueil",
  actualites: 'Actualités',
  cahier_textes: 'Cahier de textes',
  cahier_liaison: 'Cahier de liaison',
  courrier_electronique: 'Courrier électronique',
  messagerie_instantanee: 'Messagerie instantanée',
  visioconference: 'Visioconférence',
  stockage_partage: 'Stockage partagé',
  production_collaborative: 'Production collaborative',
  documentation_cdi: 'Documentation CDI',
  parcours_pedagogique: 'Parcours pédagogique',
  reservation_salles_materiels: 'Réservation de salles et matériels',
  service_collectivite: 'Service collectivité',
  services_vie_scolaire: 'Vie scolaire',
  gestion_temps: 'Gestion du temps',
  absences: 'Absences',
  gestion_competences: 'Gestion des compétences',
  notes: 'Notes',
  manuel_numerique: 'Manuel numérique',
  ressource_multimedia: 'Ressource multimédia',
  ressource_orientation: 'Ressource orientation',
  ressource_production: 'Ressource de production',
  ressource_accompagnement_entrainement: "Ressource d'accompagnement et d'entraînement",
  ressource_reference_dictionnaire: 'Ressource de référence, dictionnaire',
  ressource_documentaire: 'Ressource documentaire',
  autre: 'Autre (hors profil)',
};

/** Activity type of an ENT service: `${ENT_PROFILE_BASE}/activities/service/<DNMA suffix>`. */
export const SERVICE_ACTIVITY_TYPE_PREFIX = `${ENT_PROFILE_BASE}/activities/service/`;
export function serviceActivityType(service: DnmaService): string {
  return `${SERVICE_ACTIVITY_TYPE_PREFIX}${service}`;
}

/** Activity types of the objects of pupils' work and collaboration. */
export const ENT_ACTIVITY_TYPES = {
  homework: `${ENT_PROFILE_BASE}/activities/homework`,
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  competence: `${ENT_PROFILE_BASE}/activities/competence`,
  resource: `${ENT_PROFILE_BASE}/activities/resource`,
  portfolioItem: `${ENT_PROFILE_BASE}/activities/portfolio-item`,
  collaborativeSpace: `${ENT_PROFILE_BASE}/activities/collaborative-space`,
  /** One of the 8 components of the socle commun; its id is `socleComponentId(code)`, the same on every platform. */
  socleComponent: `${ENT_PROFILE_BASE}/activities/socle-component`,
  /** An establishment's referential of subject competences (in contextActivities.grouping of a competence). */
  competenceReferential: `${ENT_PROFILE_BASE}/activities/competence-referential`,
} as const;

/** DNMA user profiles, as the observatory names them (DNMA columns: eleve, parent, enseignant, admin_vie_scol_tech). */
export const ENT_PROFILES = ['ELEVE', 'PARENT', 'ENSEIGNANT', 'PERSONNEL'] as const;
export type EntProfile = (typeof ENT_PROFILES)[number];
/** A statement whose actor profile is missing or unknown: counted in totals, in no profile. */
export const OTHER_PROFILE = 'AUTRE';

export const PROFILE_LABELS: Record<EntProfile | typeof OTHER_PROFILE, string> = {
  ELEVE: 'Élèves',
  PARENT: 'Parents',
  ENSEIGNANT: 'Enseignants',
  PERSONNEL: 'Personnels (administration, vie scolaire, technique)',
  AUTRE: 'Profil inconnu',
};

/** DNMA devices (the profils-appareils dataset spells the last one `autresappareil`). */
export const ENT_DEVICES = ['ordinateur', 'smartphone', 'tablette', 'autre'] as const;
export type EntDevice = (typeof ENT_DEVICES)[number];

export const DEVICE_LABELS: Record<EntDevice, string> = {
  ordinateur: 'Ordinateur',
  smartphone: 'Smartphone',
  tablette: 'Tablette',
  autre: 'Autre appareil',
};

/** Context extensions (context.extensions[<IRI>]). */
export const ENT_CONTEXT_EXTENSIONS = {
  /** UAI of the establishment the action belongs to (8 characters, e.g. "0352167R"). */
  uai: `${ENT_PROFILE_BASE}/extensions/uai`,
  /** The actor's profile: a DNMA profile or an SDET `National_*` code (see normaliseProfile). */
  profile: `${ENT_PROFILE_BASE}/extensions/profile`,
  /** ordinateur | smartphone | tablette | autre (other spellings normalised, see normaliseDevice). */
  device: `${ENT_PROFILE_BASE}/extensions/device`,
  /** Class or group id, as the directory's school_classes: "<UAI>:<school year>:<name>". */
  class: `${ENT_PROFILE_BASE}/extensions/class`,
  /** School level of the pupil concerned: CP…CM2, 6e…3e, 2nde, 1re, Tle (directory LEVELS). */
  level: `${ENT_PROFILE_BASE}/extensions/level`,
  /** For a parent's action: the child concerned, as an account {homePage, name} on the same platform. */
  child: `${ENT_PROFILE_BASE}/extensions/child`,
  /**
   * A stable identifier of the person across platforms and school years when the platform has one (e.g. the
   * EduConnect federation id). The pseudonym is computed from it when present, from the actor otherwise, so a
   * pupil who changes ENT stays one person in continuity indicators.
   */
  person: `${ENT_PROFILE_BASE}/extensions/person`,
  /** Homework due date-time (ISO 8601), on assigned and submitted statements. */
  due: `${ENT_PROFILE_BASE}/extensions/due`,
  /** Subject (discipline) of homework, an assessment or a subject competence: a SUBJECTS code ("mathematiques"). */
  subject: `${ENT_PROFILE_BASE}/extensions/subject`,
  /** Expected working time of a piece of homework, ISO 8601 duration ("PT45M"), on assigned statements. */
  expectedDuration: `${ENT_PROFILE_BASE}/extensions/expected-duration`,
  /** Cycle of a socle positioning: 2 (CP–CE2), 3 (CM1–6e) or 4 (5e–3e). */
  cycle: `${ENT_PROFILE_BASE}/extensions/cycle`,
} as const;

/** Result extensions (result.extensions[<IRI>]). */
export const ENT_RESULT_EXTENSIONS = {
  /** submitted: true when handed in before the due date-time. */
  onTime: `${ENT_PROFILE_BASE}/extensions/on-time`,
  /**
   * evaluated: level 1–4 (LSU scale: insuffisante, fragile, satisfaisante, très bonne maîtrise), 0 = dispensé
   * (exempted: the pupil is not positioned on that component).
   */
  competenceLevel: `${ENT_PROFILE_BASE}/extensions/competence-level`,
} as const;

/** Activity definition extensions (object.definition.extensions[<IRI>]). */
export const ENT_ACTIVITY_EXTENSIONS = {
  /** On a collaborative space: UAIs of the member establishments. */
  spaceEstablishments: `${ENT_PROFILE_BASE}/extensions/space-establishments`,
} as const;

export const COMPETENCE_LEVEL_LABELS = [
  'Maîtrise insuffisante',
  'Maîtrise fragile',
  'Maîtrise satisfaisante',
  'Très bonne maîtrise',
] as const;

/** Label of level 0 of a positioning: the pupil is exempted from the component (LSU « dispensé »). */
export const COMPETENCE_EXEMPT_LABEL = 'Dispensé';

/**
 * The 8 components of the socle commun de connaissances, de compétences et de culture, by their LSU codes
 * (`CodeDomaineSocle` of the LSU import format), in the LSU order, with their official wording.
 */
export const SOCLE_COMPONENTS = [
  'CPD_FRA',
  'CPD_ETR',
  'CPD_SCI',
  'CPD_ART',
  'MET_APP',
  'FRM_CIT',
  'SYS_NAT',
  'REP_MND',
] as const;
export type SocleComponent = (typeof SOCLE_COMPONENTS)[number];

export const SOCLE_COMPONENT_LABELS: Record<SocleComponent, string> = {
  CPD_FRA: "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit",
  CPD_ETR: "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, une langue régionale",
  CPD_SCI: "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques",
  CPD_ART: "Comprendre, s'exprimer en utilisant les langages des arts et du corps",
  MET_APP: 'Les méthodes et outils pour apprendre',
  FRM_CIT: 'La formation de la personne et du citoyen',
  SYS_NAT: 'Les systèmes naturels et les systèmes techniques',
  REP_MND: "Les représentations du monde et l'activité humaine",
};

/** Short French labels of the components, for grids. */
export const SOCLE_COMPONENT_SHORT_LABELS: Record<SocleComponent, string> = {
  CPD_FRA: 'Français',
  CPD_ETR: 'Langues',
  CPD_SCI: 'Sciences',
  CPD_ART: 'Arts et corps',
  MET_APP: 'Méthodes',
  FRM_CIT: 'Citoyen',
  SYS_NAT: 'Systèmes',
  REP_MND: 'Monde',
};

/** Prefix of the socle components' activity ids: `${SOCLE_COMPONENT_ID_PREFIX}CPD_FRA`. */
export const SOCLE_COMPONENT_ID_PREFIX = `${ENT_PROFILE_BASE}/socle/`;
export function socleComponentId(code: SocleComponent): string {
  return `${SOCLE_COMPONENT_ID_PREFIX}${code}`;
}

/** School cycles a socle positioning belongs to. */
export const SOCLE_CYCLES = [2, 3, 4] as const;

/**
 * Subjects (disciplines) as the profile names them: lower-case codes close to the BCN matières, so that every
 * platform reports the same subject the same way. Other codes are stored and shown as sent.
 */
export const SUBJECTS = {
  francais: 'Français',
  mathematiques: 'Mathématiques',
  histoire_geographie: 'Histoire-géographie',
  langues_vivantes: 'Langues vivantes',
  sciences: 'Sciences et technologie',
  svt: 'Sciences de la vie et de la Terre',
  physique_chimie: 'Physique-chimie',
  technologie: 'Technologie',
  arts: 'Arts plastiques et éducation musicale',
  eps: 'Éducation physique et sportive',
  emc: 'Enseignement moral et civique',
} as const;
export type Subject = keyof typeof SUBJECTS;
