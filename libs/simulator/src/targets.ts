import type { DnmaService, EntDevice, EntProfile } from '@ent-observatory/xapi';

/**
 * DNMA 2025-26 national figures the simulator is calibrated on (../shared/data/reference/DNMA.md § 6 and § 8,
 * documented with the tolerances in libs/simulator/README.md). The generator hits the profile shares by
 * construction (per-profile multipliers solved from the population, see calibrate()); the device and service
 * shares come from the per-profile mixes below; `measureShares` checks all of them on the output.
 */
export const DNMA_TARGETS = {
  /** Share of visits per profile (visites_eleve / parent / enseignant / admin_vie_scol_tech over their sum). */
  profileShares: { ELEVE: 0.402, PARENT: 0.375, ENSEIGNANT: 0.192, PERSONNEL: 0.03 } satisfies Record<
    EntProfile,
    number
  >,
  /** Smartphone share of visits whose device is ordinateur, smartphone or tablette. */
  pupilSmartphone: 0.538,
  parentSmartphone: { primaire: 0.902, college: 0.749, lycee: 0.655 },
  /** Average visits per establishment-week in 2025-26 over the measured perimeter (schools far lower). */
  visitsPerEstablishmentWeek: 440,
  /** The four largest services after accueil, in DNMA order (courrier and vie scolaire are within 0.3 %). */
  topServices: ['courrier_electronique', 'services_vie_scolaire', 'cahier_textes', 'production_collaborative'],
} as const;

export type Stage = 'primaire' | 'college' | 'lycee';

/**
 * Relative visits per person per school week, before calibration: the structure the calibration keeps (primary
 * schools use the ENT far less than collèges, mostly through parents; maternelle pupils not at all).
 */
export const RELATIVE_WEEKLY_VISITS: Record<EntProfile, Record<Stage, number>> = {
  ELEVE: { primaire: 0.25, college: 2.2, lycee: 2.6 },
  PARENT: { primaire: 0.7, college: 1.3, lycee: 0.6 },
  ENSEIGNANT: { primaire: 3, college: 10, lycee: 9 },
  PERSONNEL: { primaire: 2, college: 8, lycee: 8 },
};

/** Device mix per profile (ordinateur, smartphone, tablette, autre), DNMA § 6.3; teachers and staff: assumed. */
export const DEVICE_MIX: Record<EntProfile, Record<Stage, readonly (readonly [EntDevice, number])[]>> = {
  ELEVE: sameForAll([
    ['ordinateur', 44.2],
    ['smartphone', 53.8],
    ['tablette', 2.0],
    ['autre', 0.6],
  ]),
  PARENT: {
    primaire: [
      ['ordinateur', 9.3],
      ['smartphone', 90.2],
      ['tablette', 0.5],
      ['autre', 0.3],
    ],
    college: [
      ['ordinateur', 24.6],
      ['smartphone', 74.9],
      ['tablette', 0.5],
      ['autre', 0.3],
    ],
    lycee: [
      ['ordinateur', 34.0],
      ['smartphone', 65.5],
      ['tablette', 0.5],
      ['autre', 0.3],
    ],
  },
  ENSEIGNANT: sameForAll([
    ['ordinateur', 78],
    ['smartphone', 18],
    ['tablette', 4],
    ['autre', 0.5],
  ]),
  PERSONNEL: sameForAll([
    ['ordinateur', 90],
    ['smartphone', 8],
    ['tablette', 2],
    ['autre', 0.5],
  ]),
};

/** Share of visits whose device the platform reports (DNMA: ≈77 % of pupils' visits, ≈51 % of parents'). */
export const DEVICE_KNOWN: Record<EntProfile, number> = { ELEVE: 0.77, PARENT: 0.51, ENSEIGNANT: 0.7, PERSONNEL: 0.7 };

/**
 * Service weights: a national base following DNMA § 6.2 (published volumes for the top four, the [C] ranking with a
 * geometric decay for the others), multiplied per profile by an affinity (parents read the vie scolaire and the
 * cahier de liaison, pupils the cahier de textes and resources, teachers fill in grades and book rooms…).
 */
const BASE_SERVICE_WEIGHT: Record<DnmaService, number> = {
  accueil: 0, // every visit starts on the portal; not drawn
  courrier_electronique: 198,
  services_vie_scolaire: 198,
  cahier_textes: 64,
  production_collaborative: 47,
  cahier_liaison: 30,
  messagerie_instantanee: 24,
  stockage_partage: 20,
  actualites: 17,
  ressource_accompagnement_entrainement: 14,
  gestion_temps: 12,
  parcours_pedagogique: 10,
  ressource_production: 8.5,
  absences: 7.2,
  ressource_multimedia: 6.1,
  service_collectivite: 5.2,
  manuel_numerique: 4.4,
  gestion_competences: 3.7,
  ressource_documentaire: 3.1,
  documentation_cdi: 2.6,
  ressource_orientation: 2.2,
  reservation_salles_materiels: 1.9,
  ressource_reference_dictionnaire: 1.6,
  visioconference: 1.3,
  notes: 0.5,
};

