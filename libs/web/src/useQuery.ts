import { graphql } from './graphql';
import { useCallback, useEffect, useState } from 'react';

export type QueryState<T> = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; data: T };

/** Runs a GraphQL query on mount and on `reload()`; the state says whether it is loading, failed or ready. */
export function useQuery<T>(query: string, variables: Record<string, unknown> = {}) {
  const [state, setState] = useState<QueryState<T>>({ kind: 'loading' });
  const key = JSON.stringify(variables);
  const reload = useCallback(() => {
    graphql<T>(query, JSON.parse(key) as Record<string, unknown>)
      .then((data) => setState({ kind: 'ready', data }))
      .catch((e: Error) => setState({ kind: 'error', message: e.message }));
  }, [query, key]);
  useEffect(reload, [reload]);
  return { state, reload };
}
