/// <reference lib="dom" />
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { FrameSources } from '../apps/api/src/common/security-headers.js';
import { MetricsServer } from '../apps/api/src/metrics/metrics-server.js';
import { launchBrowser, signInThroughForm } from './support/browser.js';
import { look } from './support/accessibility.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, METRICS_TOKEN, type TestServer, startServer } from './support/server.js';

/** A page at another origin, standing for imported cmi5 content hosted elsewhere. */
async function contentServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>AU</p>'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Every Content-Security-Policy violation the page reports, from the moment it starts loading. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} at ${location.pathname}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Adds a frame showing `src` to the page, as the training space does for an AU; true when it loaded. */
function frameLoads(page: Page, src: string): Promise<boolean> {
  return page.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const frame = document.createElement('iframe');
        frame.title = 'Activité de formation';
        frame.src = url;
        // A frame blocked by frame-src still fires `load` (on an error page): its document is then unreachable.
        document.addEventListener('securitypolicyviolation', () => resolve(false), { once: true });
        frame.addEventListener('load', () => setTimeout(() => resolve(true), 200));
        document.body.append(frame);
      }),
    src,
  );
}

describe('security headers: the pages work under a strict Content-Security-Policy', () => {
  let server: TestServer;
  let browser: Browser;
  let content: { origin: string; server: Server };
  let trainerContent: { origin: string; server: Server };
  let stranger: { origin: string; server: Server };

  beforeAll(async () => {
    content = await contentServer();
    trainerContent = await contentServer();
    stranger = await contentServer();
    server = await startServer({ CSP_FRAME_ORIGINS: content.origin });
    server.app.get(FrameSources).register(() => [trainerContent.origin]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    for (const s of [content, trainerContent, stranger]) s?.server.close();
  });

  it('sends CSP, frame and sniffing protections on pages, API answers and errors', async () => {
    for (const path of ['/', '/formation/', '/graphql', '/no-such-page', '/auth/session']) {
      const res = await fetch(`${server.url}${path}`, { method: path === '/graphql' ? 'POST' : 'GET' });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect([path, csp]).toEqual([path, expect.stringContaining("script-src 'self'")]);
      expect(csp).toContain("frame-ancestors 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-security-policy')).toContain(`frame-src 'self' ${content.origin}`);
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });

  it('runs the dashboard pages without a single violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const violations = await watchViolations(page);
    await page.goto(`${server.url}/observatoire`);
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: /^Vue d’ensemble/ }).waitFor();
    for (const path of [
      '/observatoire',
      '/observatoire/territoires',
      '/observatoire/services',
      '/etablissements',
      '/administration',
      '/activite-lrs',
    ]) {
      await page.goto(`${server.url}${path}`);
      await page.waitForLoadState('networkidle');
      const headings = await page.getByRole('heading', { level: 1 }).allTextContents();
      expect([path, headings.some((h) => h.startsWith('Connexion'))]).toEqual([path, false]);
      expect([path, await violations()]).toEqual([path, []]);
    }
    await page.goto(`${server.url}/observatoire`);
    await page.waitForLoadState('networkidle');
    await look(page, 'csp-observatoire');
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('lets the training space frame AUs from our origin and from configured origins, and no other', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const violations = await watchViolations(page);
    await page.goto(`${server.url}/formation/`);
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Espace de formation à distance' }).waitFor();
    expect(await violations()).toEqual([]);
    // an AU served by us (the player's path: other pages of ours take the whole window back when framed)
    expect(await frameLoads(page, `${server.url}/formation/activite/exemple`)).toBe(true);
    expect(await frameLoads(page, `${content.origin}/au.html`)).toBe(true); // CSP_FRAME_ORIGINS
    expect(await frameLoads(page, `${trainerContent.origin}/au.html`)).toBe(true); // registered by the training module
    expect(await violations()).toEqual([]);
    expect(await frameLoads(page, `${stranger.origin}/au.html`)).toBe(false);
    expect(await violations()).toEqual([`frame-src ${stranger.origin} at /formation/`]);
    await look(page, 'csp-formation');
    await page.close();
  });
});

describe('/metrics is not public', () => {
  it('answers on the application port only with the bearer token, and 404 when none is configured', async () => {
    const server = await startServer();
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer not-the-token-at-all' } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const right = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(right.status).toBe(200);
      expect(await right.text()).toMatch(/^xapi_statements_received_total /m);
    } finally {
      await server.close();
    }
    const open = await startServer({ METRICS_TOKEN: '' });
    try {
      const res = await fetch(`${open.url}/metrics`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { message: string }).message).toMatch(/set METRICS_TOKEN .* or METRICS_PORT/);
    } finally {
      await open.close();
    }
  });

  it('can be served on its own port instead, where the application port does not answer it', async () => {
    const server = await startServer({ METRICS_PORT: '0', METRICS_TOKEN: '' });
    try {
      const port = server.app.get(MetricsServer).port();
      const own = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(own.status).toBe(200);
      expect(await own.text()).toMatch(/^graphql_views_running 0$/m);
      expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
