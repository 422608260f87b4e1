import { UserRepository } from '@ent-observatory/store';
import { type TestServer, startServer } from './support/server.js';

const OWNER = 'proprietaire@observatoire.test';
const PASSWORD = 'correct horse battery staple';

interface Attempt {
  status: number;
  retryAfter: number;
  device: string | undefined;
}

/** One sign-in as a browser at `address` (behind the TLS proxy, X-Forwarded-For), with its device cookie if any. */
async function attempt(
  url: string,
  email: string,
  password: string,
  address: string,
  device?: string,
): Promise<Attempt> {
  const res = await fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Forwarded-For': address,
      ...(device ? { Cookie: device } : {}),
    },
    body: JSON.stringify({ email, password }),
  });
  const cookies = res.headers.getSetCookie();
  return {
    status: res.status,
    retryAfter: Number(res.headers.get('retry-after') ?? 0),
    device: cookies.find((c) => c.startsWith('ento_device='))?.split(';')[0],
  };
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));

describe('sign-in throttling slows guessing down and never locks the owner out', () => {
  let server: TestServer;
  let ownerBrowser: string;

  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: 'true' });
    const users = new UserRepository(server.store.db);
    for (const email of [OWNER, 'autre@observatoire.test']) {
      await users.ensure({ email, displayName: 'X', password: PASSWORD, roles: [{ role: 'national', scope: '' }] });
    }
    const first = await attempt(server.url, OWNER, PASSWORD, '198.51.100.2');
    expect(first.status).toBe(200);
    ownerBrowser = first.device!;
  });
  afterAll(async () => {
    await server.close();
  });

  it('remembers the browser that signed in with an httpOnly cookie sent only to the sign-in', async () => {
    const res = await fetch(`${server.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.3' },
      body: JSON.stringify({ email: 'autre@observatoire.test', password: PASSWORD }),
    });
    const device = res.headers.getSetCookie().find((c) => c.startsWith('ento_device='));
    expect(device).toMatch(
      /^ento_device=[\w-]{40,}; Path=\/auth\/sign-in; HttpOnly; SameSite=Strict; Max-Age=34560000$/,
    );
    // the session cookie comes first, as before
    expect(res.headers.get('set-cookie')).toMatch(/^ento_session=/);
  });

  it("slows one client's guesses down (1 s, 2 s …) while the owner's browser still signs in at once", async () => {
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt(server.url, OWNER, `guess-${i}`, attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const slowed = await attempt(server.url, OWNER, PASSWORD, attacker);
    expect([slowed.status, slowed.retryAfter]).toEqual([429, 1]); // even the right password waits on that client
    // the owner's browser, from home and from the attacker's own (shared) address
    expect((await attempt(server.url, OWNER, PASSWORD, '198.51.100.2', ownerBrowser)).status).toBe(200);
    expect((await attempt(server.url, OWNER, PASSWORD, attacker, ownerBrowser)).status).toBe(200);
    // a new browser of the owner's, at another address, is not slowed either
    expect((await attempt(server.url, OWNER, PASSWORD, '192.0.2.50')).status).toBe(200);
    // slowed down, not locked: after the wait the attacker's client may try again, and then waits twice as long
    await sleep(slowed.retryAfter);
    expect((await attempt(server.url, OWNER, 'guess-6', attacker)).status).toBe(401);
    const next = await attempt(server.url, OWNER, 'guess-7', attacker);
    expect([next.status, next.retryAfter]).toEqual([429, 2]);
  });

  it('slows a guess spread over many addresses for unknown clients only, for a minute at most', async () => {
    const email = 'autre@observatoire.test';
    const known = (await attempt(server.url, email, PASSWORD, '198.51.100.9')).device!;
    // 20 addresses, one wrong guess each: no single client is slowed
    for (let i = 0; i < 20; i += 1) {
      expect((await attempt(server.url, email, `spread-${i}`, `203.0.113.${100 + i}`)).status).toBe(401);
    }
    const fresh = await attempt(server.url, email, `spread-20`, '203.0.113.200');
    expect(fresh.status).toBe(429);
    expect(fresh.retryAfter).toBeGreaterThan(0);
    expect(fresh.retryAfter).toBeLessThanOrEqual(60);
    // the account's known browser is not concerned
    expect((await attempt(server.url, email, PASSWORD, '203.0.113.200', known)).status).toBe(200);
  });
});
