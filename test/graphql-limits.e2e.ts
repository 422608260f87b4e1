import { getIntrospectionQuery } from 'graphql';
import { UserRepository } from '@ent-observatory/store';
import { type TestServer, scrapeMetrics, startServer } from './support/server.js';
import { type GraphQLResult, type Session, errorCode, gql, signIn } from './support/session.js';

/** One GraphQL POST with a raw body, as an attacker would send it. */
async function post(url: string, body: string | Buffer, session?: Session): Promise<GraphQLResult<unknown>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (session) Object.assign(headers, { Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken });
  const payload = typeof body === 'string' ? body : new Blob([new Uint8Array(body)]);
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: payload });
  return { status: res.status, ...((await res.json()) as object) };
}

const YEAR = 'filter: { from: "2025-08-01", to: "2026-07-31" }';
const WEEK = 'filter: { from: "2026-01-05", to: "2026-01-11" }';

describe('GraphQL limits: nobody ties up the server with one request', () => {
  let server: TestServer;
  let admin: Session;

  beforeAll(async () => {
    server = await startServer();
    admin = await signIn(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses introspection to a caller without a session, and lets a signed-in one introspect', async () => {
    const anonymous = await gql(server.url, null, '{ __schema { types { name } } }');
    expect(anonymous.status).toBe(401);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    expect(anonymous.data ?? null).toBeNull();
    const byType = await gql(server.url, null, '{ __type(name: "Query") { fields { name } } }');
    expect(errorCode(byType)).toBe('UNAUTHENTICATED');
    const signedIn = await gql<{ __schema: { types: unknown[] } }>(server.url, admin, getIntrospectionQuery());
    expect(signedIn.status).toBe(200);
    expect(signedIn.data?.__schema.types.length).toBeGreaterThan(20);
  });

  it('gives field suggestions ("Did you mean …?") to signed-in callers only', async () => {
    const anonymous = await gql(server.url, null, '{ mee { email } }');
    expect(anonymous.status).toBe(400);
    expect(errorCode(anonymous)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(anonymous.errors?.[0]?.message).toBe('Cannot query field "mee" on type "Query".');
    const signedIn = await gql(server.url, admin, '{ mee { email } }');
    expect(signedIn.errors?.[0]?.message).toMatch(/Did you mean "me"\?/);
  });

  it('refuses the anonymous 1,000 aliased __schema selections before doing anything', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ');
    const body = JSON.stringify({ query: `{ ${aliases} }` });
    expect(body.length).toBeGreaterThan(30_000);
    const res = await post(server.url, body);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors?.[0]?.message).toMatch(/GRAPHQL_MAX_TOKENS/);
    const fewer = Array.from({ length: 50 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ');
    const byAliases = await post(server.url, JSON.stringify({ query: `{ ${fewer} }` }), admin);
    expect(errorCode(byAliases)).toBe('QUERY_TOO_COMPLEX');
    expect(byAliases.errors?.[0]?.message).toMatch(/Aliases limit of 20 exceeded, found 50/);
    expect(
      (await scrapeMetrics(server.url)).match(/^graphql_requests_refused_total\{reason="shape"\} (\d+)$/m)?.[1],
    ).toBe('2');
  });

  it('refuses aliases of expensive views by their cost, before any of them runs', async () => {
    const tenYears = Array.from({ length: 10 }, (_, i) => `v${i}: equityView(${YEAR}) { __typename }`).join(' ');
    const refused = await gql(server.url, admin, `{ ${tenYears} }`);
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe('QUERY_TOO_COMPLEX');
    expect(refused.errors?.[0]?.message).toMatch(/^the query costs 24\d\d, over the limit of 1000 per request/);
    expect(refused.data ?? null).toBeNull();
    // the cost follows what a view reads: the same ten views over one week fit
    const tenWeeks = Array.from({ length: 10 }, (_, i) => `v${i}: equityView(${WEEK}) { __typename }`).join(' ');
    const allowed = await gql<Record<string, unknown>>(server.url, admin, `{ ${tenWeeks} }`);
    expect(allowed.errors).toBeUndefined();
    expect(Object.keys(allowed.data ?? {})).toHaveLength(10);
    // and a continuity view over a year costs more than an equity view over a year, which costs more than a devices view
    const cost = async (query: string) => {
      const res = await gql(
        server.url,
        admin,
        `{ ${Array.from({ length: 20 }, (_, i) => `v${i}: ${query}`).join(' ')} }`,
      );
      return Number(/costs (\d+)/.exec(res.errors?.[0]?.message ?? '')?.[1]);
    };
    const [continuity, equity, devices] = await Promise.all(
      ['continuityView', 'equityView', 'devicesView'].map((v) => cost(`${v}(${YEAR}) { __typename }`)),
    );
    expect(continuity).toBeGreaterThan(equity!);
    expect(equity).toBeGreaterThan(devices!);
  });

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH, or selecting too many fields', async () => {
    const deep = await gql(server.url, admin, `{ me { ${'... on User { '.repeat(12)} email ${'} '.repeat(12)} } }`);
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.message).toMatch(/Query depth limit of 10 exceeded/);
    const wide = await gql(server.url, admin, `{ ${'me { email id roles { role scope } } '.repeat(80)} }`);
    expect(errorCode(wide)).toBe('QUERY_TOO_COMPLEX');
    expect(wide.errors?.[0]?.message).toMatch(/selects 480 fields, over the limit of 300/);
  });

  it('refuses GraphQL over GET, which would run without the X-CSRF-Token header', async () => {
    const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ me { email } }')}`, {
      headers: { Cookie: admin.cookie, 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const body = (await res.json()) as GraphQLResult<unknown>;
    expect(errorCode(body)).toBe('METHOD_NOT_ALLOWED');
    expect(body.data ?? null).toBeNull();
    const noCsrf = await gql(server.url, { cookie: admin.cookie, csrfToken: '' }, '{ me { email } }');
    expect(errorCode(noCsrf)).toBe('CSRF');
  });

  it('answers a body over 1 MiB with 413 and a clear error, instead of resetting the connection', async () => {
    const body = JSON.stringify({ query: '{ me { email } }', variables: { padding: 'x'.repeat(2_000_000) } });
    const res = await post(server.url, body, admin);
    expect(res.status).toBe(413);
    expect(errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    expect(res.errors?.[0]?.message).toBe('the request body is over 1048576 bytes: send less per request');
    // the same connection pool still works
    expect((await gql(server.url, admin, '{ me { email } }')).status).toBe(200);
  });

  it.each([
    ['C3 28 (a lead byte without its continuation)', [0xc3, 0x28]],
    ['a lone continuation byte', [0x80]],
    ['an overlong "/" (C0 AF)', [0xc0, 0xaf]],
  ])('refuses a body that is not UTF-8 with 400: %s', async (_name, bytes) => {
    const prefix = Buffer.from('{"query":"query($n: String) { me { email } }","variables":{"n":"a');
    const body = Buffer.concat([prefix, Buffer.from(bytes), Buffer.from('"}}')]);
    const res = await post(server.url, body, admin);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_REQUEST');
    expect(res.errors?.[0]?.message).toBe('the request body is not valid UTF-8');
  });
});

