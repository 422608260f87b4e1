import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDirectory } from '@ent-observatory/directory';
import { command } from '@ent-observatory/warehouse';
import { importDnma } from '../apps/api/src/dnma/import.js';
import { bundledFiles } from './support/directory.js';
import { testRoot } from './support/paths.js';
import { type TestServer, startServer } from './support/server.js';
import { type Session, errorCode, gql, signIn } from './support/session.js';

/** National DNMA figures beside ours through the GraphQL API (`filter.source: DNMA`). */
describe('source DNMA over GraphQL', () => {
  let server: TestServer;
  let admin: Session;
  const dir = (() => {
    mkdirSync(testRoot(), { recursive: true });
    return mkdtempSync(join(testRoot(), 'dnma-graphql-'));
  })();
  const week = 'from: "2025-09-22", to: "2025-09-28", source: DNMA';

  beforeAll(async () => {
    server = await startServer();
    await command(server.warehouse.client, 'TRUNCATE TABLE dnma_weekly');
    await importDirectory(server.store, server.warehouse, bundledFiles());
    admin = await signIn(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('says to import DNMA data first, then answers adoption and the map from it; other views refuse the source', async () => {
    const empty = await gql(server.url, admin, `{ adoption(filter: { ${week} }) { visits } }`);
    expect(errorCode(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.message).toBe(
      'source DNMA: no DNMA open data is loaded (npm run cli -- dnma:import <csv...>)',
    );

    // two published files as the portal exports them: a school of Ille-et-Vilaine (in our directory) and a collège of
    // Corse (not in it: codes from the labels), one week
    const profils = join(dir, 'fr-en-dnma-par-uai-profils.csv');
    writeFileSync(
      profils,
      'debutsemaine;uai;visites_globales;utilisateurs_globales;duree_globales;visites_eleve;utilisateurs_eleve;duree_eleve;' +
        'visites_parent;utilisateurs_parent;duree_parent;visites_enseignant;utilisateurs_enseignant;duree_enseignant;' +
        'visites_admin_vie_scol_tech;utilisateurs_admin_vie_scol_tech;duree_admin_vie_scol_tech;academie;departement;region\n' +
        '2025-09-22;0350122T;500;90;00:04:00;200;60;00:03:00;250;25;00:02:00;45;4;00:05:00;3;1;00:01:00;Rennes;Ille-et-Vilaine;Bretagne\n' +
        '2025-09-22;7200001A;1000;300;00:06:00;700;250;00:05:00;100;40;00:02:00;190;9;00:07:00;0;0;00:00:00;Corse;Corse-du-Sud;Corse\n',
    );
    const services = join(dir, 'fr-en-dnma-par-uai-services.csv');
    writeFileSync(
      services,
      'debutsemaine;uai;visites_courrier_electronique;utilisateurs_courrier_electronique;duree_courrier_electronique;' +
        'visites_services_vie_scolaire;utilisateurs_services_vie_scolaire;duree_services_vie_scolaire\n' +
        '2025-09-22;0350122T;120;30;00:01:00;80;20;00:01:00\n2025-09-22;7200001A;300;100;00:01:00;400;150;00:01:00\n',
    );
    const reports = await importDnma(server.store, server.warehouse, [profils, services]);
    expect(reports.map((r) => r.error ?? r.imported)).toEqual([2, 2]);

    const res = await gql<{
      adoption: {
        visits: number;
        users: number | null;
        suppressed: boolean;
        byProfile: { profile: string; visits: number }[];
        byService: { service: string; visits: number }[];
      };
      territoryView: { total: { visits: number }; rows: { code: string; name: string; visits: number }[] };
      rennes: { visits: number };
    }>(
      server.url,
      admin,
      `{ adoption(filter: { ${week} }) { visits users suppressed byProfile { profile visits } byService { service visits } }
         territoryView(filter: { ${week} }) { total { visits } rows { code name visits } }
         rennes: adoption(filter: { ${week}, academie: "14" }) { visits } }`,
    );
    expect(res.errors).toBeUndefined();
    const data = res.data;
    expect(data?.adoption).toMatchObject({ visits: 1500, users: null, suppressed: false });
    expect(data?.adoption.byProfile).toEqual([
      { profile: 'ELEVE', visits: 900 },
      { profile: 'PARENT', visits: 350 },
      { profile: 'ENSEIGNANT', visits: 235 },
      { profile: 'PERSONNEL', visits: 3 },
    ]);
    expect(data?.adoption.byService).toEqual([
      { service: 'services_vie_scolaire', visits: 480 },
      { service: 'courrier_electronique', visits: 420 },
    ]);
    expect(data?.rennes.visits).toBe(500);
    expect(data?.territoryView.total.visits).toBe(1500);
    expect(data?.territoryView.rows.filter((r) => r.visits > 0)).toEqual([
      { code: '53', name: 'Bretagne', visits: 500 },
      { code: '94', name: 'Corse', visits: 1000 },
    ]);

    // our own figures are still the default source (no statements here)
    const ours = await gql<{ adoption: { visits: number | null } }>(
      server.url,
      admin,
      '{ adoption(filter: { from: "2025-09-22", to: "2025-09-28" }) { visits } }',
    );
    expect(ours.data?.adoption.visits).toBeNull(); // 0 users: suppressed

    const equity = await gql(server.url, admin, `{ equityView(filter: { ${week} }) { distribution { median } } }`);
    expect(errorCode(equity)).toBe('BAD_USER_INPUT');
    expect(equity.errors?.[0]?.message).toContain(
      'source DNMA is available for adoption, overview and territoryView only',
    );
  });
});
