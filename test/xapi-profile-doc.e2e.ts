import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ENRICHMENT_COLUMNS,
  createPseudonymKey,
  enrichStatement,
  followUpProblem,
  prepareStatement,
  validateStatement,
  type Statement,
} from '@ent-observatory/xapi';
import { PROFILE_DOC_KEY, readProfileDocExamples } from './support/profile-doc.js';

/** The establishments the doc's examples use, as the bundled directory has them (test/enrichment.e2e.ts checks that). */
const snapshot = new Map([
  ['0350963G', { academie: '14', departement: '035', region: '53', sector: 'public', rep: 'REP+' }],
  ['0351906G', { academie: '14', departement: '035', region: '53', sector: 'public', rep: 'none' }],
  ['0352069J', { academie: '14', departement: '035', region: '53', sector: 'private', rep: 'none' }],
  ['0941250Y', { academie: '24', departement: '094', region: '11', sector: 'public', rep: 'REP+' }],
]);

const examples = readProfileDocExamples();

describe('docs/xapi-profile.md examples', () => {
  it('cover every kind of statement the profile describes', () => {
    expect(examples.map((e) => e.name)).toEqual([
      'visit',
      'homework-assigned',
      'homework-submitted-late',
      'homework-marked',
      'assessment-scored',
      'competence-evaluated',
      'socle-positioning',
      'resource-consulted',
      'portfolio-item',
      'collaborative-contribution',
      'parent-for-child',
      'positioning-level-invalid',
      'outside-profile',
    ]);
  });

  it.each(examples.map((e) => [e.name, e]))('%s is a valid statement for xAPI 1.0.3 and 2.0.0', (_name, e) => {
    expect(validateStatement(e.statement, { version: '1.0.3' })).toEqual([]);
    expect(validateStatement(e.statement, { version: '2.0.0' })).toEqual([]);
  });

  it.each(examples.map((e) => [e.name, e]))('%s is enriched to the columns the doc shows', (_name, e) => {
    const statement = prepareStatement(e.statement, {
      authority: { account: { homePage: 'https://lrs.test', name: 'k' } },
      stored: new Date(),
      version: '1.0.3',
    });
    const enriched = enrichStatement(statement, { snapshot, key: createPseudonymKey(PROFILE_DOC_KEY) });
    expect(Object.keys(e.enriched).sort()).toEqual([...ENRICHMENT_COLUMNS].sort());
    expect(enriched).toEqual(e.enriched);
  });

  it.each(examples.map((e) => [e.name, e]))('%s breaks the follow-up rule the doc says (or none)', (_name, e) => {
    expect(followUpProblem(e.statement as unknown as Statement)).toBe(e.problem);
  });

  it('shows a statement breaking the profile', () => {
    expect(examples.filter((e) => e.problem !== '').map((e) => e.problem)).toEqual(['level-invalid']);
  });
});

/** Where analytics code lives (indicators, observatory resolvers, dashboards): none of it may name actor_ifi. */
const ANALYTICS_SOURCES = ['libs/indicators/src', 'apps/api/src/observatory', 'apps/dashboard/src'];

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|sql)$/.test(f) && !f.includes('node_modules'))
    .map((f) => join(dir, f));
}

describe('pseudonymisation in analytics', () => {
  it('no indicator, observatory resolver or dashboard reads the actor identifier (only actor_pseudonym)', () => {
    const files = ANALYTICS_SOURCES.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(0);
    const offending = files.filter((f) => /\bactor_ifi\b/.test(readFileSync(f, 'utf8')));
    expect(offending).toEqual([]);
  });
});