describe('GraphQL views run under a per-user concurrency limit', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ VIEW_CONCURRENCY: '4', VIEW_CONCURRENCY_PER_USER: '1', VIEW_QUEUE_PER_USER: '0' });
    const users = new UserRepository(server.store.db);
    for (const who of ['busy', 'other']) {
      await users.ensure({
        email: `${who}@observatoire.test`,
        displayName: who,
        password: `${who}-password-42`,
        roles: [{ role: 'national', scope: '' }],
      });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it("refuses one user's burst beyond their share with 429, while another user's view runs", async () => {
    const busy = await signIn(server.url, 'busy@observatoire.test', 'busy-password-42');
    const other = await signIn(server.url, 'other@observatoire.test', 'other-password-42');
    const view = (s: Session, day: number) =>
      gql(
        server.url,
        s,
        `{ continuityView(filter: { from: "2025-09-01", to: "2026-03-${String(day).padStart(2, '0')}" }) { __typename } }`,
      );
    const [burst, theOther] = await Promise.all([
      Promise.all(Array.from({ length: 12 }, (_, i) => view(busy, i + 1))),
      view(other, 20),
    ]);
    const codes = burst.map((r) => errorCode(r) ?? String(r.status));
    expect(codes).toContain('200');
    expect(codes).toContain('TOO_MANY_REQUESTS');
    const refused = burst.find((r) => errorCode(r) === 'TOO_MANY_REQUESTS')!;
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.message).toMatch(/too many views of your account/);
    // the other user is not refused for the first user's burst
    expect([theOther.status, errorCode(theOther)]).toEqual([200, undefined]);
    const metrics = await scrapeMetrics(server.url);
    expect(metrics).toMatch(/^graphql_views_running 0$/m);
    expect(metrics).toMatch(/^graphql_views_waiting 0$/m);
  });
});
