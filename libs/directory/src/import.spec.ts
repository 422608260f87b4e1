import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, migrateStore, openStore } from '@ent-observatory/store';
import { type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { BUNDLED_DIR, bundledFiles, resetDirectory } from '../../../test/support/directory.js';
import { storeModes } from '../../../test/support/store.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { importDirectory } from './import.js';
import { DIRECTORY_TABLES } from './mirror.js';
import type { ImportReport } from './model.js';
import { inTransaction, upsertRows } from './sql.js';

const tmp = mkdtempSync(join(tmpdir(), 'directory-import-'));
function file(name: string, content: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}
const bundled = (name: string) => readFileSync(join(BUNDLED_DIR, name), 'utf8');

/**
 * Expected numbers computed from the files with awk, independently of the importer, e.g. for the types:
 *   awk -F';' 'NR==1{for(i=1;i<=NF;i++)h[$i]=i;next} !seen[$1]++{t=$h["Type_etablissement"]; n=$h["code_nature"];
 *     m=$h["Ecole_maternelle"]; e=$h["Ecole_elementaire"]; if(t=="Ecole") k=(m=="1"&&e=="1")?"primaire":(m=="1"?
 *     "maternelle":"elementaire"); else if(t=="Collège")k="college"; else if(t=="EREA")k="erea"; else if(t=="Lycée")
 *     k=(n=="320"||n=="334")?"lp":"lycee"; else k="other"; c[k]++} END{for(k in c)print k,c[k]}' <annuaire>.csv
 */
const ILLE_ET_VILAINE = {
  ecole_maternelle: 112,
  ecole_elementaire: 119,
  ecole_primaire: 454,
  college: 116,
  lycee: 41,
  lp: 43,
  erea: 2,
  other: 106,
};
const VAL_DE_MARNE = { ecole_maternelle: 306, ecole_elementaire: 270, ecole_primaire: 37 };

// chdb opens one data directory once per process: one warehouse for both store modes.
let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await freshWarehouse();
});
afterAll(async () => {
  await warehouse.client.close();
});

