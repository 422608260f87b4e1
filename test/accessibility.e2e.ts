/// <reference lib="dom" />
import type { Browser, Page } from 'playwright-core';
import { accessibilityViolations, look } from './support/accessibility.js';
import { launchBrowser, signInThroughForm } from './support/browser.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer, startServer } from './support/server.js';

/**
 * What automation can check of RGAA 4.1 beyond axe's rules, kept as tests (docs/accessibility.md lists what was
 * checked by hand): the statement, titles and language, skip links, visible focus, reflow at 320 px and 200 % zoom,
 * and error messages tied to their fields. Every state visited here also passes the axe audit.
 */
const PAGES = [
  '/observatoire',
  '/observatoire/territoires',
  '/observatoire/appareils',
  '/territoires',
  '/etablissements',
  '/etablissements/0350122T',
  '/activite-lrs',
  '/administration',
  '/une-page-qui-n-existe-pas',
  '/formation/',
  '/formation/catalogue',
  '/formation/mes-formations',
  '/formation/parcours',
  '/formation/sessions',
  '/formation/indicateurs',
  '/formation/verifier',
];

describe('accessibility: what a keyboard, a screen reader or a zoomed screen needs', () => {
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

  async function signedIn(viewport = { width: 1280, height: 900 }): Promise<Page> {
    const page = await browser.newPage({ viewport, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    await page.goto(`${server.url}/observatoire`);
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Vue d’ensemble/ }).waitFor();
    return page;
  }

  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${server.url}${path}`);
    // Every page has a level-1 heading (RGAA 9.1): waiting for it names the page that has none.
    await page
      .getByRole('heading', { level: 1 })
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(() => {
        throw new Error(`${path}: no level-1 heading`);
      });
    await page.waitForLoadState('networkidle');
  }

  it('publishes the RGAA statement, without signing in, linked from the footer of both spaces', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    for (const [home, statement] of [
      ['/', '/accessibilite'],
      ['/formation/', '/formation/accessibilite'],
    ] as const) {
      await page.goto(`${server.url}${home}`);
      const link = page.getByRole('link', { name: 'Accessibilité : partiellement conforme' });
      expect(await link.getAttribute('href')).toBe(statement);
      await link.click();
      await page.getByRole('heading', { level: 1, name: 'Déclaration d’accessibilité' }).waitFor();
      const text = await page.locator('main').innerText();
      for (const expected of [
        'partiellement conformes',
        'RGAA), version 4.1',
        'Contenus non accessibles',
        'établie le 5 décembre 2026',
        'Retour d’information et contact',
        'Défenseur des droits',
      ]) {
        expect([statement, text.includes(expected)]).toEqual([statement, true]);
      }
      expect(await page.title()).toBe(
        `Déclaration d’accessibilité – ${home === '/' ? 'Observatoire des ENT' : 'Formation à distance'}`,
      );
      await look(page, `accessibilite${home === '/' ? '' : '-formation'}`);
    }
    await page.close();
  });

  it('says in French on every page where one is, and passes the audit there', async () => {
    const page = await signedIn();
    const titles = new Map<string, string>();
    for (const path of PAGES) {
      await open(page, path);
      expect([path, await page.getAttribute('html', 'lang')]).toEqual([path, 'fr']);
      titles.set(path, await page.title());
      expect({ path, violations: await accessibilityViolations(page) }).toEqual({ path, violations: [] });
    }
    expect(titles.get('/observatoire')).toBe('Vue d’ensemble (observatoire) – Observatoire des ENT');
    expect(titles.get('/une-page-qui-n-existe-pas')).toBe('Page introuvable – Observatoire des ENT');
    expect(titles.get('/formation/catalogue')).toBe('Catalogue – Formation à distance');
    // Each page its own title: a screen reader user knows from the title alone where a link led.
    const shared = [...titles].filter(([, t], _i, all) => all.filter(([, u]) => u === t).length > 1);
    expect(shared).toEqual([]);
    await page.close();
  });

  it('opens with skip links, and a keyboard alone always sees where the focus is', async () => {
    const page = await signedIn();
    await open(page, '/observatoire');
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({
      text: document.activeElement?.textContent?.trim(),
      href: document.activeElement?.getAttribute('href'),
    }));
    expect(first).toEqual({ text: 'Contenu', href: '#contenu' });
    await look(page, 'accessibilite-lien-evitement');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('contenu');

    // Thirty tab stops from the top: every focused element shows a visible focus ring, none is hidden.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const unseen: string[] = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        // DSFR draws the ring on the element, or on its ::before for links that enlarge to their card or brand.
        const ring = [null, '::before', '::after'].some((pseudo) => {
          const style = getComputedStyle(el, pseudo);
          return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        });
        const box = el.getBoundingClientRect();
        return {
          what: `${el.tagName.toLowerCase()} « ${(el.textContent ?? '').trim().slice(0, 40)} »`,
          ring,
          size: box.width * box.height,
        };
      });
      if (focus && (!focus.ring || focus.size === 0)) unseen.push(focus.what);
    }
    expect(unseen).toEqual([]);
    await page.close();
  });

  it('keeps every page usable at 320 px wide and at 200 % zoom, without horizontal scrolling', async () => {
    for (const viewport of [
      { width: 320, height: 640, name: '320px' },
      { width: 640, height: 450, name: 'zoom-200' }, // a 1280 × 900 window at 200 %
    ]) {
      const page = await signedIn({ width: viewport.width, height: viewport.height });
      const overflowing: string[] = [];
      for (const path of [
        '/observatoire',
        '/observatoire/territoires',
        '/etablissements',
        '/administration',
        '/formation/catalogue',
      ]) {
        await open(page, path);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > viewport.width + 1) overflowing.push(`${path}: ${width} px`);
        expect({ path, violations: await accessibilityViolations(page) }).toEqual({ path, violations: [] });
      }
      await open(page, '/observatoire');
      await look(page, `accessibilite-${viewport.name}`);
      expect([viewport.name, overflowing]).toEqual([viewport.name, []]);
      await page.close();
    }
  });

  it('ties a sign-in error to the fields it concerns', async () => {
    const page = await browser.newPage({ locale: 'fr-FR' });
    await page.goto(`${server.url}/observatoire`);
    await signInThroughForm(page, ADMIN_EMAIL, 'not-the-password');
    await page.getByText('Connexion impossible').waitFor();
    for (const label of ['Adresse électronique', 'Mot de passe']) {
      const field = page.locator(`input[name="${label === 'Mot de passe' ? 'password' : 'email'}"]`);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      const described = (await field.getAttribute('aria-describedby')) ?? '';
      const text = await page.evaluate(
        (ids) => ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
        described.split(/\s+/),
      );
      expect([label, text.includes('Connexion impossible')]).toEqual([label, true]);
    }
    await look(page, 'accessibilite-erreur-connexion');
    await page.close();
  });
});
