import { graphql } from '@ent-observatory/web';
import { useEffect, useState } from 'react';

export type ViewState<T> =
  { kind: 'loading'; previous?: T } | { kind: 'error'; message: string } | { kind: 'ready'; data: T };

/**
 * One GraphQL round trip for a whole view, again whenever the variables change. While new figures load, the
 * previous ones stay on screen (marked busy) rather than flashing a skeleton at every filter change.
 */
export function useView<T>(query: string, variables: Record<string, unknown>): ViewState<T> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<ViewState<T>>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    setState((s) => ({ kind: 'loading', previous: s.kind === 'ready' ? s.data : undefined }));
    graphql<T>(query, JSON.parse(key) as Record<string, unknown>)
      .then((data) => live && setState({ kind: 'ready', data }))
      .catch((e: Error) => live && setState({ kind: 'error', message: e.message }));
    return () => {
      live = false;
    };
  }, [query, key]);
  return state;
}
