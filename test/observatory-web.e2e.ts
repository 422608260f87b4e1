/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { importDirectory } from '@ent-observatory/directory';
import { Simulation, readWorld } from '@ent-observatory/simulator';
import { UserRepository } from '@ent-observatory/store';
import type { Browser, Page } from 'playwright-core';
import { DirectorySnapshotService } from '../apps/api/src/enrichment/directory-snapshot.service.js';
import { launchBrowser, signInThroughForm } from './support/browser.js';
import { look } from './support/accessibility.js';
import { bundledFiles } from './support/directory.js';
import { type TestServer, startServer, xapiHeaders } from './support/server.js';
import { gql, signIn } from './support/session.js';

const NATIONAL = { email: 'ministere@obs-web.test', password: 'ministere-web-password' };
const RENNES = { email: 'rectorat.rennes@obs-web.test', password: 'rennes-web-password' };
const HEAD = { email: 'principal@obs-web.test', password: 'principal-web-password' };
const COLLEGE = '0352167R';
/** Seven simulated school weeks (before the autumn holidays) of the bundled directory, posted through the LRS. */
const SIMULATION = { from: '2026-09-01', to: '2026-10-16', seed: 7, scale: 0.01 };
const POST_BATCH = 2000;

/**
 * The browsers' clock is set to this day: the dashboard's default period is the current school year up to today,
 * so the simulated weeks stay inside it whenever the test runs.
 */
const NOW = new Date('2026-11-30T09:00:00Z');
const today = '2026-11-30';
const DEFAULT_PERIOD = { from: '2026-09-01', to: today };

/** Simulated ENT activity posted to the LRS as platforms would, so it goes through validation and enrichment. */
async function postSimulation(server: TestServer): Promise<number> {
  const simulation = new Simulation(await readWorld(server.store), SIMULATION);
  let lines: string[] = [];
  let posted = 0;
  const flush = async () => {
    if (lines.length === 0) return;
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: `[${lines.join(',')}]`,
    });
    if (res.status !== 200) throw new Error(`LRS answered ${res.status}: ${await res.text()}`);
    posted += lines.length;
    lines = [];
  };
  for (const day of simulation.days((line) => lines.push(line))) {
    void day;
    while (lines.length >= POST_BATCH) {
      const rest = lines.slice(POST_BATCH);
      lines = lines.slice(0, POST_BATCH);
      await flush();
      lines = rest;
    }
  }
  await flush();
  return posted;
}

