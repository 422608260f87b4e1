import { ACTIVITY, AGENT, docRequest } from './support/documents.js';
import { type TestServer, startServer } from './support/server.js';

const PROFILE = '/xapi/activities/profile';
const STATE = '/xapi/activities/state';
const WRITERS = 12;

/** Racing writes on one document: a conditional write wins at most once, an unconditional merge is never lost. */
describe('xAPI documents under concurrent writes', () => {
  let server: TestServer;
  const req = (path: string, method: string, params: Record<string, unknown>, options = {}) =>
    docRequest(server.url, path, method, params, options);

  beforeAll(async () => {
    server = await startServer();
    await server.store.query('DELETE FROM xapi_documents');
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets exactly one of many PUTs with the same If-Match win; the others get 412', async () => {
    const params = { activityId: ACTIVITY, profileId: 'race-put' };
    await req(PROFILE, 'PUT', params, { body: '{"writer":-1}', headers: { 'If-None-Match': '*' } });
    const etag = (await req(PROFILE, 'GET', params)).headers.get('etag') ?? '';
    const statuses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        req(PROFILE, 'PUT', params, { body: JSON.stringify({ writer: i }), headers: { 'If-Match': etag } }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(WRITERS - 1);
    const winner = statuses.indexOf(204);
    expect(await (await req(PROFILE, 'GET', params)).json()).toEqual({ writer: winner });
  });

  it('lets exactly one of many identical writes with the same If-Match win, even though they write the same bytes', async () => {
    const params = { activityId: ACTIVITY, profileId: 'race-same' };
    await req(PROFILE, 'PUT', params, { body: '{"v":0}', headers: { 'If-None-Match': '*' } });
    const etag = (await req(PROFILE, 'GET', params)).headers.get('etag') ?? '';
    const statuses = await Promise.all(
      Array.from({ length: WRITERS }, () =>
        req(PROFILE, 'POST', params, { body: '{"v":1}', headers: { 'If-Match': etag } }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
  });

  it('creates a document once when many PUTs race with If-None-Match: *', async () => {
    const params = { activityId: ACTIVITY, profileId: 'race-create' };
    const statuses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        req(PROFILE, 'PUT', params, { body: JSON.stringify({ writer: i }), headers: { 'If-None-Match': '*' } }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(WRITERS - 1);
  });

  it('keeps every property of concurrent POST merges without preconditions (no lost update)', async () => {
    const params = { activityId: ACTIVITY, agent: AGENT, stateId: 'race-merge' };
    const statuses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        req(STATE, 'POST', params, { body: JSON.stringify({ [`k${i}`]: i }) }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual(Array.from({ length: WRITERS }, () => 204));
    const merged = (await (await req(STATE, 'GET', params)).json()) as Record<string, number>;
    expect(Object.keys(merged).sort()).toEqual(Array.from({ length: WRITERS }, (_, i) => `k${i}`).sort());
  });
});
