/** One GraphQL round trip; a GraphQL error becomes an Error whose message can be shown to the user. */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join(' ; '));
  if (!res.ok || !body.data) throw new Error(`Le serveur a répondu ${res.status}`);
  return body.data;
}
