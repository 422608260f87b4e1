import { Writable } from 'node:stream';
import { pino } from 'pino';
import { type TestServer, startServer } from './support/server.js';
import { type GraphQLResult, type Session, errorCode, gql, signIn } from './support/session.js';

const NUL = 'a\u0000b';
const FILTER = { from: '2026-01-05', to: '2026-01-11' };

/** The process log as JSON lines, to check what it keeps and at which level. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('arguments are checked at the edge: nothing malformed reaches a store', () => {
  let server: TestServer;
  let admin: Session;
  const log = capturedLogger();

  beforeAll(async () => {
    server = await startServer({ LOG_LEVEL: 'info' }, { logger: log.logger });
    admin = await signIn(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses a non-UUID id with 400 BAD_USER_INPUT naming it, where PostgreSQL answered before', async () => {
    for (const mutation of [
      'mutation($id: String!) { setUserEnabled(id: $id, enabled: true) { id } }',
      'mutation($id: String!) { setUserRoles(id: $id, roles: [{ role: national }]) { id } }',
    ]) {
      const res = await gql(server.url, admin, mutation, { id: 'nope' });
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toBe(
        'id: expected a UUID such as 3f0c2a4e-8d1b-4c55-9a77-2b1f0e6d9c10, got "nope"',
      );
      expect(JSON.stringify(res)).not.toMatch(/query|params|users/i);
    }
  });

  it.each([
    ['classId', 'query($v: String!) { classMembers(classId: $v) { memberId } }', { v: `0350122T:2025-2026:${NUL}` }],
    ['search.text', 'query($v: String) { establishments(search: { text: $v }) { total } }', { v: NUL }],
    ['search.commune', 'query($v: String) { establishments(search: { commune: $v }) { total } }', { v: NUL }],
    ['search.uai', 'query($v: String) { establishments(search: { uai: $v }) { total } }', { v: NUL }],
    ['uai', 'query($v: String!) { establishment(uai: $v) { name } }', { v: NUL }],
    [
      'filter.uai',
      'query($f: ObservatoryFilter!) { servicesView(filter: $f) { __typename } }',
      { f: { ...FILTER, uai: NUL } },
    ],
    [
      'filter.service[0]',
      'query($f: ObservatoryFilter!) { adoption(filter: $f) { __typename } }',
      { f: { ...FILTER, service: [NUL] } },
    ],
    [
      'filter.from',
      'query($f: ObservatoryFilter!) { overview(filter: $f) { __typename } }',
      { f: { ...FILTER, from: NUL } },
    ],
    ['key', 'mutation($v: String!) { revokeLrsCredential(key: $v) { key } }', { v: NUL }],
    ['label', 'mutation($v: String!) { createLrsCredential(label: $v, scopes: ["all"]) { secret } }', { v: NUL }],
    ['agent', 'mutation($v: String!) { eraseAgent(agent: $v) { statements } }', { v: `{"name":"${NUL}"}` }],
    [
      'input.displayName',
      'mutation($i: NewUserInput!) { createUser(input: $i) { id } }',
      { i: { email: 'x@y.fr', displayName: NUL, password: 'correct horse battery staple', roles: [] } },
    ],
  ])('refuses a NUL byte in %s with 400 naming it', async (path, query, variables) => {
    const res = await gql(server.url, admin, query, variables);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}: `));
    expect(JSON.stringify(res)).not.toMatch(/invalid byte sequence|UTF8/);
  });

  it('checks REST arguments the same way: the sign-in body and the import file name', async () => {
    const signInRes = await fetch(`${server.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: `admin${NUL}@observatoire.test`, password: 'whatever-password' }),
    });
    expect(signInRes.status).toBe(400);
    expect(await signInRes.json()).toEqual({
      statusCode: 400,
      code: 'BAD_USER_INPUT',
      message: 'email: contains the control character U+0000 at position 7: remove it',
    });
    const upload = await fetch(`${server.url}/admin/imports?filename=${encodeURIComponent(`a${NUL}.csv`)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Cookie: admin.cookie, 'X-CSRF-Token': admin.csrfToken },
      body: 'uai;classe\r\n',
    });
    expect(upload.status).toBe(400);
    expect(((await upload.json()) as { message: string }).message).toMatch(/^filename: contains the control character/);
  });

  it('leaves the LRS its own checks and error format, on its public routes too', async () => {
    const res = await fetch(`${server.url}/xapi/about?probe=${encodeURIComponent(NUL)}`, {
      headers: { 'X-Experience-API-Version': '1.0.3' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-experience-api-version')).toBeTruthy();
  });

  it('bounds the directory search: 10,000 or 65,000 words are refused at once, a real search works', async () => {
    for (const words of [10_000, 65_000]) {
      const res = await gql(server.url, admin, 'query($t: String) { establishments(search: { text: $t }) { total } }', {
        t: Array.from({ length: words }, (_, i) => `w${i}`).join(' '),
      });
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.message).toMatch(/^search\.text: at most 100 characters/);
    }
    const nine = await gql(server.url, admin, '{ establishments(search: { text: "a b c d e f g h i" }) { total } }');
    expect(nine.errors?.[0]?.message).toBe(
      'search.text: expected at most 8 words and 100 characters, got "a b c d e f g h i"',
    );
    const ok = await gql<{ establishments: { total: number } }>(
      server.url,
      admin,
      '{ establishments(search: { text: "collège rennes" }) { total } }',
    );
    expect(ok.status).toBe(200);
  });

  it('refuses weak passwords with a maintained estimator and a common-password list', async () => {
    const create = (password: string, email: string) =>
      gql(server.url, admin, 'mutation($i: NewUserInput!) { createUser(input: $i) { id } }', {
        i: { email, displayName: 'Camille Durand', password, roles: [{ role: 'national' }] },
      });
    for (const [password, message] of [
      ['            ', /^input\.password: not only spaces$/],
      ['aaaaaaaaaaaa', /^input\.password: too easy to guess \(it repeats characters\)/],
      ['password1234', /^input\.password: too easy to guess \(it is a common password/],
      ['camille-durand', /^input\.password: too easy to guess \(it is made of the account's own name/],
    ] as const) {
      const res = await create(password, 'camille.durand@ac-rennes.fr');
      expect([password, errorCode(res)]).toEqual([password, 'BAD_USER_INPUT']);
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    expect((await create('Vélo-Nuage-Tartine-42', 'camille.durand@ac-rennes.fr')).errors).toBeUndefined();
  });

  it('refuses roles whose scope is malformed: a teacher needs a class id, a trainer a course id', async () => {
    const grant = (role: string, scope: string) =>
      gql(server.url, admin, 'mutation($i: NewUserInput!) { createUser(input: $i) { id } }', {
        i: {
          email: `${role}-${scope.length}@ac-rennes.fr`,
          displayName: 'X',
          password: 'correct horse battery staple',
          roles: [{ role, scope }],
        },
      });
    const teacher = await grant('teacher', 'CM2 A');
    expect(teacher.errors?.[0]?.message).toBe(
      'Périmètre « CM2 A » invalide pour le rôle enseignant : l’identifiant d’une classe, UAI:année:nom, par exemple 0350122T:2025-2026:CM1-CM2 A.',
    );
    const trainer = await grant('trainer', 'Découverte ENT');
    expect(trainer.errors?.[0]?.message).toMatch(/^Périmètre « Découverte ENT » invalide pour le rôle formateur/);
    expect((await grant('teacher', '0350122T:2025-2026:CM1-CM2 A')).errors).toBeUndefined();
    expect((await grant('trainer', 'decouverte-ent')).errors).toBeUndefined();
  });

  it('logs refusals (401, 403, 400) at info, not error', async () => {
    log.lines.length = 0;
    const national = await createAndSignIn(server, admin, 'national');
    expect(errorCode(await gql(server.url, null, '{ me { email } }'))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(server.url, national, '{ users { email } }'))).toBe('FORBIDDEN');
    expect((await fetch(`${server.url}/auth/sign-out`, { method: 'POST' })).status).toBe(401);
    const refusals = log.lines.filter(
      (l) => ['UNAUTHENTICATED', 'FORBIDDEN'].includes(l.code as string) || l.status === 401,
    );
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(refusals.every((l) => l.level === 30)).toBe(true);
    expect(log.lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('answers an unexpected failure with a generic message and a correlation id; the log keeps the detail', async () => {
    log.lines.length = 0;
    await server.store.query('ALTER TABLE lrs_credentials RENAME TO lrs_credentials_moved');
    let res: GraphQLResult<unknown>;
    try {
      res = await gql(server.url, admin, '{ lrsCredentials { key } }');
    } finally {
      await server.store.query('ALTER TABLE lrs_credentials_moved RENAME TO lrs_credentials');
    }
    expect(res.status).toBe(500);
    expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
    const message = res.errors?.[0]?.message ?? '';
    const id = /reference ([0-9a-f-]{36})/.exec(message)?.[1];
    expect(id).toBeDefined();
    expect(JSON.stringify(res)).not.toMatch(/lrs_credentials|does not exist|SELECT|\.ts:\d/);
    const logged = log.lines.find((l) => l.correlationId === id);
    expect(logged?.level).toBe(50);
    expect(JSON.stringify(logged)).toMatch(/lrs_credentials/);
    // the same over REST
    await server.store.query('ALTER TABLE sessions RENAME TO sessions_moved');
    let rest: Response;
    try {
      rest = await fetch(`${server.url}/auth/session`, { headers: { Cookie: admin.cookie } });
    } finally {
      await server.store.query('ALTER TABLE sessions_moved RENAME TO sessions');
    }
    expect(rest.status).toBe(500);
    const body = (await rest.json()) as { code: string; message: string };
    expect(body.code).toBe('INTERNAL_SERVER_ERROR');
    const restId = /reference ([0-9a-f-]{36})/.exec(body.message)?.[1];
    expect(JSON.stringify(log.lines.find((l) => l.correlationId === restId))).toMatch(/sessions/);
  });
});

async function createAndSignIn(server: TestServer, admin: Session, role: string): Promise<Session> {
  const email = `${role}-logs@observatoire.test`;
  await gql(server.url, admin, 'mutation($i: NewUserInput!) { createUser(input: $i) { id } }', {
    i: { email, displayName: role, password: 'correct horse battery staple', roles: [{ role }] },
  });
  return signIn(server.url, email, 'correct horse battery staple');
}
