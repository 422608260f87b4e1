import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  type GraphQLInputType,
  GraphQLList,
  type GraphQLOutputType,
  getNamedType,
  getNullableType,
  isLeafType,
  isNonNullType,
  printSchema,
} from 'graphql';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { AccessRegistry } from '../apps/api/src/auth/access-registry.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer, basicAuth, startServer, xapiHeaders } from './support/server.js';
import { type Session, errorCode, gql, signIn } from './support/session.js';
import { makeStatement } from './support/statements.js';

const signInRaw = (url: string, email: string, password: string) =>
  fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

describe('sign-in, sessions and admin', () => {
  let server: TestServer;
  let admin: Session;

  beforeAll(async () => {
    server = await startServer();
    await server.store.query('DELETE FROM users WHERE email <> $1', [ADMIN_EMAIL]);
    admin = await signIn(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('signs the bootstrap admin in with an httpOnly SameSite cookie and answers who it is', async () => {
    const res = await signInRaw(server.url, ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ento_session=[\w-]{40,};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const body = (await res.json()) as { user: { email: string; roles: unknown[] }; csrfToken: string };
    expect(body.user).toMatchObject({ email: ADMIN_EMAIL, roles: [{ role: 'admin', scope: '' }] });
    const me = await gql<{ me: { email: string } }>(server.url, admin, '{ me { email roles { role scope } } }');
    expect(me.data?.me.email).toBe(ADMIN_EMAIL);
    const session = await fetch(`${server.url}/auth/session`, { headers: { Cookie: admin.cookie } });
    expect(((await session.json()) as { csrfToken: string }).csrfToken).toBe(admin.csrfToken);
  });

  it('refuses a wrong password and an unknown email with the same 401 answer', async () => {
    const wrong = await signInRaw(server.url, ADMIN_EMAIL, 'not-the-password');
    const unknown = await signInRaw(server.url, 'nobody@observatoire.test', 'whatever-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    const missing = await fetch(`${server.url}/auth/sign-in`, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(missing.status).toBe(400);
  });

  it('slows repeated failures from one client with 429 and Retry-After, and lets it in once it waited', async () => {
    const email = 'cible@observatoire.test';
    await gql(server.url, admin, 'mutation($i: NewUserInput!) { createUser(input: $i) { id } }', {
      i: { email, displayName: 'Cible', password: 'the-right-password', roles: [{ role: 'national' }] },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await signInRaw(server.url, email, `guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const slowed = await signInRaw(server.url, email, 'the-right-password');
    expect(slowed.status).toBe(429); // this client must wait, whatever it sends
    const wait = Number(slowed.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(2);
    // another account is not affected
    expect((await signInRaw(server.url, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    // slowed down, not locked: after the wait the right password works
    await new Promise((r) => setTimeout(r, wait * 1000));
    expect((await signInRaw(server.url, email, 'the-right-password')).status).toBe(200);
  });

  it('holds the limit against parallel guesses, and takes credentials only as JSON', async () => {
    const email = 'parallele@observatoire.test';
    await gql(server.url, admin, 'mutation($i: NewUserInput!) { createUser(input: $i) { id } }', {
      i: { email, displayName: 'Parallèle', password: 'the-right-password', roles: [{ role: 'national' }] },
    });
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signInRaw(server.url, email, `guess-${i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    const form = await fetch(`${server.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    expect(form.status).toBe(415); // a cross-site form cannot sign anyone in
    expect(form.headers.get('set-cookie')).toBeNull();
  });

  it('keeps one enabled admin, and reads no upload from someone without a session', async () => {
    const me = await gql<{ me: { id: string } }>(server.url, admin, '{ me { id } }');
    const users = await gql<{ users: { id: string; email: string }[] }>(server.url, admin, '{ users { id email } }');
    const myId = users.data?.users.find((u) => u.email === ADMIN_EMAIL)?.id;
    expect(me.status).toBe(200);
    const refused = await gql(
      server.url,
      admin,
      'mutation($id: String!) { setUserEnabled(id: $id, enabled: false) { id } }',
      {
        id: myId,
      },
    );
    expect(refused.errors?.[0]?.message).toMatch(/propre compte/);
    const demoted = await gql(
      server.url,
      admin,
      'mutation($id: String!) { setUserRoles(id: $id, roles: [{ role: national }]) { id } }',
      {
        id: myId,
      },
    );
    expect(demoted.errors?.[0]?.message).toMatch(/dernier compte administrateur actif/);
    const upload = await fetch(`${server.url}/admin/imports?filename=a.csv`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: 'uai;classe\r\n',
    });
    expect(upload.status).toBe(401);
  });

  it('needs a session for GraphQL, and the CSRF token with it', async () => {
    const anonymous = await gql(server.url, null, '{ me { email } }');
    expect(anonymous.status).toBe(401);
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    const noCsrf = await gql(server.url, { cookie: admin.cookie, csrfToken: 'forged' }, '{ me { email } }');
    expect(noCsrf.status).toBe(403);
    expect(errorCode(noCsrf)).toBe('CSRF');
    expect(noCsrf.data ?? null).toBeNull();
  });

  it('lets an admin create a user, whom admin operations then refuse', async () => {
    const created = await gql<{ createUser: { id: string; roles: { role: string; scope: string }[] } }>(
      server.url,
      admin,
      'mutation($i: NewUserInput!) { createUser(input: $i) { id roles { role scope } } }',
      {
        i: {
          email: 'Rectorat@AC-Rennes.fr',
          displayName: 'Rectorat',
          password: 'rennes-password-1',
          roles: [{ role: 'academy', scope: '14' }],
        },
      },
    );
    expect(created.data?.createUser.roles).toEqual([{ role: 'academy', scope: '14' }]);
    const rennes = await signIn(server.url, 'rectorat@ac-rennes.fr', 'rennes-password-1');
    const refused = await gql(server.url, rennes, '{ users { email } }');
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.data ?? null).toBeNull();
  });

  it("resets a user's password through the password policy, ends their sessions; no admin disables their own account", async () => {
    const created = await gql<{ createUser: { id: string } }>(
      server.url,
      admin,
      'mutation($i: NewUserInput!) { createUser(input: $i) { id } }',
      {
        i: {
          email: 'oubli@ac-rennes.fr',
          displayName: 'Camille Oubli',
          password: 'premier-mot-de-passe-1',
          roles: [{ role: 'admin', scope: '' }],
        },
      },
    );
    const id = created.data!.createUser.id;
    const before = await signIn(server.url, 'oubli@ac-rennes.fr', 'premier-mot-de-passe-1');
    const reset = (password: string) =>
      gql(
        server.url,
        admin,
        'mutation($id: String!, $p: String!) { resetUserPassword(id: $id, password: $p) { id } }',
        {
          id,
          p: password,
        },
      );
    // The same policy as at creation: too short, a common password, the account's own name.
    for (const [password, message] of [
      ['court', /password: at least 12/],
      ['password1234', /password: too easy to guess \(it is a common password/],
      ['camille-oubli', /password: too easy to guess \(it is made of the account's own name/],
    ] as const) {
      const res = await reset(password);
      expect([password, errorCode(res)]).toEqual([password, 'BAD_USER_INPUT']);
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    expect((await reset('Tartine-Nuage-Vélo-77')).errors).toBeUndefined();
    expect((await gql(server.url, before, '{ me { id } }')).status).toBe(401);
    await expect(signIn(server.url, 'oubli@ac-rennes.fr', 'premier-mot-de-passe-1')).rejects.toThrow(/401/);
    const after = await signIn(server.url, 'oubli@ac-rennes.fr', 'Tartine-Nuage-Vélo-77');
    // Another admin exists now, yet nobody disables their own account (they would lock themselves out).
    const self = await gql(
      server.url,
      after,
      'mutation($id: String!) { setUserEnabled(id: $id, enabled: false) { id } }',
      {
        id,
      },
    );
    expect(self.errors?.[0]?.message).toBe(
      'Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.',
    );
    const other = await gql(
      server.url,
      admin,
      'mutation($id: String!) { setUserEnabled(id: $id, enabled: false) { id } }',
      {
        id,
      },
    );
    expect(other.errors).toBeUndefined();
  });

  it('rejects bad account input with a message naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ email: 'pas-un-email', password: 'long-enough-pass', roles: [] }, /email/],
      [{ email: 'a@b.fr', password: 'short', roles: [] }, /password: at least 12/],
      [
        { email: 'a@b.fr', password: 'long-enough-pass', roles: [{ role: 'academy' }] },
        /Périmètre manquant : le rôle académie/,
      ],
      [
        { email: 'a@b.fr', password: 'long-enough-pass', roles: [{ role: 'academy', scope: 'Rennes' }] },
        /Périmètre « Rennes » invalide pour le rôle académie : le code de l’académie en 2 chiffres/,
      ],
      [
        { email: 'a@b.fr', password: 'long-enough-pass', roles: [{ role: 'national', scope: '14' }] },
        /ne prend pas de périmètre/,
      ],
      [{ email: ADMIN_EMAIL, password: 'long-enough-pass', roles: [] }, /a déjà un compte/],
    ];
    for (const [input, message] of cases) {
      const res = await gql(server.url, admin, 'mutation($i: NewUserInput!) { createUser(input: $i) { id } }', {
        i: { displayName: 'X', ...input },
      });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
  });

  it('ends the sessions of a disabled user and refuses their sign-in', async () => {
    const { data } = await gql<{ createUser: { id: string } }>(
      server.url,
      admin,
      'mutation($i: NewUserInput!) { createUser(input: $i) { id } }',
      {
        i: {
          email: 'parti@observatoire.test',
          displayName: 'Parti',
          password: 'leaving-password',
          roles: [{ role: 'national' }],
        },
      },
    );
    const leaving = await signIn(server.url, 'parti@observatoire.test', 'leaving-password');
    expect((await gql(server.url, leaving, '{ me { email } }')).status).toBe(200);
    await gql(server.url, admin, 'mutation($id: String!) { setUserEnabled(id: $id, enabled: false) { enabled } }', {
      id: data?.createUser.id,
    });
    expect(errorCode(await gql(server.url, leaving, '{ me { email } }'))).toBe('UNAUTHENTICATED');
    expect((await signInRaw(server.url, 'parti@observatoire.test', 'leaving-password')).status).toBe(401);
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const session = await signIn(server.url);
    const withoutCsrf = await fetch(`${server.url}/auth/sign-out`, {
      method: 'POST',
      headers: { Cookie: session.cookie },
    });
    expect(withoutCsrf.status).toBe(403);
    const out = await fetch(`${server.url}/auth/sign-out`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrfToken },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/ento_session=;.*Max-Age=0/);
    expect(errorCode(await gql(server.url, session, '{ me { email } }'))).toBe('UNAUTHENTICATED');
  });

  it('creates an LRS credential whose secret is shown once and works at once, and revokes it', async () => {
    const created = await gql<{
      createLrsCredential: { credential: { key: string; scopes: string[] }; secret: string };
    }>(
      server.url,
      admin,
      'mutation { createLrsCredential(label: "ENT Toutatice", scopes: ["statements/write"]) { credential { key scopes enabled } secret } }',
    );
    const { key } = created.data!.createLrsCredential.credential;
    const { secret } = created.data!.createLrsCredential;
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const listed = await gql<{ lrsCredentials: Record<string, unknown>[] }>(
      server.url,
      admin,
      '{ lrsCredentials { key label scopes enabled } }',
    );
    expect(listed.data?.lrsCredentials).toContainEqual({
      key,
      label: 'ENT Toutatice',
      scopes: ['statements/write'],
      enabled: true,
    });
    expect(JSON.stringify(listed)).not.toContain(secret);
    const post = () =>
      fetch(`${server.url}/xapi/statements`, {
        method: 'POST',
        headers: xapiHeaders({ Authorization: basicAuth(key, secret) }),
        body: JSON.stringify(makeStatement(1)),
      });
    expect((await post()).status).toBe(200);
    const read = await fetch(`${server.url}/xapi/statements?statementId=${crypto.randomUUID()}`, {
      headers: xapiHeaders({ Authorization: basicAuth(key, secret) }),
    });
    expect(read.status).toBe(403); // write-only credential
    await gql(server.url, admin, `mutation { revokeLrsCredential(key: "${key}") { enabled } }`);
    expect((await post()).status).toBe(401);
    const bad = await gql(
      server.url,
      admin,
      'mutation { createLrsCredential(label: "x", scopes: ["everything"]) { secret } }',
    );
    expect(bad.errors?.[0]?.message).toMatch(/not everything/);
  });
});

describe('deny by default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('gives every GraphQL operation of the schema and every HTTP route an access rule', () => {
    const operations = server.app.get(AccessRegistry).operations();
    const schema = server.app.get(GraphQLSchemaHost).schema;
    const fields = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((f) => `Query ${f}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation ${f}`),
    ];
    const registered = new Map(operations.map((op) => [`${op.kind} ${op.name}`, op.rule]));
    expect(fields.length).toBeGreaterThan(5);
    for (const field of fields) {
      expect([field, registered.has(field)]).toEqual([field, true]);
      expect([field, registered.get(field)?.kind]).not.toEqual([field, undefined]);
    }
    for (const op of operations) expect([op.handler, op.rule?.kind]).not.toEqual([op.handler, undefined]);
    // the only operations open to anyone are these
    const open = operations.filter((op) => op.rule?.kind === 'public').map((op) => op.name);
    expect(open.sort()).toEqual(
      [
        'GET /health',
        'GET /metrics',
        'GET /xapi/about',
        'HEAD /xapi/about',
        'GET /xapi/openapi.json',
        'HEAD /xapi/openapi.json',
        'POST /auth/sign-in',
        // the training space: the AU's own fetch URL and token-authenticated calls, package files AUs load,
        // the public check of an attestation, and the integration API's description
        'POST /formation/api/fetch/:token',
        'GET /formation/api/au/content',
        'POST /formation/api/au/quiz',
        'POST /formation/api/au/submission',
        'GET /formation/contenus/:courseId/*',
        'GET /formation/api/attestations/:code',
        'GET /formation/api/openapi.json',
      ].sort(),
    );
    expect(printSchema(schema)).toContain('type Query');
  });

  it('answers UNAUTHENTICATED to every GraphQL root field called without a session', async () => {
    const schema = server.app.get(GraphQLSchemaHost).schema;
    const roots = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const;
    let called = 0;
    for (const [op, type] of roots) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const args = field.args.filter((a) => isNonNullType(a.type));
        const argText = args.length ? `(${args.map((a) => `${a.name}: ${literalFor(a.type)}`).join(', ')})` : '';
        const res = await gql(
          server.url,
          null,
          `${op} { __typename ${field.name}${argText}${selectionFor(field.type)} }`,
        );
        expect([field.name, res.errors?.map((e) => e.extensions?.code)]).toEqual([field.name, ['UNAUTHENTICATED']]);
        expect([field.name, res.data?.[field.name as never] ?? null]).toEqual([field.name, null]);
        called += 1;
      }
    }
    expect(called).toBeGreaterThan(5);
  });
});

/** A valid GraphQL literal of a type: the guard must refuse before the value matters. */
function literalFor(type: GraphQLInputType): string {
  const t = getNullableType(type);
  if (t instanceof GraphQLList) return `[${literalFor(t.ofType)}]`;
  if (t instanceof GraphQLEnumType) return t.getValues()[0]!.name;
  if (t instanceof GraphQLInputObjectType) {
    const fields = Object.values(t.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{${fields.map((f) => `${f.name}: ${literalFor(f.type)}`).join(', ')}}`;
  }
  const name = t.name;
  if (name === 'Int' || name === 'Float') return '1';
  if (name === 'Boolean') return 'true';
  if (name === 'DateTime') return '"2026-01-05T00:00:00Z"';
  return '"x"';
}

/** `{ __typename }` for object results, nothing for scalars. */
function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  return isLeafType(named) ? '' : ' { __typename }';
}

describe('LRS rate limit', () => {
  it('limits an LRS credential to LRS_RATE_LIMIT requests per second with 429 and Retry-After', async () => {
    const limited = await startServer({ LRS_RATE_LIMIT: '1' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 4; i += 1) {
        const res = await fetch(`${limited.url}/xapi/about`, { headers: xapiHeaders() });
        statuses.push(res.status);
        retryAfter ??= res.headers.get('retry-after');
        if (res.status === 429) expect(((await res.json()) as { error: string }).error).toBe('too_many_requests');
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // the same resource through a percent-encoded path is the same route, and the same bucket
      const encoded = await fetch(`${limited.url}/%78api/about`, { headers: xapiHeaders() });
      expect(encoded.status).toBe(429);
      // a wrong secret spends nothing of the key's quota (anyone can name a key), it counts against its address
      const unknown = await fetch(`${limited.url}/xapi/statements?statementId=${crypto.randomUUID()}`, {
        headers: xapiHeaders({ Authorization: basicAuth('some-key', 'wrong') }),
      });
      expect(unknown.status).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
