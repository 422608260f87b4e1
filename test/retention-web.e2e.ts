import { UserRepository } from '@ent-observatory/store';
import { applyRetention } from '@ent-observatory/warehouse';
import type { Browser, Page } from 'playwright-core';
import { insertActivity } from './support/activity.js';
import { launchBrowser, signInThroughForm } from './support/browser.js';
import { type TestServer, startServer } from './support/server.js';

const NATIONAL = { email: 'ministere@retention-web.test', password: 'ministere-retention-password' };

/** The `day`th day of the month `back` months before the current one (UTC calendar). */
function monthsAgo(back: number, day = 10): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, day)).toISOString().slice(0, 10);
}

/**
 * What a user sees of retention (docs/operations.md "Retention"): person-level data kept 4 months, a period before
 * that says « Données expirées » — not « Aucune activité », and not suppressed cells — and a period that begins before
 * it says from which day its figures count.
 */
describe('expired data in the dashboard', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer({ STATEMENT_RETENTION_MONTHS: '4', PERSON_ROLLUP_RETENTION_MONTHS: '4' });
    await new UserRepository(server.store.db).ensure({
      ...NATIONAL,
      displayName: 'Ministère',
      roles: [{ role: 'national', scope: '' }],
    });
    // Recent activity, so that the store is not empty.
    await insertActivity(
      server.warehouse,
      [0, 1, 2, 3, 4, 5].map((p) => ({ actor: `pupil-${p}`, at: `${monthsAgo(1)}T08:0${p}:00.000Z` })),
    );
    browser = await launchBrowser();
    page = await browser.newPage({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    await page.goto(`${server.url}/`);
    await signInThroughForm(page, NATIONAL.email, NATIONAL.password);
    await page.waitForURL('**/observatoire');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    // Later test files on this worker's store expect no TTL (their fixtures are fixed dates).
    if (server) await applyRetention(server.warehouse, { statementMonths: 0, personMonths: 0 }, { sync: true });
    await server?.close();
  });

  const ready = async () => page.locator('[data-testid=view-body][aria-busy=false]').waitFor({ timeout: 60_000 });

  it('says « Données expirées » for a period before the retention horizon', async () => {
    await page.goto(`${server.url}/observatoire?du=${monthsAgo(7, 1)}&au=${monthsAgo(6, 20)}`);
    await ready();
    await page.getByText('Données expirées').first().waitFor({ timeout: 30_000 });
    expect(await page.getByText('Aucune activité sur cette période').count()).toBe(0);
  });

  it('says from which day the figures of a period straddling the horizon count', async () => {
    await page.goto(`${server.url}/observatoire?du=${monthsAgo(6, 1)}&au=${monthsAgo(1, 20)}`);
    await ready();
    const period = (await page.locator('[data-testid=period]').textContent()) ?? '';
    expect(period).toContain('données expirées avant le');
    expect(await page.getByText('Données expirées', { exact: true }).count()).toBe(0);
  });
});
