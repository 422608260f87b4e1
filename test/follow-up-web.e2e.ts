/// <reference lib="dom" />
import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { look } from './support/accessibility.js';
import { artifactPath, launchBrowser, signInThroughForm } from './support/browser.js';
import { ACCOUNTS, CLASS, PERIOD, PUPILS, seedFollowUp } from './support/follow-up.js';
import { type TestServer, startServer } from './support/server.js';

const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

/** Screenshots for a person to look at (test-artifacts/) and for the README (docs/screenshots/), each state audited. */
async function shoot(page: Page, name: string): Promise<void> {
  await look(page, name.replace(/\.png$/, ''));
  copyFileSync(artifactPath(name), `${SCREENSHOTS}${name}`);
}

describe("teachers' follow-up in a real browser", () => {
  let server: TestServer;
  let browser: Browser;
  const newPage = () =>
    browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const classUrl = () => `${server.url}/suivi/classe?id=${encodeURIComponent(CLASS)}&du=${PERIOD.from}&au=${PERIOD.to}`;
  const pupilUrl = (id: string) =>
    `${server.url}/suivi/eleve?id=${encodeURIComponent(id)}&du=${PERIOD.from}&au=${PERIOD.to}`;

  beforeAll(async () => {
    server = await startServer();
    await seedFollowUp(server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lands a teacher on their class: pupils by name, homework, socle grid, alerts, workload; sorts and filters', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await signInThroughForm(page, ACCOUNTS.teacher!.email, ACCOUNTS.teacher!.password);
    await page.getByRole('heading', { level: 1, name: /Ma classe : 6e A/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/suivi/classe');

    await page.goto(classUrl());
    const table = page.locator('#tableau-classe table');
    await table.getByRole('rowheader', { name: 'Hugo Bernard' }).waitFor();
    const names = await table.getByRole('rowheader').allTextContents();
    expect([...names].sort()).toEqual(['Chloé Petit', 'Hugo Bernard', 'Léa Martin', 'Nathan Roux']);
    const hugo = table.getByRole('row', { name: /Hugo Bernard/ });
    await expect(hugo.textContent()).resolves.toMatch(/Inactivité.*Devoirs non rendus/);
    const chloe = table.getByRole('row', { name: /Chloé Petit/ });
    await expect(chloe.textContent()).resolves.toMatch(/Retards répétés.*Notes en baisse/);
    // Léa's socle grid: français 4, langues dispensé (D), the others not positioned.
    await expect(
      table
        .getByRole('row', { name: /Léa Martin/ })
        .getByLabel(/Très bonne maîtrise/)
        .count(),
    ).resolves.toBe(1);
    await expect(
      table
        .getByRole('row', { name: /Léa Martin/ })
        .getByLabel(/^Dispensé/)
        .count(),
    ).resolves.toBe(1);
    await page.getByRole('heading', { name: 'Charge de travail' }).waitFor();
    await expect(page.locator('tr.suivi-heavy').count()).resolves.toBe(0);
    await shoot(page, 'suivi-classe.png');

    // Sort by homework not handed in, most first: Hugo (4), then Chloé (1).
    await page.getByRole('button', { name: 'Non rendus' }).click();
    await expect(table.getByRole('rowheader').allTextContents()).resolves.toEqual([
      'Hugo Bernard',
      'Chloé Petit',
      'Léa Martin',
      'Nathan Roux',
    ]);
    await page.getByText('Seulement les élèves avec une alerte').click();
    await expect(table.getByRole('rowheader').allTextContents()).resolves.toEqual(['Hugo Bernard', 'Chloé Petit']);
    await page.getByLabel('Filtrer par nom').fill('chlo');
    await expect(table.getByRole('rowheader').allTextContents()).resolves.toEqual(['Chloé Petit']);

    // The pupil page, and an alert acknowledged with a note.
    await table.getByRole('link', { name: 'Chloé Petit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fiche élève : Chloé Petit' }).waitFor();
    await page.getByText('Moyenne des 3 dernières notes 8/20 contre 14,7/20 avant').waitFor();
    await page.getByText('3 devoirs rendus en retard sur 4 rendus ces 4 dernières semaines').waitFor();
    const late = page.locator('.fr-callout', { hasText: 'Retards répétés' });
    await late.getByLabel('Note (ce qui a été fait)').fill('Point avec Chloé et sa famille le 30/11');
    await late.getByRole('button', { name: 'Marquer comme vue' }).click();
    await late.getByText('Note : Point avec Chloé et sa famille le 30/11').waitFor();
    await page.getByRole('heading', { name: 'Notes', exact: true }).waitFor();
    await page.locator('.recharts-line-curve').first().waitFor({ state: 'attached' });
    await shoot(page, 'suivi-fiche-eleve.png');
    await page.close();
  });

  it("lands a parent on their child's page with last year's CM2 record, and refuses another pupil", async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await signInThroughForm(page, ACCOUNTS.parent!.email, ACCOUNTS.parent!.password);
    await page.getByRole('heading', { level: 1, name: 'Fiche élève : Léa Martin' }).waitFor();
    await page.goto(pupilUrl(PUPILS.lea.id));
    await page.getByRole('heading', { name: /Liaison : l’année dernière \(2025-2026\)/ }).waitFor();
    await page.getByText('Aucune alerte sur la période.').waitFor();
    await expect(page.getByRole('button', { name: 'Marquer comme vue' }).count()).resolves.toBe(0);
    await expect(page.getByRole('cell', { name: 'Rendu', exact: true }).count()).resolves.toBe(5);
    await shoot(page, 'suivi-parent.png');
    await page.goto(pupilUrl(PUPILS.hugo.id));
    await page.getByText('Fiche inaccessible').waitFor();
    await expect(page.getByText('Hugo Bernard').count()).resolves.toBe(0);
    await page.goto(classUrl());
    await page.getByText('Accès refusé').waitFor();
    await page.close();
  });

  it('lands a pupil on their own page and gives a head of school every class of the collège', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await signInThroughForm(page, ACCOUNTS.pupil!.email, ACCOUNTS.pupil!.password);
    await page.getByRole('heading', { level: 1, name: 'Fiche élève : Hugo Bernard' }).waitFor();
    await page.close();

    const head = await newPage();
    await head.goto(`${server.url}/suivi`);
    await signInThroughForm(head, ACCOUNTS.head!.email, ACCOUNTS.head!.password);
    await head.getByRole('heading', { level: 1, name: 'Suivi des élèves' }).waitFor();
    await head.getByRole('link', { name: /^6e A/ }).click();
    await head.getByRole('heading', { level: 1, name: /Ma classe : 6e A/ }).waitFor();
    await head.close();
  });
});
