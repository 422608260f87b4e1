import { storeModes } from '../../../test/support/store.js';
import { type Store, openStore } from './database.js';
import { migrateStore } from './migrate.js';
import { verifySecret } from './secrets.js';
import { SessionRepository, UserRepository, sessionTokenHash } from './users.js';

describe.each(storeModes())('users and sessions on %s', (_name, config) => {
  let store: Store;
  let users: UserRepository;
  let sessions: SessionRepository;
  beforeAll(async () => {
    store = await openStore(config);
    await migrateStore(store);
    await store.query("DELETE FROM users WHERE email LIKE '%@users-spec.test'");
    users = new UserRepository(store.db);
    sessions = new SessionRepository(store.db);
  });
  afterAll(async () => {
    await store.close();
  });

  it('creates an account with a hashed password and its roles, found by email in any case', async () => {
    const created = await users.create({
      email: 'Rectorat@Users-Spec.test',
      displayName: 'Rectorat',
      password: 'a-long-password',
      roles: [{ role: 'academy', scope: '14' }],
    });
    expect(created).toMatchObject({ email: 'rectorat@users-spec.test', enabled: true, hasPassword: true });
    const found = await users.findByEmail(' RECTORAT@users-spec.test ');
    expect(found?.user.roles).toEqual([{ role: 'academy', scope: '14' }]);
    expect(found?.passwordHash).not.toContain('a-long-password');
    expect(await verifySecret('a-long-password', found?.passwordHash ?? '')).toBe(true);
  });

  it('refuses a second account with the same email and an unknown role', async () => {
    await expect(
      users.create({ email: 'rectorat@users-spec.test', displayName: 'x', password: 'p', roles: [] }),
    ).rejects.toThrow();
    await expect(
      users.create({ email: 'x@users-spec.test', displayName: 'x', roles: [{ role: 'king' as never, scope: '' }] }),
    ).rejects.toThrow();
    expect(await users.findByEmail('x@users-spec.test')).toBeUndefined(); // nothing half-written
  });

  it('replaces roles at once and lists accounts by email', async () => {
    const { user } = (await users.findByEmail('rectorat@users-spec.test'))!;
    await users.setRoles(user.id, [
      { role: 'national', scope: '' },
      { role: 'academy', scope: '24' },
    ]);
    expect((await users.findById(user.id))?.roles).toEqual([
      { role: 'national', scope: '' },
      { role: 'academy', scope: '24' },
    ]);
    const listed = (await users.list()).filter((u) => u.email.endsWith('@users-spec.test'));
    expect(listed.map((u) => u.email)).toEqual(['rectorat@users-spec.test']);
  });

  it('keeps only a hash of session tokens and ends sessions on expiry, idleness and revocation', async () => {
    const { user } = (await users.findByEmail('rectorat@users-spec.test'))!;
    const now = new Date();
    const hour = 3_600_000;
    await sessions.create('token-live', user.id, new Date(now.getTime() + hour));
    await sessions.create('token-expired', user.id, new Date(now.getTime() - 1));
    const stored = await store.query<{ token_hash: string }>('SELECT token_hash FROM sessions WHERE user_id = $1', [
      user.id,
    ]);
    expect(stored.map((r) => r.token_hash).sort()).toEqual(
      [sessionTokenHash('token-expired'), sessionTokenHash('token-live')].sort(),
    );
    expect(await sessions.touch('token-live', now, hour)).toBe(user.id);
    expect(await sessions.touch('token-expired', now, hour)).toBeUndefined();
    expect(await sessions.touch('token-live', new Date(now.getTime() + 2 * hour), hour)).toBeUndefined(); // expired by then
    expect(await sessions.touch('token-live', new Date(now.getTime() + hour / 2), hour / 4)).toBeUndefined(); // idle too long
    await sessions.deleteForUser(user.id);
    expect(await sessions.touch('token-live', now, hour)).toBeUndefined();
  });

  it('disables an account and says whether it existed', async () => {
    const { user } = (await users.findByEmail('rectorat@users-spec.test'))!;
    expect(await users.setEnabled(user.id, false)).toBe(true);
    expect((await users.findById(user.id))?.enabled).toBe(false);
    expect(await users.setEnabled('00000000-0000-4000-8000-000000000000', false)).toBe(false);
  });
});
