import { storeModes } from '../../../test/support/store.js';
import { CredentialRepository } from './credentials.js';
import { type Store, openStore } from './database.js';
import { migrateStore } from './migrate.js';
import { verifySecret } from './secrets.js';

describe.each(storeModes())('store on %s', (_name, config) => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(config);
    await migrateStore(store);
    await store.query('DELETE FROM lrs_credentials');
  });
  afterAll(async () => {
    await store.close();
  });

  it('applies migrations once', async () => {
    expect(await migrateStore(store)).toEqual([]);
    const rows = await store.query<{ name: string }>('SELECT name FROM _migrations ORDER BY version');
    expect(rows.map((r) => r.name)).toContain('001_lrs_credentials.sql');
  });

  it('stores a credential with a hashed secret and updates it on a second bootstrap', async () => {
    const repo = new CredentialRepository(store.db);
    const authority = { objectType: 'Agent', account: { homePage: 'https://lrs.example.fr', name: 'ent' } };
    await repo.upsert({ key: 'ent', secret: 's3cret', scopes: ['all'], authority });
    await repo.upsert({ key: 'ent', secret: 'n3w-secret', scopes: ['statements/write'], authority });
    const row = await repo.find('ent');
    expect(row?.secretHash).not.toContain('n3w-secret');
    expect(await verifySecret('n3w-secret', row?.secretHash ?? '')).toBe(true);
    expect(await verifySecret('s3cret', row?.secretHash ?? '')).toBe(false);
    expect(row?.scopes).toEqual(['statements/write']);
    expect(row?.authority).toEqual(authority);
    const count = await store.query<{ n: string | number }>('SELECT count(*) AS n FROM lrs_credentials');
    expect(Number(count[0]?.n)).toBe(1);
  });

  it('disables a credential', async () => {
    const repo = new CredentialRepository(store.db);
    await repo.setEnabled('ent', false);
    expect((await repo.find('ent'))?.enabled).toBe(false);
  });
});
