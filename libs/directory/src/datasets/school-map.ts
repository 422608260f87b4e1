import { upsertRows } from '../sql.js';
import { type Dataset, LineRejected, optionalCount, required, requireUai } from './dataset.js';

const columns = {
  commune: { names: ['code_insee'], required: true },
  communeName: { names: ['libelle_commune'] },
  departement: { names: ['code_departement'] },
  locality: { names: ['lieu_dit'] },
  street: { names: ['Type_et_Libelle'] },
  from: { names: ['No_de_voie_debut'] },
  suffixFrom: { names: ['Indice_de_repetition_debut'] },
  to: { names: ['No_de_voie_fin'] },
  suffixTo: { names: ['Indice_de_repetition_fin'] },
  parity: { names: ['Parite'] },
  college: { names: ['Code_RNE'], required: true },
  single: { names: ['Secteur_unique'], required: true },
} as const;
type Field = keyof typeof columns;

interface MapLine {
  map: unknown[];
  commune: [string, string, string];
}

const MAP_COLUMNS = [
  'commune_code',
  'locality',
  'street',
  'number_from',
  'suffix_from',
  'number_to',
  'suffix_to',
  'parity',
  'college_uai',
  'single_sector',
  'departement_code',
] as const;
const MAP_KEY = MAP_COLUMNS.slice(0, 9);

/** fr-en-carte-scolaire-colleges-publics: which public collège serves a commune, or a street range of it. */
export const schoolMap: Dataset<Field, MapLine> = {
  name: 'carte-scolaire',
  signature: ['Code_RNE', 'code_insee'],
  columns,
  parse(row) {
    const commune = required(row('commune'), 'code_insee');
    const college = requireUai(row('college'), 'Code_RNE');
    const single = row('single').toUpperCase();
    if (single !== 'O' && single !== 'N') throw new LineRejected(`Secteur_unique must be O or N, not "${single}"`);
    const parity = row('parity').toUpperCase();
    if (!['', 'P', 'I', 'PI'].includes(parity)) throw new LineRejected(`Parite must be P, I or PI, not "${parity}"`);
    return {
      map: [
        commune,
        row('locality'),
        row('street'),
        optionalCount(row('from'), 'No_de_voie_debut') ?? 0,
        row('suffixFrom'),
        optionalCount(row('to'), 'No_de_voie_fin') ?? 0,
        row('suffixTo'),
        parity,
        college,
        single === 'O',
        row('departement'),
      ],
      commune: [commune, row('communeName') || commune, row('departement')],
    };
  },
  async write(exec, lines) {
    await upsertRows(
      exec,
      'communes',
      ['code', 'name', 'departement_code'],
      ['code'],
      lines.map((l) => l.commune),
      { keepExisting: true },
    );
    return upsertRows(
      exec,
      'school_map',
      MAP_COLUMNS,
      MAP_KEY,
      lines.map((l) => l.map),
    );
  },
};
