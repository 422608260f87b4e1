import { buildSchema, getIntrospectionQuery } from 'graphql';
import { ApiException } from '../common/api-error.js';
import { checkQueryShape, countFields } from './query-shape.js';

const schema = buildSchema(`
  type Query { me: User, node(id: ID): Node }
  type User { id: ID, name: String, friends: [User] }
  type Node { id: ID, parent: Node }
`);
const LIMITS = { maxTokens: 3000, maxDepth: 10, maxAliases: 20, maxFields: 300 };

function refusal(query: string): string | undefined {
  try {
    checkQueryShape(schema, query, LIMITS);
    return undefined;
  } catch (e) {
    if (e instanceof ApiException) return `${e.code}: ${e.message}`;
    throw e;
  }
}

describe('GraphQL document shape limits', () => {
  it('accepts an ordinary query and the standard introspection query', () => {
    expect(refusal('{ me { id name friends { id name } } }')).toBeUndefined();
    expect(refusal(getIntrospectionQuery())).toBeUndefined();
  });

  it('refuses aliased __schema selections (the anonymous 68 MB answer) by their aliases', () => {
    const schemas = `{ ${Array.from({ length: 100 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ')} }`;
    expect(refusal(schemas)).toMatch(/^QUERY_TOO_COMPLEX: .*Aliases limit of 20 exceeded, found 100/);
    // aliases of __typename are free, but not in any number
    const typenames = `{ ${Array.from({ length: 900 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expect(refusal(typenames)).toMatch(/^QUERY_TOO_COMPLEX: the query selects 900 fields/);
  });

  it('refuses a document over the token limit before parsing all of it', () => {
    const query = `{ ${'me { id } '.repeat(2000)} }`;
    expect(refusal(query)).toBe('QUERY_TOO_COMPLEX: the query has more than 3000 tokens (GRAPHQL_MAX_TOKENS)');
  });

  it('refuses a query nested deeper than the limit, through fragments too', () => {
    const deep = `{ node { ${'parent { '.repeat(12)} id ${'} '.repeat(12)} } }`;
    expect(refusal(deep)).toMatch(/^QUERY_TOO_COMPLEX: .*Query depth limit of 10 exceeded, found 14/);
    const viaFragments = `{ me { ...F } } fragment F on User { friends { friends { friends { ...G } } } }
      fragment G on User { friends { friends { friends { friends { friends { id } } } } } }`;
    expect(refusal(viaFragments)).toMatch(/depth limit of 10 exceeded/);
  });

  it('refuses repeated fields without aliases, which validation would compare pairwise', () => {
    const query = `{ ${'me { id friends { id } } '.repeat(120)} }`;
    expect(refusal(query)).toBe(
      'QUERY_TOO_COMPLEX: the query selects 480 fields, over the limit of 300 (GRAPHQL_MAX_FIELDS)',
    );
  });

  it('counts fields through fragments that spread fragments, without expanding them', () => {
    const levels = 30; // 2^30 fields once expanded
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1
        ? `fragment F${i} on User { id }`
        : `fragment F${i} on User { friends { ...F${i + 1} } friends { ...F${i + 1} } }`,
    ).join('\n');
    const started = performance.now();
    expect(countFields(checkable(`{ me { ...F0 } } ${fragments}`))).toBeGreaterThan(300);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(refusal(`{ me { ...F0 } } ${fragments}`)).toMatch(/^QUERY_TOO_COMPLEX/);
  });

  it('leaves a document that does not parse to Apollo, which reports the syntax error', () => {
    expect(checkQueryShape(schema, '{ me { id ', LIMITS)).toBeUndefined();
  });
});

function checkable(query: string) {
  return checkQueryShape(schema, query, { ...LIMITS, maxFields: Number.MAX_SAFE_INTEGER, maxDepth: 1000 })!;
}
