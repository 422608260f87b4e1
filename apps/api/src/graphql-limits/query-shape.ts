import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type SelectionSetNode,
  parse,
  validate,
} from 'graphql';
import { ApiErrorCode, ApiException } from '../common/api-error.js';

/** The structural limits of one GraphQL document (docs/security.md, "GraphQL limits"). */
export interface ShapeLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxFields: number;
}

/**
 * Parses a GraphQL document and refuses it (QUERY_TOO_COMPLEX) when it is too long, too deep, has too many aliases
 * or too many fields once fragments are expanded — before Apollo validates it: validation compares fields that
 * share a response name pairwise (OverlappingFieldsCanBeMerged), so 800 copies of one aliased selection cost
 * seconds of CPU. Depth and aliases are counted by GraphQL Armor's rules; a document that does not parse is left
 * to Apollo, which reports the syntax error. Returns the parsed document.
 */
export function checkQueryShape(schema: GraphQLSchema, source: string, limits: ShapeLimits): DocumentNode | undefined {
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens });
  } catch (e) {
    if (e instanceof GraphQLError && /contains more th\w+ \d+ tokens/.test(e.message)) {
      throw tooComplex(`the query has more than ${limits.maxTokens} tokens (GRAPHQL_MAX_TOKENS)`);
    }
    return undefined;
  }
  const problems: string[] = [];
  const onReject = [
    (_: unknown, error: GraphQLError) => void problems.push(error.message.replace(/^Syntax Error: /, '')),
  ];
  validate(schema, document, [
    // Introspection is gated per caller (GraphqlLimitsPlugin); its standard query nests types 21 levels deep.
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, propagateOnRejection: false, onReject }),
    maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject }),
  ]);
  if (problems.length > 0) {
    throw tooComplex(`${problems.join(' ')} (GRAPHQL_MAX_DEPTH, GRAPHQL_MAX_ALIASES): split the request`);
  }
  const fields = countFields(document);
  if (fields > limits.maxFields) {
    throw tooComplex(`the query selects ${fields} fields, over the limit of ${limits.maxFields} (GRAPHQL_MAX_FIELDS)`);
  }
  return document;
}

function tooComplex(message: string): ApiException {
  return new ApiException(ApiErrorCode.QueryTooComplex, message);
}

/**
 * Fields of the largest operation with every fragment spread expanded (a fragment counted once per spread), capped
 * just above any limit: fragments spreading fragments can describe exponentially many fields in a few lines.
 */
export function countFields(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const memo = new Map<string, number>();
  const cap = 1_000_000;
  const inSelection = (set: SelectionSetNode | undefined, visiting: Set<string>): number => {
    let n = 0;
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) n += 1 + inSelection(s.selectionSet, visiting);
      else if (s.kind === Kind.INLINE_FRAGMENT) n += inSelection(s.selectionSet, visiting);
      else n += ofFragment(s.name.value, visiting);
      if (n > cap) return cap;
    }
    return n;
  };
  const ofFragment = (name: string, visiting: Set<string>): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // A cycle is a validation error Apollo reports; it adds nothing here.
    if (!fragment || visiting.has(name)) return 0;
    const n = inSelection(fragment.selectionSet, new Set([...visiting, name]));
    memo.set(name, n);
    return n;
  };
  let largest = 0;
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) largest = Math.max(largest, inSelection(d.selectionSet, new Set()));
  }
  return largest;
}
