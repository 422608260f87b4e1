import { GraphQLRequestError, graphql } from '@ent-observatory/web';
import { useEffect, useState } from 'react';

export type ViewState<T> =
  { kind: 'loading'; previous?: T } | { kind: 'error'; message: string; code?: string } | { kind: 'ready'; data: T };

type Answer<T> = { key: string } & ({ kind: 'error'; message: string; code?: string } | { kind: 'ready'; data: T });

/**
 * One GraphQL round trip for a whole view, again whenever the variables change. While new figures load, the
 * previous ones stay on screen (marked busy) rather than flashing a skeleton at every filter change. No variables:
 * nothing is asked (the view lacks a choice, e.g. which establishment).
 */
export function useView<T>(query: string, variables: Record<string, unknown> | undefined): ViewState<T> {
  const key = variables ? JSON.stringify(variables) : '';
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  useEffect(() => {
    if (!key) return;
    let live = true;
    graphql<T>(query, JSON.parse(key) as Record<string, unknown>)
      .then((data) => {
        if (live) setAnswer({ key, kind: 'ready', data });
      })
      .catch((e: Error) => {
        if (live)
          setAnswer({
            key,
            kind: 'error',
            message: e.message,
            code: e instanceof GraphQLRequestError ? e.code : undefined,
          });
      });
    return () => {
      live = false;
    };
  }, [query, key]);
  if (!answer || answer.key !== key)
    return { kind: 'loading', previous: answer?.kind === 'ready' ? answer.data : undefined };
  return answer;
}