const AFFINITY: Record<EntProfile, Partial<Record<DnmaService, number>>> = {
  ELEVE: {
    cahier_textes: 1.2,
    production_collaborative: 2.2,
    courrier_electronique: 0.7,
    services_vie_scolaire: 0.6,
    cahier_liaison: 0.1,
    parcours_pedagogique: 2,
    ressource_accompagnement_entrainement: 2.5,
    ressource_production: 2,
    ressource_multimedia: 2,
    manuel_numerique: 2.5,
    ressource_orientation: 2,
    ressource_reference_dictionnaire: 2,
    gestion_temps: 0.3,
    service_collectivite: 0.1,
    reservation_salles_materiels: 0,
    gestion_competences: 0.5,
  },
  PARENT: {
    services_vie_scolaire: 1.4,
    courrier_electronique: 1.1,
    cahier_liaison: 2.5,
    actualites: 1.5,
    production_collaborative: 0.1,
    stockage_partage: 0.1,
    parcours_pedagogique: 0.2,
    ressource_accompagnement_entrainement: 0.1,
    ressource_production: 0,
    ressource_multimedia: 0.2,
    manuel_numerique: 0,
    reservation_salles_materiels: 0,
    gestion_temps: 0.2,
    documentation_cdi: 0.1,
    service_collectivite: 1.5,
    absences: 1.5,
  },
  ENSEIGNANT: {
    cahier_textes: 2.5,
    stockage_partage: 3,
    production_collaborative: 1.3,
    parcours_pedagogique: 2,
    reservation_salles_materiels: 4,
    gestion_competences: 4,
    absences: 2,
    cahier_liaison: 1,
    visioconference: 2,
    notes: 3,
  },
  PERSONNEL: {
    services_vie_scolaire: 2,
    absences: 5,
    gestion_temps: 3,
    reservation_salles_materiels: 4,
    service_collectivite: 3,
    cahier_textes: 0.2,
    production_collaborative: 0.3,
    ressource_accompagnement_entrainement: 0,
    manuel_numerique: 0,
    parcours_pedagogique: 0.1,
  },
};

/** Services a profile draws, with weights (accueil excluded: it opens every visit). */
export function serviceMix(profile: EntProfile): [DnmaService, number][] {
  return (Object.entries(BASE_SERVICE_WEIGHT) as [DnmaService, number][])
    .map(([s, w]): [DnmaService, number] => [s, w * (AFFINITY[profile][s] ?? 1)])
    .filter(([, w]) => w > 0);
}

/**
 * Hour-of-day weights (Europe/Paris local hours 0–23). School days: pupils in class in the morning and early
 * afternoon, then the evening peak at home; parents before school, at lunch and in the evening; teachers during
 * and after class (and late evenings preparing lessons); staff office hours. Days off: later, flatter.
 */
export const HOURS: Record<EntProfile, { school: number[]; off: number[] }> = {
  ELEVE: {
    school: [0, 0, 0, 0, 0, 0, 0.2, 1.5, 3, 3, 3, 3, 2.5, 3, 3, 3, 3.5, 6, 8, 8, 6.5, 4, 1.5, 0.3],
    off: [0.2, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 2, 3, 3.5, 2.5, 2.5, 3.5, 4, 4.5, 5, 5.5, 6, 5.5, 4, 1.5, 0.5],
  },
  PARENT: {
    school: [0.1, 0, 0, 0, 0, 0.2, 1.5, 4, 3, 2, 2, 2, 4, 3.5, 2, 2, 2.5, 4, 6, 7, 7.5, 6, 3, 1],
    off: [0.3, 0.1, 0, 0, 0, 0, 0.3, 1, 2, 3, 3.5, 3.5, 3, 2.5, 2.5, 2.5, 3, 3.5, 4.5, 5, 5.5, 5, 2.5, 1],
  },
  ENSEIGNANT: {
    school: [0.1, 0, 0, 0, 0, 0.1, 1, 4, 6, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 3, 3.5, 4.5, 3, 1],
    off: [0.2, 0, 0, 0, 0, 0, 0.2, 0.8, 2, 3, 3.5, 3, 2, 2.5, 3.5, 4, 4, 3.5, 3.5, 3, 4, 4.5, 3, 1],
  },
  PERSONNEL: {
    school: [0, 0, 0, 0, 0, 0, 0.5, 4, 8, 8, 8, 7, 4, 6, 8, 8, 7, 5, 2, 0.5, 0.2, 0.1, 0, 0],
    off: [0, 0, 0, 0, 0, 0, 0.2, 2, 5, 6, 6, 5, 3, 4, 5, 5, 4, 2, 1, 0.5, 0.2, 0.1, 0, 0],
  },
};

function sameForAll<T>(v: T): Record<Stage, T> {
  return { primaire: v, college: v, lycee: v };
}
