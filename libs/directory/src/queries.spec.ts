import { type Store, migrateStore, openStore } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import { bundledFiles, resetDirectory } from '../../../test/support/directory.js';
import { storeModes } from '../../../test/support/store.js';
import { freshWarehouse } from '../../../test/support/warehouse.js';
import { classMembers, classesOf } from './classes.js';
import { establishment, searchEstablishments, searchWords } from './establishments.js';
import { importDirectory } from './import.js';
import type { DirectoryScope } from './model.js';
import { loadDirectorySnapshot } from './snapshot.js';
import { inTransaction } from './sql.js';
import { territoryTree } from './territory-tree.js';

const RENNES: DirectoryScope = { academie: '14' };
const CRETEIL: DirectoryScope = { academie: '24' };

// chdb opens one data directory once per process: one warehouse for both store modes.
let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await freshWarehouse();
});
afterAll(async () => {
  await warehouse.client.close();
});

describe.each(storeModes())('directory queries on %s', (_name, config) => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(config);
    await migrateStore(store);
    await resetDirectory(store, warehouse);
    await importDirectory(store, warehouse, bundledFiles());
  });
  afterAll(async () => {
    await store.close();
  });

  it('builds the territory tree with counts by type, and a Rennes scope sees Ille-et-Vilaine only', async () => {
    const national = await territoryTree(store);
    const bretagne = national.find((r) => r.code === '53');
    const idf = national.find((r) => r.code === '11');
    expect(bretagne?.academies.map((a) => a.name)).toEqual(['Rennes']);
    expect(idf?.academies.find((a) => a.code === '24')?.establishments).toBe(613);
    const rennes = await territoryTree(store, RENNES);
    expect(rennes.map((r) => r.code)).toEqual(['53']);
    const departements = rennes[0]?.academies[0]?.departements ?? [];
    // territories.csv puts 022, 029, 035, 056 in the académie de Rennes; only 035 has bundled establishments
    expect(departements.map((d) => [d.code, d.establishments])).toEqual([
      ['022', 0],
      ['029', 0],
      ['035', 993],
      ['056', 0],
    ]);
    expect(departements[2]?.byType.college).toBe(116);
    expect(departements[2]?.pupils).toBeGreaterThan(100_000);
    expect(JSON.stringify(rennes)).not.toContain('Val-de-Marne');
  });

  it('limits a UAI scope to its establishments', async () => {
    const tree = await territoryTree(store, { uais: ['0350122T', '0350165P'] });
    expect(tree.flatMap((r) => r.academies.flatMap((a) => a.departements))).toMatchObject([
      { code: '035', establishments: 2, byType: { ecole_primaire: 1, ecole_elementaire: 1 } },
    ]);
  });

  it('searches names without regard to accents or case, with filters and paging', async () => {
    const found = await searchEstablishments(store, { text: 'ÉCOLE élémentaire robert DOISNEAU' });
    expect(found.items.map((e) => [e.uai, e.name])).toEqual([['0940176F', 'Ecole élémentaire Robert Doisneau']]);
    const rep = await searchEstablishments(store, { departement: '094', rep: 'REP+', limit: 5 });
    expect(rep.total).toBe(22);
    expect(rep.items).toHaveLength(5);
    const next = await searchEstablishments(store, { departement: '094', rep: 'REP+', limit: 5, offset: 5 });
    expect(next.items.map((e) => e.uai)).not.toContain(rep.items[0]?.uai);
    const colleges = await searchEstablishments(store, { commune: 'noyal-sur-vilaine', type: 'college' });
    expect(colleges.items.map((e) => e.uai)).toContain('0352167R');
    expect((await searchEstablishments(store, { commune: '35207', type: 'college' })).total).toBe(colleges.total);
    expect((await searchEstablishments(store, { uai: '0350122t' })).total).toBe(1);
  });

  it('ranks the names that match the words best first, and finds a name with a typo in it', async () => {
    const lycees = await searchEstablishments(store, { text: 'lycée rennes', limit: 200 });
    expect(lycees.total).toBeGreaterThan(1);
    // the ranking puts names matching the whole phrase first: no later name is a better match than an earlier one
    const names = lycees.items.map((e) => e.name.toLowerCase());
    expect(names.every((n) => n.includes('lyc') && n.includes('rennes'))).toBe(true);
    // nothing has "doisnau" in its name: the closest names come instead of an empty page
    const typo = await searchEstablishments(store, { text: 'robert doisnau' });
    expect(typo.items.map((e) => e.uai)).toContain('0940176F');
    expect(typo.items.every((e) => /doisneau/i.test(e.name))).toBe(true);
    expect((await searchEstablishments(store, { text: 'zzqqxw' })).total).toBe(0);
  });

  it('bounds a search to 8 words and 100 characters instead of one condition per word', () => {
    expect(searchWords('École  élémentaire, Robert-Doisneau')).toEqual(['ecole', 'elementaire', 'robert', 'doisneau']);
    expect(() => searchWords('mot '.repeat(10_000))).toThrow(RangeError);
    expect(() => searchWords('a b c d e f g h i')).toThrow(RangeError);
  });

  it('searches names through the trigram index of migration 040', async () => {
    const plan = await inTransaction(store, async (exec) => {
      // On a table this small the planner scans it whole; what matters is that the index can serve the search.
      await exec('SET LOCAL enable_seqscan = off');
      const rows = await exec<{ 'QUERY PLAN': string }>(
        "EXPLAIN SELECT uai FROM establishments e WHERE e.search_name LIKE '%doisneau%' AND e.search_name LIKE '%robert%'",
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('establishments_search_name_trgm');
  });

  it('searches within the scope only', async () => {
    // "Robert Doisneau" names two primary schools in Ille-et-Vilaine and one in Val-de-Marne
    const doisneau = async (scope: DirectoryScope) =>
      (await searchEstablishments(store, { text: 'doisneau' }, scope)).items.map((e) => e.departement);
    expect(await doisneau(RENNES)).toEqual(['035', '035']);
    expect(await doisneau(CRETEIL)).toEqual(['094']);
    expect(await doisneau({ departement: '094', uais: ['0940176F', '0352433E'] })).toEqual(['094']);
    expect((await searchEstablishments(store, {}, { uais: [] })).total).toBe(0);
  });

  it('details a primary school: territory labels, enrolments, sector collège, platform and classes', async () => {
    const school = await establishment(store, '0350103X');
    expect(school).toMatchObject({
      name: 'Ecole élémentaire publique le Chevré',
      type: 'ecole_elementaire',
      departement: '035',
      departementName: 'Ille-et-Vilaine',
      academie: '14',
      academieName: 'Rennes',
      region: '53',
      regionName: 'Bretagne',
      platform: 'toutatice',
      platformName: 'Toutatice',
      sectorColleges: [{ uai: '0352167R', type: 'college', method: 'commune' }],
      feederSchools: [],
    });
    expect(school?.enrolments.filter((e) => e.schoolYear === '2022-2023').map((e) => e.level)).toEqual([
      'PRE',
      'CP',
      'CE1',
      'CE2',
      'CM1',
      'CM2',
      'ULIS',
      'TOTAL',
    ]);
    const lucioles = await establishment(store, '0350122T');
    expect(lucioles?.classes.map((c) => [c.name, c.kind, c.pupils, c.teachers])).toEqual([
      ['CM1-CM2 A', 'class', 24, 1],
      ['CP', 'class', 21, 1],
    ]);
  });

  it('details a collège with its feeder schools, and hides an establishment outside the scope', async () => {
    const college = await establishment(store, '0352167R');
    expect(college?.feederSchools.map((s) => s.uai)).toContain('0350103X');
    expect(college?.sectorColleges).toEqual([]);
    expect(await establishment(store, '0352167R', CRETEIL)).toBeUndefined();
    expect(await establishment(store, '0940176F', CRETEIL)).toMatchObject({ platform: 'ent-val-de-marne-illustratif' });
  });

  it('lists classes and their members within the scope', async () => {
    const classes = await classesOf(store, '0351906G');
    expect(classes.map((c) => [c.name, c.level, c.kind])).toEqual([
      ['6e B', '6e', 'class'],
      ['Latin 5e', '5e', 'group'],
    ]);
    const members = await classMembers(store, classes[0]?.id ?? '');
    expect(members.filter((m) => m.role === 'teacher').map((m) => m.memberId)).toEqual([
      'ens-0351906g-01',
      'ens-0351906g-02',
    ]);
    expect(members.filter((m) => m.role === 'pupil')).toHaveLength(27);
    expect(members[0]?.role).toBe('teacher');
    expect(await classesOf(store, '0351906G', CRETEIL)).toEqual([]);
    expect(await classMembers(store, classes[0]?.id ?? '', { uais: ['0350122T'] })).toEqual([]);
  });

  it('loads the directory snapshot used for enrichment at ingest', async () => {
    const snapshot = await loadDirectorySnapshot(store);
    expect(snapshot.size).toBe(1606);
    expect(snapshot.get('0940176F')).toMatchObject({
      academie: '24',
      departement: '094',
      region: '11',
      sector: 'public',
      type: 'ecole_elementaire',
      platform: 'ent-val-de-marne-illustratif',
    });
  });
});
