/** Normalised establishment types (the annuaire's Type_etablissement + code_nature, see establishmentType()). */
export const ESTABLISHMENT_TYPES = [
  'ecole_maternelle',
  'ecole_elementaire',
  'ecole_primaire',
  'college',
  'lycee',
  'lp',
  'erea',
  'other',
] as const;
export type EstablishmentType = (typeof ESTABLISHMENT_TYPES)[number];

export const TYPE_LABELS: Record<EstablishmentType, string> = {
  ecole_maternelle: 'École maternelle',
  ecole_elementaire: 'École élémentaire',
  ecole_primaire: 'École primaire',
  college: 'Collège',
  lycee: 'Lycée général et technologique',
  lp: 'Lycée professionnel',
  erea: 'EREA',
  other: 'Autre',
};

export type Sector = 'public' | 'private' | 'unknown';
export type Rep = 'REP' | 'REP+' | 'none';
export type EstablishmentStatus = 'open' | 'closing' | 'closed';

/**
 * Enrolment levels. Disjoint except TOTAL: CP..CM2 and 6e..3e count pupils outside ULIS and SEGPA, which are
 * levels of their own; PRE is pre-school when the source does not split it into PS/MS/GS.
 */
export const LEVELS = [
  'PS',
  'MS',
  'GS',
  'PRE',
  'CP',
  'CE1',
  'CE2',
  'CM1',
  'CM2',
  'ULIS',
  '6e',
  '5e',
  '4e',
  '3e',
  'SEGPA',
  '2nde',
  '1re',
  'Tle',
  'TOTAL',
] as const;
export type Level = (typeof LEVELS)[number];

/** Restricts every query to what a user may see; fields combine with AND. Codes as in the annuaire. */
export interface DirectoryScope {
  academie?: string;
  departement?: string;
  uais?: string[];
}

export type DatasetName =
  | 'annuaire'
  | 'ecoles-effectifs'
  | 'college-effectifs'
  | 'effectifs-second-degre'
  | 'carte-scolaire'
  | 'territories'
  | 'ent-platforms'
  | 'roster';

export interface RejectedLine {
  file: string;
  /** Line number in the file, 1 = header. */
  line: number;
  reason: string;
}

export interface FileReport {
  file: string;
  /** undefined when the file could not be read or recognised (see error). */
  dataset: DatasetName | undefined;
  /** Data lines read. */
  rows: number;
  /** Rows of the dataset's main table (establishments, enrolments, map ranges, members …) by outcome. */
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: RejectedLine[];
  /** Things the user should know that did not stop the import (e.g. Latin-1 decoding). */
  warnings: string[];
  /** Set when the whole file was rejected; nothing of it was written. */
  error?: string;
}

/** Reported when a file starts (done = 0) and when it is finished, imported or not (done = total). */
export interface ImportProgress {
  file: string;
  /** Data lines processed so far and in total. */
  done: number;
  total: number;
}

export interface ImportReport {
  files: FileReport[];
  /** Rows now in the ClickHouse mirror (directory_establishments). */
  mirrored: number;
  sectorLinks: number;
}
