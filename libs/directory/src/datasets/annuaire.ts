import type { Columns } from '../csv.js';
import { foldText } from '../csv.js';
import { establishmentType, repOf, sectorOf, statusOf } from '../establishment-type.js';
import { upsertRows, type Exec } from '../sql.js';
import { type Dataset, LineRejected, optionalCount, optionalDecimal, required, requireUai } from './dataset.js';

const columns = {
  uai: { names: ['Identifiant_de_l_etablissement'], required: true },
  name: { names: ['Nom_etablissement'], required: true },
  type: { names: ['Type_etablissement'], required: true },
  nature: { names: ['code_nature'] },
  natureLabel: { names: ['libelle_nature'] },
  sector: { names: ['Statut_public_prive'], required: true },
  address: { names: ['Adresse_1'] },
  postalCode: { names: ['Code_postal', 'Code postal'] },
  communeCode: { names: ['Code_commune'], required: true },
  communeName: { names: ['Nom_commune'] },
  departement: { names: ['Code_departement'], required: true },
  departementName: { names: ['Libelle_departement'] },
  academie: { names: ['Code_academie'], required: true },
  academieName: { names: ['Libelle_academie'] },
  region: { names: ['Code_region'] },
  regionName: { names: ['Libelle_region'] },
  maternelle: { names: ['Ecole_maternelle'] },
  elementaire: { names: ['Ecole_elementaire'] },
  rep: { names: ['Appartenance_Education_Prioritaire'] },
  pupils: { names: ['Nombre_d_eleves'] },
  latitude: { names: ['latitude'] },
  longitude: { names: ['longitude'] },
  circonscription: { names: ['nom_circonscription'] },
  bassinCode: { names: ['code_bassin_formation'] },
  bassinName: { names: ['libelle_bassin_formation'] },
  status: { names: ['etat'] },
} satisfies Columns<string>;
type Field = keyof typeof columns;

interface AnnuaireLine {
  establishment: unknown[];
  annex: boolean;
  commune: [string, string, string];
  departement: [string, string, string];
  academie: [string, string, string];
  region: [string, string];
}

const ESTABLISHMENT_COLUMNS = [
  'uai',
  'name',
  'search_name',
  'type',
  'raw_type',
  'nature_code',
  'nature_label',
  'sector',
  'rep',
  'address',
  'postal_code',
  'commune_code',
  'commune_name',
  'departement_code',
  'academie_code',
  'region_code',
  'latitude',
  'longitude',
  'circonscription',
  'bassin_code',
  'bassin_name',
  'pupils',
  'status',
] as const;

/** fr-en-annuaire-education: one line per establishment (a few establishments have one line per site). */
export const annuaire: Dataset<Field, AnnuaireLine> = {
  name: 'annuaire',
  signature: ['Identifiant_de_l_etablissement', 'Nom_etablissement'],
  columns,
  parse(row) {
    const uai = requireUai(row('uai'), 'Identifiant_de_l_etablissement');
    const name = required(row('name'), 'Nom_etablissement');
    const sector = sectorOf(row('sector'));
    if (!sector) throw new LineRejected(`unknown Statut_public_prive "${row('sector')}" (expected Public or Privé)`);
    const rep = repOf(row('rep'));
    if (!rep) throw new LineRejected(`unknown Appartenance_Education_Prioritaire "${row('rep')}" (REP, REP+ or empty)`);
    const status = statusOf(row('status'));
    if (!status) throw new LineRejected(`unknown etat "${row('status')}" (OUVERT, A FERMER or FERME)`);
    const type = establishmentType({
      type: row('type'),
      nature: row('nature'),
      maternelle: row('maternelle'),
      elementaire: row('elementaire'),
    });
    const departement = required(row('departement'), 'Code_departement');
    const academie = required(row('academie'), 'Code_academie');
    const communeCode = required(row('communeCode'), 'Code_commune');
    return {
      establishment: [
        uai,
        name,
        foldText(name),
        type,
        row('type'),
        row('nature'),
        row('natureLabel'),
        sector,
        rep,
        row('address'),
        row('postalCode'),
        communeCode,
        row('communeName'),
        departement,
        academie,
        row('region'),
        optionalDecimal(row('latitude'), 'latitude'),
        optionalDecimal(row('longitude'), 'longitude'),
        row('circonscription'),
        row('bassinCode'),
        row('bassinName'),
        optionalCount(row('pupils'), 'Nombre_d_eleves'),
        status,
      ],
      annex: /\bannexe\b/i.test(name),
      commune: [communeCode, row('communeName') || communeCode, departement],
      departement: [departement, row('departementName') || departement, academie],
      academie: [academie, row('academieName') || academie, row('region')],
      region: [row('region'), row('regionName') || row('region')],
    };
  },
  async write(exec, lines) {
    // An establishment with several sites has several lines: keep its main site's (last non-annex line).
    const ordered = [...lines].sort((a, b) => Number(b.annex) - Number(a.annex));
    const sites = lines.length - new Set(lines.map((l) => l.establishment[0])).size;
    await writeTerritories(exec, lines);
    const counts = await upsertRows(
      exec,
      'establishments',
      ESTABLISHMENT_COLUMNS,
      ['uai'],
      ordered.map((l) => l.establishment),
      { touch: 'updated_at' },
    );
    const warnings =
      sites > 0 ? [`${sites} line(s) repeat a UAI (one line per site): the main site's line is kept`] : [];
    return { ...counts, warnings };
  },
};

/**
 * Territories named by the annuaire, added only when missing: territories.csv, when imported, is the reference
 * for labels; the annuaire makes the tree usable without it.
 */
async function writeTerritories(exec: Exec, lines: AnnuaireLine[]): Promise<void> {
  const insertMissing = (table: string, cols: string[], rows: unknown[][]) =>
    upsertRows(exec, table, cols, ['code'], rows, { keepExisting: true });
  await insertMissing(
    'regions',
    ['code', 'name'],
    lines.map((l) => l.region).filter((r) => r[0] !== ''),
  );
  await insertMissing(
    'academies',
    ['code', 'name', 'region_code'],
    lines.map((l) => l.academie),
  );
  await insertMissing(
    'departements',
    ['code', 'name', 'academie_code'],
    lines.map((l) => l.departement),
  );
  await insertMissing(
    'communes',
    ['code', 'name', 'departement_code'],
    lines.map((l) => l.commune),
  );
}
