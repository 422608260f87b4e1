import { DNMA_SERVICES, type EntProfile } from '@ent-observatory/xapi';

/**
 * The four weekly DNMA open-data datasets (data.education.gouv.fr, Licence Ouverte 2.0) and their wide CSV layout:
 * one row per UAI × week, one `visites_X` / `utilisateurs_X` / `duree_X` triplet per modality X. Column names are
 * the Opendatasoft field names (lower case, no accents); a CSV exported "with labels" (`debutSemaine`, `académie`,
 * `utilisateurs_autreAppareil`) reads the same once headers are normalised (normalizeHeader). Reference:
 * docs/dnma.md and ../shared/data/reference/DNMA.md.
 */
export const DNMA_DATASETS = ['profils', 'services', 'profils-appareils', 'appareils'] as const;
export type DnmaDataset = (typeof DNMA_DATASETS)[number];

/** Portal dataset id of each dataset; exported files are named after it. */
export const DNMA_DATASET_IDS: Record<DnmaDataset, string> = {
  profils: 'fr-en-dnma-par-uai-profils',
  services: 'fr-en-dnma-par-uai-services',
  'profils-appareils': 'fr-en-dnma-par-uai-profils-appareils',
  appareils: 'fr-en-dnma-par-uai-appareils',
};

/** The 10 context columns, by field name. `debutsemaine` and `uai` are required in an imported file. */
export const CONTEXT_COLUMNS = [
  'debutsemaine',
  'uai',
  'academie',
  'commune',
  'departement',
  'region',
  'ministere',
  'circonscription',
  'nature_uai',
  'secteur',
] as const;
export type ContextColumn = (typeof CONTEXT_COLUMNS)[number];

/** One modality of a dataset: its column suffix and where it lands in the long table (dnma_weekly). */
export interface Modality {
  suffix: string;
  /** '' = all users (profils `globales`) or a dataset without profile. */
  profile: EntProfile | '';
  service: string;
  device: string;
  os: string;
  browser: string;
}

const NONE = { profile: '', service: '', device: '', os: '', browser: '' } as const;

/** DNMA profile column pieces → our profiles. */
export const DNMA_PROFILES: readonly [string, EntProfile][] = [
  ['eleve', 'ELEVE'],
  ['parent', 'PARENT'],
  ['enseignant', 'ENSEIGNANT'],
  ['admin_vie_scol_tech', 'PERSONNEL'],
];

const DEVICES = ['ordinateur', 'smartphone', 'tablette'] as const;
export const OS_SUFFIXES = ['android', 'ios', 'windows', 'macos', 'linux', 'chromeos', 'autreos'] as const;
export const BROWSER_SUFFIXES = [
  'chrome',
  'chromemobile',
  'safari',
  'firefox',
  'edge',
  'samsungbrowser',
  'opera',
  'huaweibrowser',
  'miuibrowser',
  'autrenavigateur',
] as const;

/**
 * Modalities of each dataset in the published column order. Note the two spellings of "other device":
 * `autresappareil` in profils-appareils, `autreappareil` in appareils (both are our device `autre`).
 */
export const MODALITIES: Record<DnmaDataset, readonly Modality[]> = {
  profils: [
    { ...NONE, suffix: 'globales' },
    ...DNMA_PROFILES.map(([suffix, profile]) => ({ ...NONE, suffix, profile })),
  ],
  services: DNMA_SERVICES.map((service) => ({ ...NONE, suffix: service, service })),
  'profils-appareils': DNMA_PROFILES.flatMap(([p, profile]) =>
    [...DEVICES, 'autresappareil'].map((d) => ({
      ...NONE,
      suffix: `${p}_${d}`,
      profile,
      device: d === 'autresappareil' ? 'autre' : d,
    })),
  ),
  appareils: [
    ...[...DEVICES, 'autreappareil'].map((d) => ({
      ...NONE,
      suffix: d,
      device: d === 'autreappareil' ? 'autre' : d,
    })),
    ...OS_SUFFIXES.map((os) => ({ ...NONE, suffix: os, os })),
    ...BROWSER_SUFFIXES.map((browser) => ({ ...NONE, suffix: browser, browser })),
  ],
};

export const MEASURES = ['visites', 'utilisateurs', 'duree'] as const;
export type Measure = (typeof MEASURES)[number];

/** The published header of a dataset: debutsemaine and uai, the measure triplets, the other 8 context columns. */
export function datasetHeader(dataset: DnmaDataset): string[] {
  return [
    'debutsemaine',
    'uai',
    ...MODALITIES[dataset].flatMap((m) => MEASURES.map((measure) => `${measure}_${m.suffix}`)),
    ...CONTEXT_COLUMNS.slice(2),
  ];
}

/** Header names as Opendatasoft field names: lower case, accents stripped, anything else → `_`. */
export function normalizeHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * `duree_X` is text shaped `HH:MM:SS`, sometimes `HH:MM:SS:cc` (hundredths); hours may exceed 99. A plain number
 * is read as seconds. Returns null for text that is none of these.
 */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(\d+):([0-5]?\d):([0-5]?\d)(?:[:.,](\d{1,3}))?$/.exec(t);
  if (!m) return null;
  const fraction = m[4] ? Number(m[4]) / 10 ** m[4].length : 0;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + fraction;
}

/** Seconds → `HH:MM:SS` (rounded to the second), the published form. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** Which dataset a header belongs to: the one whose measure columns it has most of (ties impossible in practice). */
export function recogniseDataset(
  columns: readonly string[],
): { dataset: DnmaDataset; measureColumns: Set<string> } | null {
  const present = new Set(columns);
  let best: { dataset: DnmaDataset; measureColumns: Set<string> } | null = null;
  for (const dataset of DNMA_DATASETS) {
    const found = new Set(
      MODALITIES[dataset]
        .flatMap((m) => MEASURES.map((measure) => `${measure}_${m.suffix}`))
        .filter((c) => present.has(c)),
    );
    if (found.size > 0 && (!best || found.size > best.measureColumns.size)) best = { dataset, measureColumns: found };
  }
  return best;
}
