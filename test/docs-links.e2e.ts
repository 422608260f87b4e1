import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The README and docs stand alone: every relative link leads to a file of the repository (a newcomer has nothing
 * else), never outside it — the README once sent readers to a design file of the authors' workspace.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function documents(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  const libs = readdirSync(join(ROOT, 'libs')).map((l) => join('libs', l, 'README.md'));
  return ['README.md', ...docs.map((f) => join('docs', f)), ...libs].filter((f) => existsSync(join(ROOT, f)));
}

describe('documentation that stands alone', () => {
  it('links only to files of the repository', () => {
    const broken: string[] = [];
    for (const doc of documents()) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target!)) continue;
        const file = resolve(ROOT, dirname(doc), target!.split('#')[0]!);
        const inside = !relative(ROOT, file).startsWith('..');
        if (!inside || !existsSync(file)) broken.push(`${doc} → ${target}`);
      }
      if (/\.\.\/shared\//.test(text)) broken.push(`${doc} → ../shared/ (the authors' workspace)`);
    }
    expect(broken).toEqual([]);
  });
});
