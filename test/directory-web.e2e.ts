/// <reference lib="dom" />
import { importDirectory } from '@ent-observatory/directory';
import { UserRepository } from '@ent-observatory/store';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, signInThroughForm } from './support/browser.js';
import { look } from './support/accessibility.js';
import { bundledFiles } from './support/directory.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer, basicAuth, startServer, xapiHeaders } from './support/server.js';
import { makeStatement } from './support/statements.js';

const RENNES = { email: 'rectorat.rennes@web.test', password: 'rennes-web-password' };
const HEAD = { email: 'principal@web.test', password: 'principal-web-password' };
const COLLEGE = '0352167R';

describe('directory and administration in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  const count = async (sql: string) => Number((await server.store.query<{ n: number }>(sql))[0]?.n);
  const newPage = () =>
    browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });

  beforeAll(async () => {
    server = await startServer();
    await importDirectory(server.store, server.warehouse, bundledFiles());
    const users = new UserRepository(server.store.db);
    await users.ensure({ ...RENNES, displayName: 'Rectorat de Rennes', roles: [{ role: 'academy', scope: '14' }] });
    await users.ensure({ ...HEAD, displayName: 'Principal', roles: [{ role: 'establishment', scope: COLLEGE }] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the Rennes academy user Ille-et-Vilaine establishments and refuses Créteil ones', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/territoires`);
    await signInThroughForm(page, RENNES.email, RENNES.password);
    // the directory's territories of their scope (they land on the observatory of their académie)
    await page.getByRole('heading', { level: 1, name: 'Territoires' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/territoires');
    await page.getByRole('rowheader', { name: 'Académie de Rennes' }).waitFor();
    await expect(page.getByRole('rowheader', { name: /Créteil/ }).count()).resolves.toBe(0);
    await look(page, 'territoires-rennes');

    await page.getByRole('link', { name: /Ille-et-Vilaine \(035\)/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Établissements' }).waitFor();
    const inRennes = await count("SELECT count(*)::int AS n FROM establishments WHERE departement_code = '035'");
    await expect(page.getByTestId('result-count').textContent()).resolves.toBe(
      `${new Intl.NumberFormat('fr-FR').format(inRennes)} établissements`,
    );
    expect(new URL(page.url()).search).toBe('?departement=035');

    // search by commune and type, kept in the URL
    await page.getByLabel('Commune').fill('Rennes');
    await page.getByLabel('Type').selectOption('college');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page
      .getByRole('cell', { name: /Collège/ })
      .first()
      .waitFor();
    expect(new URL(page.url()).searchParams.get('commune')).toBe('Rennes');
    await look(page, 'etablissements-recherche');

    // a Créteil school: refused by the API, said so in French
    await page.goto(`${server.url}/etablissements/0940176F`);
    await page.getByText('Ces données sont hors de votre périmètre').waitFor();
    await look(page, 'etablissement-refuse');
    await page.close();
  });

  it('opens a head of school on their collège, with enrolments and the schools of its sector', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/etablissements/${COLLEGE}`);
    await signInThroughForm(page, HEAD.email, HEAD.password);
    const name = (
      await server.store.query<{ name: string }>('SELECT name FROM establishments WHERE uai = $1', [COLLEGE])
    )[0]!.name;
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByRole('heading', { name: /Élèves par niveau/ }).waitFor();
    const feeders = await count(`SELECT count(*)::int AS n FROM sector_colleges WHERE college_uai = '${COLLEGE}'`);
    expect(feeders).toBeGreaterThan(0);
    await page.getByRole('heading', { name: `Écoles de son secteur (${feeders})` }).waitFor();
    await look(page, 'etablissement-college');
    // its menu offers no territory it cannot see
    await expect(page.getByRole('link', { name: 'Territoires' }).count()).resolves.toBe(0);
    await page.close();
  });

  it('lets an admin create an LRS credential, shown once, that the LRS accepts', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/administration`);
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByRole('cell', { name: ADMIN_EMAIL }).waitFor();
    await look(page, 'administration-comptes');
    // One's own account cannot be disabled: no button on its row.
    const own = page.getByRole('row').filter({ hasText: ADMIN_EMAIL });
    await expect(own.getByRole('button', { name: 'Désactiver' }).count()).resolves.toBe(0);
    // A malformed scope is explained in French inside the form that sent it.
    const grant = page.getByRole('form', { name: 'Attribuer un rôle' });
    await grant.getByLabel('Périmètre').fill('Rennes');
    await grant.getByRole('button', { name: 'Attribuer' }).click();
    await grant.getByText('Périmètre « Rennes » invalide pour le rôle académie').waitFor();
    await look(page, 'administration-erreur-perimetre');
    await page.getByRole('tab', { name: 'Identifiants LRS' }).click();
    await page.getByLabel('Utilisé par').fill('ENT Toutatice (test)');
    await page.getByRole('button', { name: 'Créer l’identifiant' }).click();
    const key = (await page.getByTestId('new-key').textContent())!;
    const secret = (await page.getByTestId('new-secret').textContent())!;
    await look(page, 'administration-lrs');
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders({ Authorization: basicAuth(key, secret) }),
      body: JSON.stringify(makeStatement(7)),
    });
    expect(res.status).toBe(200);
    await revoke(page, key);
    const after = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders({ Authorization: basicAuth(key, secret) }),
      body: JSON.stringify(makeStatement(8)),
    });
    expect(after.status).toBe(401);
    await page.close();
  });
});

async function revoke(page: Page, key: string): Promise<void> {
  const row = page.getByRole('row').filter({ hasText: key });
  await row.getByRole('button', { name: 'Révoquer' }).click();
  await row.getByText('Révoqué').waitFor();
}
