import { type NewUser, UserRepository } from '@ent-observatory/store';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer } from './server.js';

/** A signed-in browser, reduced to what it sends: its session cookie and the CSRF token its page learnt. */
export interface Session {
  cookie: string;
  csrfToken: string;
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function signIn(url: string, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<Session> {
  const res = await fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

/** An account with these roles (created, or its password, name and roles reset: UserRepository.ensure), signed in. */
export async function signedInAs(
  server: Pick<TestServer, 'url' | 'store'>,
  user: NewUser & { password: string },
): Promise<Session> {
  await new UserRepository(server.store.db).ensure(user);
  return signIn(server.url, user.email, user.password);
}

/** One GraphQL request as the dashboard sends it (cookie + CSRF header), or anonymous without a session. */
export async function gql<T>(
  url: string,
  session: Session | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult<T>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (session) {
    headers.Cookie = session.cookie;
    headers['X-CSRF-Token'] = session.csrfToken;
  }
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: res.status, ...body };
}

/** The first error code of a GraphQL answer. */
export function errorCode(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