/** The text of a French-formatted number, as the page shows it (narrow no-break space between thousands). */
const frNumber = (n: number) => new Intl.NumberFormat('fr-FR').format(n);
const plain = (s: string | null) => (s ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();

describe('the observatory dashboard in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let posted = 0;
  const newPage = async () => {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      acceptDownloads: true,
    });
    await page.clock.setFixedTime(NOW);
    return page;
  };
  /** Waits until a view has its figures (no skeleton, not busy) and checks it shows no error. */
  const viewReady = async (page: Page) => {
    await page.locator('[data-testid=view-body][aria-busy=false]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-testid=skeleton]').count()).resolves.toBe(0);
    await expect(page.getByText('Les chiffres n’ont pas pu être chargés').count()).resolves.toBe(0);
  };

  beforeAll(async () => {
    server = await startServer();
    await importDirectory(server.store, server.warehouse, bundledFiles());
    await server.app.get(DirectorySnapshotService).refresh();
    const users = new UserRepository(server.store.db);
    await users.ensure({ ...NATIONAL, displayName: 'Ministère', roles: [{ role: 'national', scope: '' }] });
    await users.ensure({ ...RENNES, displayName: 'Rectorat de Rennes', roles: [{ role: 'academy', scope: '14' }] });
    await users.ensure({ ...HEAD, displayName: 'Principal', roles: [{ role: 'establishment', scope: COLLEGE }] });
    posted = await postSimulation(server);
    await server.settle();
    browser = await launchBrowser();
  }, 900_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('gives the ministry the national overview, every view, and a map that drills down to an establishment', async () => {
    expect(posted).toBeGreaterThan(10_000);
    const session = await signIn(server.url, NATIONAL.email, NATIONAL.password);
    const api = await gql<{ overview: { current: { visits: number; users: number } } }>(
      server.url,
      session,
      'query($f: ObservatoryFilter!) { overview(filter: $f) { current { visits users } } }',
      { f: DEFAULT_PERIOD },
    );
    const national = api.data!.overview.current;
    expect(national.visits).toBeGreaterThan(1000);

    const page = await newPage();
    await page.goto(`${server.url}/`);
    await signInThroughForm(page, NATIONAL.email, NATIONAL.password);
    await page.waitForURL('**/observatoire');
    await page.getByRole('heading', { level: 1, name: 'Vue d’ensemble — France' }).waitFor();
    await viewReady(page);
    await expect(page.getByTestId('kpi-visits').textContent()).resolves.toBe(frNumber(national.visits));
    await expect(page.getByTestId('kpi-users').textContent()).resolves.toBe(frNumber(national.users));
    await page.locator('[data-testid=chart-trend] .recharts-line').first().waitFor();
    await look(page, 'observatoire-vue-ensemble');

    const views = page.getByRole('navigation', { name: 'Vues de l’observatoire' });
    for (const [title, slug] of [
      ['Services', 'services'],
      ['Appareils', 'appareils'],
      ['Équité', 'equite'],
      ['Continuité', 'continuite'],
      ['Collaboration', 'collaboration'],
      ['Parents', 'parents'],
    ] as const) {
      await views.getByRole('link', { name: title, exact: true }).click();
      await page.waitForURL(`**/observatoire/${slug}`);
      await page.getByRole('heading', { level: 1, name: `${title} — France` }).waitFor();
      await viewReady(page);
      await look(page, `observatoire-${slug}`);
    }

    // the map: France → Bretagne → académie de Rennes → Ille-et-Vilaine → one establishment
    await views.getByRole('link', { name: 'Territoires', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Territoires — France' }).waitFor();
    await viewReady(page);
    await page.locator('svg.obs-map a[data-code="53"]').waitFor();
    await look(page, 'observatoire-territoires');
    await page.locator('svg.obs-map a[data-code="53"] path').first().click();
    await page.getByRole('heading', { level: 1, name: 'Territoires — Bretagne' }).waitFor();
    expect(new URL(page.url()).searchParams.get('region')).toBe('53');
    await viewReady(page);
    await page.locator('svg.obs-map a[data-code="14"] path').first().click();
    await page.getByRole('heading', { level: 1, name: 'Territoires — Académie de Rennes' }).waitFor();
    await viewReady(page);
    await look(page, 'observatoire-territoires-rennes');
    await page.locator('svg.obs-map a[data-code="035"] path').first().click();
    await page.getByRole('heading', { level: 1, name: 'Territoires — Ille-et-Vilaine' }).waitFor();
    expect(new URL(page.url()).search).toBe('?departement=035');
    await viewReady(page);
    // establishments: dots on the map and a table of every establishment with a link to its view
    await page.locator('svg.obs-map circle').first().waitFor();
    const table = page.getByTestId('territory-table');
    const establishmentLinks = table.locator('tbody th a');
    expect(await establishmentLinks.count()).toBeGreaterThan(100);
    await look(page, 'observatoire-territoires-departement');
    const link = table.locator(`tbody th a[href*="uai=${COLLEGE}"]`);
    const name = plain(await link.textContent());
    await link.click();
    await page.waitForURL(`**/observatoire/etablissement?uai=${COLLEGE}`);
    await page.getByRole('heading', { level: 1, name: `Établissement — ${name}` }).waitFor();
    await viewReady(page);
    // the breadcrumb leads back up
    await page
      .getByRole('navigation', { name: 'vous êtes ici :' })
      .getByRole('link', { name: 'Académie de Rennes' })
      .waitFor();
    await page.close();
  });

  it('lets a Rennes academy user filter in the URL and export a CSV equal to the API answer, not see Créteil', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await signInThroughForm(page, RENNES.email, RENNES.password);
    await page.waitForURL('**/observatoire?academie=14');
    await page.getByRole('heading', { level: 1, name: 'Vue d’ensemble — Académie de Rennes' }).waitFor();
    await viewReady(page);
    // no région to choose, and only the départements of the académie
    await expect(page.getByLabel('Région académique').count()).resolves.toBe(0);
    const departements = await page.getByLabel('Département').locator('option').allTextContents();
    expect(departements.map((d) => d.replace(/^.*\((\d+)\)$/, '$1'))).toEqual(['Tous', '022', '029', '035', '056']);
    await look(page, 'observatoire-rennes');

    // filters go into the address: the first term, pupils only
    await page.getByLabel('Période').selectOption('2026-2027-T1');
    await page.waitForURL(/periode=2026-2027-T1/);
    await page.getByRole('button', { name: /^Affiner/ }).click();
    // the DSFR draws the box on the label: a person clicks the label
    await page.locator('label', { hasText: /^Élèves$/ }).click();
    await expect(page.getByLabel('Élèves', { exact: true }).isChecked()).resolves.toBe(true);
    await page.waitForURL(/profil=ELEVE/);
    await viewReady(page);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ periode: '2026-2027-T1', academie: '14', profil: 'ELEVE' });

    const session = await signIn(server.url, RENNES.email, RENNES.password);
    const filter = {
      from: '2026-09-01',
      to: today, // the first term, up to today
      academie: '14',
      profile: ['ELEVE'],
    };
    type Cell = {
      label?: string;
      visits: number | null;
      users: number | null;
      durationSeconds: number | null;
      suppressed: boolean;
    };
    const api = await gql<{ overview: { current: Cell; byDevice: Cell[] } }>(
      server.url,
      session,
      `query($f: ObservatoryFilter!) { overview(filter: $f) {
        current { visits users durationSeconds suppressed } byDevice { label visits users durationSeconds suppressed } } }`,
      { f: filter },
    );
    const overview = api.data!.overview;
    await expect(page.getByTestId('kpi-visits').textContent()).resolves.toBe(frNumber(overview.current.visits!));

    // the CSV of "Visites par appareil" holds exactly the API's figures
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Visites par appareil' }) });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: /Exporter en CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('visites-par-appareil.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Appareil;Visites (nombre);Utilisateurs distincts (nombre);Part des visites (%)');
    const k = 5;
    const cell = (v: number | null, suppressed: boolean) => (suppressed ? `< ${k}` : v === null ? '' : String(v));
    expect(lines.slice(1).map((l) => l.split(';').slice(0, 3))).toEqual(
      overview.byDevice.map((d) => [d.label, cell(d.visits, d.suppressed), cell(d.users, d.suppressed)]),
    );

    // another académie: refused by the API, said so in French
    await page.goto(`${server.url}/observatoire?academie=24`);
    await page.getByText('Ces données sont hors de votre périmètre').waitFor();
    await page.close();
  });

  it('opens a head of school on their establishment and lets a keyboard alone drill through the views', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await signInThroughForm(page, HEAD.email, HEAD.password);
    await page.waitForURL(`**/observatoire/etablissement?uai=${COLLEGE}`);
    await page.getByRole('heading', { level: 1, name: /^Établissement — / }).waitFor();
    await viewReady(page);
    await page.getByTestId('heatmap').waitFor();
    await look(page, 'observatoire-etablissement');
    // no territory map nor equity for one establishment, in the menu or by address
    const views = page.getByRole('navigation', { name: 'Vues de l’observatoire' });
    await expect(views.getByRole('link', { name: 'Territoires' }).count()).resolves.toBe(0);
    await page.goto(`${server.url}/observatoire/territoires`);
    await page.getByText('Accès refusé').waitFor();

    // keyboard only: from the top of the page, Tab to the "Services" view and open it with Enter
    await page.goto(`${server.url}/observatoire?uai=${COLLEGE}`);
    await viewReady(page);
    const tabTo = async (match: (el: { text: string; tag: string; label: string }) => boolean, max = 80) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const el = await page.evaluate(() => ({
          text: document.activeElement?.textContent?.trim() ?? '',
          tag: document.activeElement?.tagName ?? '',
          label: (document.activeElement as HTMLElement | null)?.getAttribute('aria-label') ?? '',
        }));
        if (match(el)) return;
      }
      throw new Error('not reachable with the keyboard');
    };
    await tabTo((el) => el.tag === 'A' && el.text === 'Services');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/observatoire/services?uai=${COLLEGE}`);
    await viewReady(page);
    // the period select, changed with the arrow keys, goes into the address
    await tabTo((el) => el.tag === 'SELECT');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/periode=2026-2027-T1/);
    await viewReady(page);
    // a chart's table is opened from the keyboard
    await tabTo((el) => el.tag === 'SUMMARY' && el.text === 'Voir le tableau');
    await page.keyboard.press('Enter');
    await page.locator('details[open] table').first().waitFor();
    await page.close();
  });

  it('lets the ministry reach a région on the map with the keyboard', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/observatoire/territoires`);
    await signInThroughForm(page, NATIONAL.email, NATIONAL.password);
    await page.getByRole('heading', { level: 1, name: 'Territoires — France' }).waitFor();
    await viewReady(page);
    await page.locator('svg.obs-map a[data-code="53"]').waitFor();
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-code') === '53');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Territoires — Bretagne' }).waitFor();
    await page.close();
  });
});