describe.each(storeModes())('directory import on %s', (_name, config) => {
  let store: Store;
  let first: ImportReport;
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await store.query<{ n: number }>(sql, params))[0]?.n);

  beforeAll(async () => {
    store = await openStore(config);
    await migrateStore(store);
    await resetDirectory(store, warehouse);
    first = await importDirectory(store, warehouse, bundledFiles());
  });
  afterAll(async () => {
    await store.close();
  });

  async function typeCounts(departement: string): Promise<Record<string, number>> {
    const rows = await store.query<{ type: string; n: number }>(
      'SELECT type, count(*)::int AS n FROM establishments WHERE departement_code = $1 GROUP BY type',
      [departement],
    );
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  }

  it('recognises every bundled file and rejects none of their lines', () => {
    expect(first.files.map((f) => [f.file.split('/').pop(), f.dataset, f.error, f.rejected.length])).toEqual([
      ['ent-platforms.csv', 'ent-platforms', undefined, 0],
      ['ille-et-vilaine-annuaire-education.csv', 'annuaire', undefined, 0],
      ['ille-et-vilaine-carte-scolaire-colleges-publics.csv', 'carte-scolaire', undefined, 0],
      ['ille-et-vilaine-college-effectifs-niveau-sexe-lv.csv', 'college-effectifs', undefined, 0],
      ['ille-et-vilaine-ecoles-effectifs-nb_classes.csv', 'ecoles-effectifs', undefined, 0],
      ['ille-et-vilaine-effectifs-second-degre.csv', 'effectifs-second-degre', undefined, 0],
      ['rosters-illustratifs.csv', 'roster', undefined, 0],
      ['territories.csv', 'territories', undefined, 0],
      ['val-de-marne-annuaire-education.csv', 'annuaire', undefined, 0],
    ]);
  });

  it('counts the establishments of each type in Ille-et-Vilaine and Val-de-Marne', async () => {
    expect(await typeCounts('035')).toEqual(ILLE_ET_VILAINE);
    expect(await typeCounts('094')).toEqual(VAL_DE_MARNE);
    // 996 lines, 3 establishments with two sites (awk: !seen[$1]++ counts 993 UAIs)
    expect(first.files[1]?.rows).toBe(996);
    expect(first.files[1]?.inserted).toBe(993);
  });

  it('keeps priority education, sector and territory of each establishment', async () => {
    // awk -F';' '{print $38}' | sort | uniq -c → REP 50, REP+ 6 (Ille-et-Vilaine); REP 185, REP+ 22 (Val-de-Marne)
    expect(
      await count(`SELECT count(*)::int AS n FROM establishments WHERE rep = 'REP+' AND departement_code = '094'`),
    ).toBe(22);
    expect(
      await count(`SELECT count(*)::int AS n FROM establishments WHERE rep = 'REP' AND departement_code = '035'`),
    ).toBe(50);
    const [school] = await store.query<Record<string, unknown>>(
      `SELECT name, type, sector, academie_code, region_code, commune_name, pupils, status FROM establishments WHERE uai = '0350122T'`,
    );
    expect(school).toEqual({
      name: 'Ecole primaire publique les Lucioles',
      type: 'ecole_primaire',
      sector: 'public',
      academie_code: '14',
      region_code: '53',
      commune_name: 'Baulon',
      pupils: 143,
      status: 'open',
    });
  });

  it("stores a school's enrolment per year and level", async () => {
    // 2021;…;0350122T;…: CP 18, CE1 19, CE2 19, CM1 21, CM2 13, pre-school 53, total 143
    const rows = await store.query<{ level: string; pupils: number }>(
      `SELECT level, pupils FROM establishment_enrolments WHERE uai = '0350122T' AND school_year = '2021-2022' ORDER BY level`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.level, r.pupils]))).toEqual({
      CP: 18,
      CE1: 19,
      CE2: 19,
      CM1: 21,
      CM2: 13,
      PRE: 53,
      ULIS: 0,
      TOTAL: 143,
    });
    // 2019;…;0351906G (collège Bourgchevreuil): 6e hors SEGPA/ULIS 153, ULIS 11
    expect(
      await count(
        `SELECT pupils AS n FROM establishment_enrolments WHERE uai = '0351906G' AND school_year = '2019-2020' AND level = '6e'`,
      ),
    ).toBe(153);
  });

  it("links primary schools to their commune's sector collège, or by street in a mapped city", async () => {
    const sector = (uai: string) =>
      store.query<{ college_uai: string; method: string }>(
        'SELECT college_uai, method FROM sector_colleges WHERE school_uai = $1',
        [uai],
      );
    // Acigné (35001) has a single sector: 53;…;35001;Acigné;…;0352167R;O
    expect(await sector('0350103X')).toEqual([{ college_uai: '0352167R', method: 'commune' }]);
    // Rennes is mapped by street: …;35238;Rennes;;RUE GINGUENE;1;;9999;;PI;0350033W;N — school at 38 rue Ginguene
    expect(await sector('0350639E')).toEqual([{ college_uai: '0350033W', method: 'street' }]);
    expect(await sector('0940176F')).toEqual([]); // Val-de-Marne has no school map bundled
  });

  it('mirrors every establishment into ClickHouse', async () => {
    const rows = await queryRows<{ departement: string; n: string | number }>(
      warehouse.client,
      `SELECT departement, count() AS n FROM ${DIRECTORY_TABLES.establishments} FINAL GROUP BY departement ORDER BY departement`,
    );
    expect(rows.map((r) => [r.departement, Number(r.n)])).toEqual([
      ['035', 993],
      ['094', 613],
    ]);
    expect(first.mirrored).toBe(1606);
  });

  it('imports twice without duplicating anything, and applies a changed value', async () => {
    const before = await count('SELECT count(*)::int AS n FROM establishment_enrolments');
    const again = await importDirectory(store, warehouse, bundledFiles());
    expect(again.files.map((f) => f.inserted + f.updated)).toEqual(again.files.map(() => 0));
    expect(await count('SELECT count(*)::int AS n FROM establishments')).toBe(1606);
    expect(await count('SELECT count(*)::int AS n FROM establishment_enrolments')).toBe(before);

    const changed = bundled('ille-et-vilaine-annuaire-education.csv').replace(
      'Ecole primaire publique les Lucioles',
      'Ecole primaire publique Les Lucioles de Baulon',
    );
    const report = await importDirectory(store, warehouse, [file('annuaire-changed.csv', changed)]);
    expect(report.files[0]).toMatchObject({ inserted: 0, updated: 1, unchanged: 992 });
    expect(await count(`SELECT count(*)::int AS n FROM establishments WHERE name LIKE '%Lucioles de Baulon'`)).toBe(1);
    const [mirrored] = await queryRows<{ name: string }>(
      warehouse.client,
      `SELECT name FROM ${DIRECTORY_TABLES.establishments} FINAL WHERE uai = '0350122T'`,
    );
    expect(mirrored?.name).toBe('Ecole primaire publique Les Lucioles de Baulon');
  });

  it('rejects a file missing a required column, naming it, and writes nothing of it', async () => {
    const header =
      'Identifiant_de_l_etablissement;Nom_etablissement;Statut_public_prive;Code_commune;Code_departement;Code_academie';
    const path = file('no-type.csv', `${header}\n0359999Z;Ecole test;Public;35238;035;14\n`);
    const report = await importDirectory(store, warehouse, [path]);
    expect(report.files[0]?.dataset).toBe('annuaire');
    expect(report.files[0]?.error).toBe('missing required column(s) "Type_etablissement" for dataset annuaire');
    expect(await count(`SELECT count(*)::int AS n FROM establishments WHERE uai = '0359999Z'`)).toBe(0);
  });

  it('rejects a file it does not recognise', async () => {
    const report = await importDirectory(store, warehouse, [file('other.csv', 'a;b\n1;2\n')]);
    expect(report.files[0]?.error).toMatch(/^unrecognised header: expected the columns of one of annuaire/);
  });

  it('reports each bad line with its number and reason, and keeps the valid lines', async () => {
    const header = bundled('ille-et-vilaine-ecoles-effectifs-nb_classes.csv').split('\r\n')[0];
    const lines = [
      header,
      '2023;BRETAGNE;RENNES;ILLE-ET-VILAINE;BAULON;0350122T;ECOLE;LES LUCIOLES;PUBLIC;0;0;7;150;50;100;0;20;20;20;20;20;x;35580',
      '2023;BRETAGNE;RENNES;ILLE-ET-VILAINE;BAULON;;ECOLE;SANS UAI;PUBLIC;0;0;7;150;50;100;0;20;20;20;20;20;x;35580',
      '2023;BRETAGNE;RENNES;ILLE-ET-VILAINE;CARDROC;0350165P;ECOLE;CARDROC;PUBLIC;0;0;3;douze;0;12;0;2;2;2;3;3;x;35190',
      '2023-2025;BRETAGNE;RENNES;ILLE-ET-VILAINE;CARDROC;0350165P;ECOLE;CARDROC;PUBLIC;0;0;3;12;0;12;0;2;2;2;3;3;x;35190',
    ];
    const path = file('bad-lines.csv', `${lines.join('\r\n')}\r\n`);
    const report = await importDirectory(store, warehouse, [path]);
    expect(report.files[0]?.rejected).toEqual([
      { file: path, line: 3, reason: "missing Numéro de l'école" },
      { file: path, line: 4, reason: `bad number in Nombre total d'élèves: "douze"` },
      { file: path, line: 5, reason: 'bad school year in Rentrée scolaire: "2023-2025" (expected 2024 or 2024-2025)' },
    ]);
    expect(
      await count(
        `SELECT pupils AS n FROM establishment_enrolments WHERE uai = '0350122T' AND school_year = '2023-2024' AND level = 'TOTAL'`,
      ),
    ).toBe(150);
  });

  it('reports an unknown level in a roster', async () => {
    const roster =
      'uai;classe;niveau;annee_scolaire;membre;role\n0350122T;CM3;CM3;2025-2026;el-1;eleve\n0350122T;CE1;CE1;2025-2026;el-2;eleve\n';
    const report = await importDirectory(store, warehouse, [file('roster.csv', roster)]);
    expect(report.files[0]?.rejected.map((r) => [r.line, r.reason.split(' (')[0]])).toEqual([
      [2, 'unknown level "CM3"'],
    ]);
    expect(report.files[0]?.inserted).toBe(1);
  });

  it('imports a Latin-1 file and warns that it was not UTF-8', async () => {
    const header =
      bundled('val-de-marne-annuaire-education.csv')
        .split('\r\n')[0]
        ?.replace(/^\uFEFF/, '') ?? '';
    const line = bundled('val-de-marne-annuaire-education.csv')
      .split('\r\n')[1]
      ?.replace('0940176F', '0949999Z')
      .replace('Ecole élémentaire Robert Doisneau', 'École élémentaire Éléonore');
    const report = await importDirectory(store, warehouse, [
      file('latin1.csv', Buffer.from(`${header}\n${line}\n`, 'latin1')),
    ]);
    expect(report.files[0]?.warnings).toEqual([
      'latin1.csv is not valid UTF-8: decoded as Latin-1 (ISO-8859-1); check the accents',
    ]);
    const [row] = await store.query<{ name: string; departement_code: string }>(
      `SELECT name, departement_code FROM establishments WHERE uai = '0949999Z'`,
    );
    expect(row).toEqual({ name: 'École élémentaire Éléonore', departement_code: '094' });
  });

  it('reports a file that cannot be read', async () => {
    const report = await importDirectory(store, warehouse, [join(tmp, 'missing.csv')]);
    expect(report.files[0]?.error).toMatch(/^cannot read .*missing\.csv: ENOENT/);
  });

  it('writes nothing of a file when its transaction fails', async () => {
    await expect(
      inTransaction(store, async (exec) => {
        await upsertRows(exec, 'ent_platforms', ['id', 'name'], ['id'], [['half-written', 'Half']]);
        throw new Error('the process died here');
      }),
    ).rejects.toThrow('the process died here');
    expect(await count(`SELECT count(*)::int AS n FROM ent_platforms WHERE id = 'half-written'`)).toBe(0);
  });
});
