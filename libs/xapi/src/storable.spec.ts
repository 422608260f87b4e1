import { MAX_JSON_DEPTH, unstorableProblems } from './storable.js';

const parse = (text: string): unknown => JSON.parse(text);

describe('unstorableProblems', () => {
  it('finds lone surrogates in values and property names, with their paths', () => {
    const value = parse(
      '{"object":{"id":"https://ent.example.fr/\\ud800x"},"context":{"extensions":{"https://e.fr/\\udc00":["ok","\\udbff"]}}}',
    );
    expect(unstorableProblems(value)).toEqual([
      { path: '$.object.id', message: expect.stringContaining('lone UTF-16 surrogate') },
      { path: '$.context.extensions.https://e.fr/\udc00', message: expect.stringContaining('property name') },
      { path: '$.context.extensions.https://e.fr/\udc00[1]', message: expect.stringContaining('surrogate') },
    ]);
  });

  it('accepts paired surrogates (emoji) and every other character', () => {
    expect(unstorableProblems(parse('{"a":"\\ud83d\\ude00 é \\u0001 \\u0000","b":[1.5,-0,1e300]}'))).toEqual([]);
  });

  it('refuses numbers beyond double precision, which JSON.stringify would write back as null', () => {
    expect(unstorableProblems(parse('{"result":{"score":{"raw":1e400}}}'))).toEqual([
      { path: '$.result.score.raw', message: expect.stringContaining('too large') },
    ]);
  });

  it('refuses NUL only where asked (what reaches PostgreSQL text)', () => {
    expect(unstorableProblems('state\u0000id')).toEqual([]);
    expect(unstorableProblems('state\u0000id', 'stateId', { nul: true })).toEqual([
      { path: 'stateId', message: expect.stringContaining('NUL') },
    ]);
  });

  it('walks values nested deeper than the call stack without overflowing it, and says where they go too deep', () => {
    const depth = 200_000;
    const deep = parse(`${'{"d":'.repeat(depth)}"\\ud800"${'}'.repeat(depth)}`);
    expect(unstorableProblems(deep)).toEqual([
      {
        path: `$${'.d'.repeat(MAX_JSON_DEPTH)}`,
        message: `is nested deeper than ${MAX_JSON_DEPTH} levels, more than is stored`,
      },
    ]);
  });

  it('reports the values at MAX_JSON_DEPTH and keeps them', () => {
    const depth = MAX_JSON_DEPTH - 1;
    const deep = parse(`${'{"d":'.repeat(depth)}{"s":"\\ud800"}${'}'.repeat(depth)}`);
    const [problem] = unstorableProblems(deep);
    expect(problem?.path).toBe(`$${'.d'.repeat(depth)}.s`);
    expect(problem?.message).toContain('lone UTF-16 surrogate');
  });
});
