import type { Columns, Row } from '../csv.js';
import type { Level } from '../model.js';
import { upsertRows, type Exec } from '../sql.js';
import { type Dataset, optionalCount, requireUai, schoolYear } from './dataset.js';

/** [uai, school_year, level, pupils] */
type EnrolmentRow = [string, string, Level, number];

const ENROLMENT_COLUMNS = ['uai', 'school_year', 'level', 'pupils'] as const;

function writeEnrolments(exec: Exec, lines: EnrolmentRow[][]) {
  return upsertRows(exec, 'establishment_enrolments', ENROLMENT_COLUMNS, ['uai', 'school_year', 'level'], lines.flat());
}

/**
 * The enrolment rows of one line: one per level column present and non-empty (column sets differ between years,
 * so a level missing from a file is simply not stored).
 */
function levelRows<K extends string>(row: Row<K>, uai: string, year: string, levels: [K, Level, string][]) {
  const rows: EnrolmentRow[] = [];
  for (const [field, level, column] of levels) {
    const pupils = optionalCount(row(field), column);
    if (pupils !== null) rows.push([uai, year, level, pupils]);
  }
  return rows;
}

/** Builds a dataset whose lines are one establishment's pupils per level for one school year. */
function enrolmentDataset<K extends string>(
  name: Dataset<K, EnrolmentRow[]>['name'],
  signature: string[],
  columns: Columns<K | 'year' | 'uai'>,
  levels: [K, Level][],
): Dataset<K | 'year' | 'uai', EnrolmentRow[]> {
  const named = levels.map(([field, level]) => [field, level, columns[field].names[0] ?? field] as [K, Level, string]);
  return {
    name,
    signature,
    columns,
    parse(row) {
      const uai = requireUai(row('uai'), columns.uai.names[0]);
      const year = schoolYear(row('year'), columns.year.names[0] ?? 'year');
      return levelRows(row, uai, year, named);
    },
    write: writeEnrolments,
  };
}

/** fr-en-ecoles-effectifs-nb_classes: primary schools, pupils per level and rentrée. */
export const ecolesEffectifs = enrolmentDataset(
  'ecoles-effectifs',
  ["Numéro de l'école"],
  {
    year: { names: ['Rentrée scolaire'], required: true },
    uai: { names: ["Numéro de l'école"], required: true },
    total: { names: ["Nombre total d'élèves"] },
    pre: { names: ["Nombre d'élèves en pré-élémentaire hors ULIS"] },
    ulis: { names: ["Nombre d'élèves en ULIS"] },
    cp: { names: ["Nombre d'élèves en CP hors ULIS"] },
    ce1: { names: ["Nombre d'élèves en CE1 hors ULIS"] },
    ce2: { names: ["Nombre d'élèves en CE2 hors ULIS"] },
    cm1: { names: ["Nombre d'élèves en CM1 hors ULIS"] },
    cm2: { names: ["Nombre d'élèves en CM2 hors ULIS"] },
  },
  [
    ['total', 'TOTAL'],
    ['pre', 'PRE'],
    ['ulis', 'ULIS'],
    ['cp', 'CP'],
    ['ce1', 'CE1'],
    ['ce2', 'CE2'],
    ['cm1', 'CM1'],
    ['cm2', 'CM2'],
  ],
);

/**
 * fr-en-college-effectifs-niveau-sexe-lv: collèges, pupils per level (outside SEGPA/ULIS), SEGPA, ULIS. Its total
 * counts the collège classes only (a lycée polyvalent with collège classes has more pupils), so it is not stored
 * as TOTAL, which effectifs-second-degre gives for the whole establishment: the levels add up to it anyway.
 */
export const collegeEffectifs = enrolmentDataset(
  'college-effectifs',
  ['Numéro du collège'],
  {
    year: { names: ['Rentrée scolaire'], required: true },
    uai: { names: ['Numéro du collège'], required: true },
    segpa: { names: ["Nombre d'élèves total Segpa"] },
    ulis: { names: ["Nombre d'élèves total ULIS"] },
    l6: { names: ['Nombre de 6èmes hors Segpa hors ULIS'] },
    l5: { names: ['Nombre de 5èmes hors Segpa hors ULIS'] },
    l4: { names: ['Nombre de 4èmes hors Segpa hors ULIS'] },
    l3: { names: ['Nombre de 3èmes hors Segpa hors ULIS'] },
  },
  [
    ['segpa', 'SEGPA'],
    ['ulis', 'ULIS'],
    ['l6', '6e'],
    ['l5', '5e'],
    ['l4', '4e'],
    ['l3', '3e'],
  ],
);

/** fr-en-effectifs-second-degre: collèges and lycées, total pupils per school year. */
export const effectifsSecondDegre = enrolmentDataset(
  'effectifs-second-degre',
  ['Numero_d_etablissement', 'Annee_scolaire'],
  {
    year: { names: ['Annee_scolaire'], required: true },
    uai: { names: ['Numero_d_etablissement'], required: true },
    total: { names: ['Nombre_d_eleves'], required: true },
  },
  [['total', 'TOTAL']],
);
