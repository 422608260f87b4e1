import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One example of docs/xapi-profile.md: a statement and the enrichment columns the doc says it gets. */
export interface ProfileDocExample {
  name: string;
  statement: Record<string, unknown>;
  enriched: Record<string, unknown>;
  /** The follow-up rule the example breaks (a ```json problem=<name> block), '' when it breaks none. */
  problem: string;
}

/** The key the doc's examples are enriched with (their pseudonyms are the real ones for it). */
export const PROFILE_DOC_KEY = 'cle-de-demonstration-ne-pas-utiliser-en-production';

/** docs/xapi-profile.md in this checkout. */
export const PROFILE_DOC = fileURLToPath(new URL('../../docs/xapi-profile.md', import.meta.url));

const BLOCK = /^```json (example|enriched|problem)=([\w-]+)\n([\s\S]*?)\n```$/gm;

/** Every ```json example=<name> block of the doc with its ```json enriched=<name> block. */
export function readProfileDocExamples(path = PROFILE_DOC): ProfileDocExample[] {
  const text = readFileSync(path, 'utf8');
  const statements = new Map<string, Record<string, unknown>>();
  const enriched = new Map<string, Record<string, unknown>>();
  const problems = new Map<string, Record<string, unknown>>();
  for (const [, kind, name, json] of text.matchAll(BLOCK)) {
    const blocks = kind === 'example' ? statements : kind === 'enriched' ? enriched : problems;
    blocks.set(name!, JSON.parse(json!) as Record<string, unknown>);
  }
  return [...statements].map(([name, statement]) => {
    const expected = enriched.get(name);
    if (expected === undefined) throw new Error(`docs example "${name}" has no enriched=${name} block`);
    const rule = problems.get(name)?.rule;
    return { name, statement, enriched: expected, problem: typeof rule === 'string' ? rule : '' };
  });
}
