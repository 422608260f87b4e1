import { upsertRows } from '../sql.js';
import { type Dataset, required } from './dataset.js';

const columns = {
  departement: { names: ['code_departement'], required: true },
  departementInsee: { names: ['code_departement_insee'] },
  departementName: { names: ['libelle_departement'], required: true },
  academie: { names: ['code_academie'], required: true },
  academieName: { names: ['libelle_academie'], required: true },
  region: { names: ['code_region_academique'], required: true },
  regionName: { names: ['libelle_region_academique'] },
  zone: { names: ['zone_vacances'] },
} as const;
type Field = keyof typeof columns;

interface TerritoryLine {
  departement: unknown[];
  academie: unknown[];
  region: unknown[] | undefined;
}

/** reference/territories.csv: département → académie → région académique, with labels and holiday zone. */
export const territories: Dataset<Field, TerritoryLine> = {
  name: 'territories',
  signature: ['code_departement', 'code_academie', 'code_region_academique'],
  columns,
  parse(row) {
    const departement = required(row('departement'), 'code_departement');
    const academie = required(row('academie'), 'code_academie');
    const region = row('region');
    return {
      departement: [
        departement,
        row('departementInsee'),
        required(row('departementName'), 'libelle_departement'),
        academie,
      ],
      academie: [academie, required(row('academieName'), 'libelle_academie'), region, row('zone')],
      region: region === '' ? undefined : [region, row('regionName') || region],
    };
  },
  async write(exec, lines) {
    const regions = lines.flatMap((l) => (l.region ? [l.region] : []));
    await upsertRows(exec, 'regions', ['code', 'name'], ['code'], regions);
    await upsertRows(
      exec,
      'academies',
      ['code', 'name', 'region_code', 'holiday_zone'],
      ['code'],
      lines.map((l) => l.academie),
    );
    return upsertRows(
      exec,
      'departements',
      ['code', 'insee_code', 'name', 'academie_code'],
      ['code'],
      lines.map((l) => l.departement),
    );
  },
};
