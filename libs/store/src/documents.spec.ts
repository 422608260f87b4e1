import { storeModes } from '../../../test/support/store.js';
import { type Store, openStore } from './database.js';
import { type DocumentKey, DocumentRepository } from './documents.js';
import { migrateStore } from './migrate.js';

const KEY: DocumentKey = {
  kind: 'state',
  activityId: 'https://ent.example.fr/a',
  agentIfi: 'mbox:mailto:e@ent.example.fr',
  registration: '',
  documentId: 'progress',
};

const doc = (text: string, updated = new Date()) => ({
  content: Buffer.from(text),
  contentType: 'application/json',
  etag: `"${text.length}"`,
  updated,
});

describe.each(storeModes())('xAPI documents on %s', (_name, config) => {
  let store: Store;
  let repo: DocumentRepository;
  beforeAll(async () => {
    store = await openStore(config);
    await migrateStore(store);
  });
  beforeEach(async () => {
    await store.query('DELETE FROM xapi_documents');
    repo = new DocumentRepository(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it('round-trips bytes, content type, ETag and time, and inserts only once', async () => {
    const updated = new Date('2026-01-05T08:00:00.123Z');
    expect(await repo.insert(KEY, doc('{"a":1}', updated))).toBe(true);
    expect(await repo.insert(KEY, doc('{"b":2}'))).toBe(false);
    expect(await repo.find(KEY)).toEqual({ ...doc('{"a":1}', updated), version: 1 });
  });

  it('replaces and deletes only at the version read, so the second of two racing writes fails', async () => {
    await repo.insert(KEY, doc('{}'));
    const read = await repo.find(KEY);
    expect(await repo.replace(KEY, read?.version ?? 0, doc('{"first":1}'))).toBe(true);
    expect(await repo.replace(KEY, read?.version ?? 0, doc('{"second":1}'))).toBe(false);
    expect(await repo.remove(KEY, read?.version ?? 0)).toBe(false);
    const now = await repo.find(KEY);
    expect(now?.content.toString()).toBe('{"first":1}');
    expect(await repo.remove(KEY, now?.version ?? 0)).toBe(true);
    expect(await repo.find(KEY)).toBeUndefined();
  });

  it('lists ids of a scope, across registrations unless one is given, since a time', async () => {
    const t = (s: number) => new Date(Date.UTC(2026, 0, 5, 8, 0, s));
    await repo.insert(KEY, doc('{}', t(1)));
    await repo.insert({ ...KEY, documentId: 'other', registration: 'r1' }, doc('{}', t(2)));
    await repo.insert({ ...KEY, agentIfi: 'mbox:mailto:x@ent.example.fr' }, doc('{}', t(3)));
    const scope = { kind: KEY.kind, activityId: KEY.activityId, agentIfi: KEY.agentIfi };
    expect(await repo.listIds(scope)).toEqual({ ids: ['other', 'progress'], lastUpdated: t(2) });
    expect((await repo.listIds({ ...scope, registration: '' })).ids).toEqual(['progress']);
    expect((await repo.listIds(scope, t(1))).ids).toEqual(['other']);
    expect(await repo.removeAll(scope)).toBe(2);
  });

  it("removes an agent's State and Agent Profile documents and counts them", async () => {
    await repo.insert(KEY, doc('{}'));
    await repo.insert({ ...KEY, kind: 'agent_profile', activityId: '', documentId: 'p' }, doc('{}'));
    await repo.insert({ ...KEY, kind: 'activity_profile', agentIfi: '', documentId: 'p' }, doc('{}'));
    expect(await repo.removeAgent(KEY.agentIfi)).toEqual({ state: 1, activity_profile: 0, agent_profile: 1 });
    expect(await store.query('SELECT document_id FROM xapi_documents')).toEqual([{ document_id: 'p' }]);
  });
});
