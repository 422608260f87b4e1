import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { artifactPath } from './browser.js';

/** axe-core, the engine behind most accessibility checkers, injected into the page under test. */
const AXE_SOURCE = readFileSync(
  fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)),
  'utf8',
);

/** The automated part of RGAA 4.1: the WCAG 2.1 level A and AA rules (docs/accessibility.md). */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Every WCAG 2.1 A/AA violation axe finds in the page as it is now, one line each: the rule, its impact, what it
 * asks and the elements that break it. Evaluated through the DevTools protocol, so the page's CSP does not block it.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return (
      result.violations as {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: string[] }[];
      }[]
    ).map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, WCAG_21_AA);
  return (violations as Violation[]).map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.targets.slice(0, 5).join(', ')}${v.targets.length > 5 ? ` … ${v.targets.length} elements` : ''}`,
  );
}

/**
 * What a person sees at one step of a browser test: a screenshot to look at, and the accessibility audit of that
 * state, which fails the test naming the page, the rule and the elements.
 */
export async function look(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: artifactPath(`${name}.png`), fullPage: true });
  const where = `${name} (${new URL(page.url()).pathname})`;
  expect({ where, violations: await accessibilityViolations(page) }).toEqual({ where, violations: [] });
}
