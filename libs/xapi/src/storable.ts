import type { Problem } from './problems.js';

/** A UTF-16 surrogate not paired with its other half: JSON's `\ud800` escape allows it, UTF-8 cannot encode it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * How deep a value may nest (an object or array in another counts one level). Far beyond any real statement or
 * document, and well within what every later step (the duplicate check, reads, formats) walks on any thread; deeper
 * values used to be refused only when a step ran out of call stack, which depends on the thread that runs it.
 */
export const MAX_JSON_DEPTH = 1_000;

export interface StorableOptions {
  /** Refuse U+0000 too: PostgreSQL text cannot hold it (document ids, agents and activity ids of documents). */
  nul?: boolean;
}

/**
 * What JSON accepts but the storage path cannot carry unchanged, reported with the JSON path of each value (or key):
 * strings with a lone surrogate (not encodable in UTF-8: ClickHouse refuses them, a UTF-8 file would alter them),
 * numbers beyond double precision (`1e400` parses to Infinity and would be written back as `null`), values nested
 * deeper than MAX_JSON_DEPTH, and, when asked, NUL characters. Checked before anything is acknowledged, so a
 * statement the store cannot keep is a 400, never a poison row in the journal.
 */
export function unstorableProblems(value: unknown, path = '$', options: StorableOptions = {}): Problem[] {
  const problems: Problem[] = [];
  // Iterative, so that any depth is measured rather than overflowing here. Paths are built only for the values
  // reported.
  const stack: Node[] = [{ value, parent: undefined, key: path, depth: 0 }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const v = node.value;
    const depth = node.depth + 1;
    if (typeof v === 'object' && v !== null && depth > MAX_JSON_DEPTH) {
      problems.push({
        path: pathOf(node),
        message: `is nested deeper than ${MAX_JSON_DEPTH} levels, more than is stored`,
      });
    } else if (typeof v === 'string') {
      const why = stringProblem(v, options);
      if (why) problems.push({ path: pathOf(node), message: why });
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        problems.push({ path: pathOf(node), message: 'is a number too large to store (beyond double precision)' });
      }
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: node, key: i, depth });
    } else if (typeof v === 'object' && v !== null) {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        const child: Node = { value: (v as Record<string, unknown>)[key], parent: node, key, depth };
        const why = stringProblem(key, options);
        if (why) problems.push({ path: pathOf(child), message: `is a property name that ${why}` });
        stack.push(child);
      }
    }
  }
  return problems;
}

interface Node {
  value: unknown;
  parent: Node | undefined;
  /** The root's path, an array index or a property name. */
  key: string | number;
  /** Objects and arrays it is in. */
  depth: number;
}

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n !== undefined; n = n.parent) {
    parts.push(n.parent === undefined ? String(n.key) : typeof n.key === 'number' ? `[${n.key}]` : `.${n.key}`);
  }
  return parts.reverse().join('');
}

/** Why a string cannot be stored as sent, or undefined when it can. */
export function stringProblem(s: string, options: StorableOptions = {}): string | undefined {
  if (LONE_SURROGATE.test(s)) {
    return 'contains a lone UTF-16 surrogate (an unpaired \\ud800–\\udfff escape), which no UTF-8 store can keep';
  }
  if (options.nul && s.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  return undefined;
}
