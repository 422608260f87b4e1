/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { launchBrowser, signInThroughForm } from './support/browser.js';
import { look } from './support/accessibility.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer, startServer, xapiHeaders } from './support/server.js';
import { makeStatement } from './support/statements.js';

describe('web apps in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows on the dashboard the statements just posted, as figures, chart and table', async () => {
    const batch = Array.from({ length: 1234 }, (_, i) => makeStatement(i));
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(batch),
    });
    expect(res.status).toBe(200);
    await server.settle();

    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    await page.goto(`${server.url}/activite-lrs`);
    await page.getByRole('heading', { level: 1, name: 'Connexion à l’Observatoire des ENT' }).waitFor();
    await look(page, 'sign-in');
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Traces reçues par l’observatoire' }).waitFor();
    // French number formatting uses a narrow no-break space as thousands separator
    await expect(page.getByTestId('kpi-total').textContent()).resolves.toMatch(/^1\s234$/u);
    await expect(page.getByTestId('kpi-period').textContent()).resolves.toMatch(/^1\s234$/u);
    await page.locator('.recharts-bar-rectangle').first().waitFor();
    await look(page, 'dashboard');

    await page.getByText('Voir les données sous forme de tableau').click();
    const rows = page.locator('table tbody tr');
    await expect(rows.count()).resolves.toBe(30);
    await expect(rows.last().locator('td').nth(1).textContent()).resolves.toMatch(/^1\s234$/u);
    await page.close();
  });

  it('says so when no statement has arrived yet', async () => {
    await server.close();
    server = await startServer();
    const page = await browser.newPage();
    await page.goto(`${server.url}/activite-lrs`);
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByText('Aucune trace pour l’instant').waitFor();
    await page.close();
  });

  it('serves the training space shell at /formation, with client-side routes', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/formation/mes-formations`);
    await page.getByRole('heading', { level: 1, name: 'Connexion à l’espace de formation' }).waitFor();
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Mes formations' }).waitFor();
    await page.goto(`${server.url}/formation/`);
    await page.getByRole('heading', { level: 1, name: 'Espace de formation à distance' }).waitFor();
    await expect(page.getByRole('heading', { level: 2 }).allTextContents()).resolves.toEqual(
      expect.arrayContaining(['Suivi des sessions', 'Mes parcours', 'Mes formations', 'Catalogue']),
    );
    await look(page, 'formation');
    // keyboard users reach the link to the observatory
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused.length).toBeGreaterThan(0);
    await page.close();
  });

  it('refuses a wrong password in French and signs out from the header', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    await page.goto(`${server.url}/activite-lrs`);
    await signInThroughForm(page, ADMIN_EMAIL, 'pas-le-bon-mot-de-passe');
    await page.getByText('Adresse électronique ou mot de passe incorrect.').waitFor();
    await look(page, 'sign-in-error');
    await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Traces reçues par l’observatoire' }).waitFor();
    await page
      .getByRole('button', { name: /Se déconnecter/ })
      .first()
      .click();
    await page.getByRole('heading', { level: 1, name: 'Connexion à l’Observatoire des ENT' }).waitFor();
    // the session is really over: a reload shows the sign-in page again
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Connexion à l’Observatoire des ENT' }).waitFor();
    await page.close();
  });

  it('does not answer API paths with the web app', async () => {
    const res = await fetch(`${server.url}/xapi/unknown`, { headers: xapiHeaders() });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });
});
