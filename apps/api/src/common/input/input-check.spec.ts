import 'reflect-metadata';
import { Checked } from './decorators.js';
import { Formats, listOf } from './formats.js';
import { InputError, checkValue } from './input-check.js';

class RoleInput {
  @Checked(Formats.text(10)) scope!: string;
}

class FilterInput {
  @Checked(Formats.day) from!: string;
  @Checked(Formats.uai) uai?: string;
  @Checked(listOf(RoleInput, 2)) roles?: RoleInput[];
}

function problem(path: string, value: unknown, declared?: Parameters<typeof checkValue>[2]): string | undefined {
  try {
    checkValue(path, value, declared);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
}

describe('argument checks', () => {
  it('refuses NUL and other control characters in any string, naming the argument', () => {
    expect(problem('classId', 'a\u0000b')).toBe(
      'classId: contains the control character U+0000 at position 2: remove it',
    );
    expect(problem('search.text', 'école\u001b[31m')).toMatch(/^search\.text: contains the control character U\+001B/);
    expect(problem('label', 'two\nlines')).toMatch(/^label: contains the control character U\+000A/);
    expect(problem('agent', '{\n  "name": "x"\n}', Formats.json(100))).toBeUndefined();
  });

  it('refuses unpaired UTF-16 surrogates, which no store can keep', () => {
    expect(problem('key', 'abc\uD800')).toBe('key: contains an unpaired UTF-16 surrogate at position 4');
    expect(problem('key', 'emoji 😀 ok')).toBeUndefined();
  });

  it('bounds undeclared strings and lists', () => {
    expect(problem('name', 'x'.repeat(257))).toBe('name: at most 256 characters, got 257');
    expect(
      problem(
        'scopes',
        Array.from({ length: 101 }, () => 'x'),
      ),
    ).toBe('scopes: at most 100 values, got 101');
  });

  it('checks declared formats, and the fields of input classes with their paths', () => {
    expect(problem('id', 'nope', Formats.uuid)).toMatch(/^id: expected a UUID/);
    expect(problem('id', '3f0c2a4e-8d1b-4c55-9a77-2b1f0e6d9c10', Formats.uuid)).toBeUndefined();
    expect(problem('filter', { from: '2026-02-30' }, FilterInput)).toMatch(/^filter\.from: expected a calendar day/);
    expect(problem('filter', { from: '2026-02-28', uai: '035216R' }, FilterInput)).toMatch(
      /^filter\.uai: expected a UAI/,
    );
    expect(
      problem('filter', { from: '2026-02-28', roles: [{ scope: 'x' }, { scope: 'y'.repeat(11) }] }, FilterInput),
    ).toBe('filter.roles[1].scope: at most 10 characters, got 11');
    expect(problem('filter', { from: '2026-02-28', roles: [{}, {}, {}] }, FilterInput)).toBe(
      'filter.roles: at most 2 values, got 3',
    );
    // a field without a declared format still gets the checks every string gets
    expect(problem('filter', { from: '2026-02-28', other: 'a\u0000' }, FilterInput)).toMatch(
      /^filter\.other: contains/,
    );
  });

  it.each([
    ['classId', Formats.classId, '0350122T:2025-2026:CM1-CM2 A', '0350122T-CM1'],
    ['courseId', Formats.courseId, 'decouverte-ent', 'Découverte ENT'],
    ['departement', Formats.departement, '035', '35'],
    ['academie', Formats.academie, '14', 'Rennes'],
    ['limit', Formats.int(1, 200), 20, 201],
  ] as const)('%s: accepts %j, refuses %j', (name, format, good, bad) => {
    expect(problem(name, good, format)).toBeUndefined();
    expect(problem(name, bad, format)).toMatch(new RegExp(`^${name}: expected`));
  });

  it('bounds search words', () => {
    const search = Formats.searchWords(100, 8);
    expect(problem('search.text', 'collège jean moulin rennes', search)).toBeUndefined();
    expect(problem('search.text', 'a b c d e f g h i', search)).toBe(
      'search.text: expected at most 8 words and 100 characters, got "a b c d e f g h i"',
    );
    expect(problem('search.text', 'mot '.repeat(10_000), search)).toBe(
      'search.text: at most 100 characters, got 40000',
    );
  });
});
