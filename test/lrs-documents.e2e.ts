import { CredentialRepository } from '@ent-observatory/store';
import { authorityFor } from '../apps/api/src/lrs/credentials.service.js';
import { ACTIVITY, AGENT, OTHER_AGENT, docRequest } from './support/documents.js';
import { type TestServer, basicAuth, startServer } from './support/server.js';

const STATE = '/xapi/activities/state';
const ACTIVITY_PROFILE = '/xapi/activities/profile';
const AGENT_PROFILE = '/xapi/agents/profile';

describe('xAPI document resources', () => {
  let server: TestServer;
  const req = (path: string, method: string, params: Record<string, unknown>, options = {}) =>
    docRequest(server.url, path, method, params, options);
  const json = (v: unknown) => ({ body: JSON.stringify(v) });
  const state = (stateId: string | undefined, extra: Record<string, unknown> = {}) => ({
    activityId: ACTIVITY,
    agent: AGENT,
    stateId,
    ...extra,
  });

  beforeAll(async () => {
    server = await startServer({ XAPI_MAX_DOCUMENT_BYTES: '2048' });
    await server.store.query('DELETE FROM xapi_documents');
    const repo = new CredentialRepository(server.store.db);
    for (const [key, scopes] of [
      ['state-only', ['state']],
      ['reader', ['all/read']],
      ['profiles', ['profile']],
    ] as const) {
      await repo.upsert({ key, secret: `${key}-secret`, scopes: [...scopes], authority: authorityFor(key) });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  async function expectError(res: Response, status: number, code: string): Promise<string> {
    expect(res.status).toBe(status);
    expect(res.headers.get('x-experience-api-version')).not.toBeNull();
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe(code);
    return body.message;
  }

  describe('State', () => {
    it('stores, reads (GET and HEAD), lists and deletes a state document', async () => {
      const put = await req(STATE, 'PUT', state('progress'), json({ page: 3 }));
      expect(put.status).toBe(204);
      const get = await req(STATE, 'GET', state('progress'));
      expect(get.status).toBe(200);
      expect(await get.json()).toEqual({ page: 3 });
      const etag = get.headers.get('etag');
      expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
      expect(get.headers.get('content-type')).toContain('application/json');
      expect(Date.parse(get.headers.get('last-modified') ?? '')).not.toBeNaN();
      const head = await req(STATE, 'HEAD', state('progress'));
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe(etag);
      expect(await head.text()).toBe('');
      const list = await req(STATE, 'GET', state(undefined));
      expect(await list.json()).toEqual(['progress']);
      expect(list.headers.get('last-modified')).not.toBeNull();
      expect((await req(STATE, 'DELETE', state('progress'))).status).toBe(204);
      await expectError(await req(STATE, 'GET', state('progress')), 404, 'not_found');
    });

    it('keeps documents apart per agent, activity and registration, and finds an mbox whatever its domain case', async () => {
      const registration = 'B7A3C1D2-0000-4000-8000-000000000001';
      await req(STATE, 'PUT', state('bookmark', { registration }), json({ at: 'r1' }));
      await req(STATE, 'PUT', state('bookmark'), json({ at: 'none' }));
      await req(STATE, 'PUT', { activityId: ACTIVITY, agent: OTHER_AGENT, stateId: 'bookmark' }, json({ at: 'other' }));
      const read = async (params: Record<string, unknown>) =>
        (await req(STATE, 'GET', params)).json() as Promise<unknown>;
      expect(await read(state('bookmark', { registration: registration.toLowerCase() }))).toEqual({ at: 'r1' });
      expect(await read(state('bookmark'))).toEqual({ at: 'none' });
      const upperDomain = { mbox: 'mailto:eleve.un@ENT.EXAMPLE.FR' };
      expect(await read({ activityId: ACTIVITY, agent: upperDomain, stateId: 'bookmark' })).toEqual({ at: 'none' });
      expect(await read({ activityId: ACTIVITY, agent: OTHER_AGENT, stateId: 'bookmark' })).toEqual({ at: 'other' });
    });

    it('lists ids changed since a timestamp, exclusive', async () => {
      await req(STATE, 'DELETE', state(undefined));
      await req(STATE, 'PUT', state('a'), json({}));
      const list = await req(STATE, 'GET', state(undefined));
      const lastModified = new Date(list.headers.get('last-modified') ?? '');
      const before = new Date(lastModified.getTime() - 1000).toISOString();
      const future = new Date(Date.now() + 60_000).toISOString();
      expect(await (await req(STATE, 'GET', { ...state(undefined), since: before })).json()).toEqual(['a']);
      expect(await (await req(STATE, 'GET', { ...state(undefined), since: future })).json()).toEqual([]);
    });

    it('deletes every state document of the context without stateId, and only those', async () => {
      await req(STATE, 'PUT', state('x'), json({}));
      await req(STATE, 'PUT', state('y'), json({}));
      await req(STATE, 'PUT', { activityId: ACTIVITY, agent: OTHER_AGENT, stateId: 'kept' }, json({}));
      expect((await req(STATE, 'DELETE', state(undefined))).status).toBe(204);
      expect(await (await req(STATE, 'GET', state(undefined))).json()).toEqual([]);
      const other = await req(STATE, 'GET', { activityId: ACTIVITY, agent: OTHER_AGENT });
      expect(await other.json()).toContain('kept');
    });

    it('merges a POSTed JSON object into the stored one, top-level properties only', async () => {
      await req(STATE, 'PUT', state('merge'), json({ x: 'foo', y: 'bar', nested: { a: 1 } }));
      expect((await req(STATE, 'POST', state('merge'), json({ x: 'bash', z: 'faz', nested: { b: 2 } }))).status).toBe(
        204,
      );
      const merged = await (await req(STATE, 'GET', state('merge'))).json();
      expect(merged).toEqual({ x: 'bash', y: 'bar', z: 'faz', nested: { b: 2 } });
    });

    it('POST creates a document that does not exist yet', async () => {
      await req(STATE, 'POST', state('created-by-post'), json({ n: 1 }));
      expect(await (await req(STATE, 'GET', state('created-by-post'))).json()).toEqual({ n: 1 });
    });

    it('stores any content type and serves the same bytes back', async () => {
      const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 10, 13]);
      const put = await req(STATE, 'PUT', state('binary'), {
        body: bytes,
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      expect(put.status).toBe(204);
      const get = await req(STATE, 'GET', state('binary'));
      expect(get.headers.get('content-type')).toBe('application/octet-stream');
      expect(new Uint8Array(await get.arrayBuffer())).toEqual(bytes);
    });

    it('in 1.0.3 lets a PUT without precondition replace a state document; in 2.0.0 answers 409', async () => {
      await req(STATE, 'PUT', state('free'), json({ v: 1 }));
      expect((await req(STATE, 'PUT', state('free'), json({ v: 2 }))).status).toBe(204);
      const v2 = { headers: { 'X-Experience-API-Version': '2.0.0' }, body: JSON.stringify({ v: 3 }) };
      const message = await expectError(await req(STATE, 'PUT', state('free'), v2), 409, 'conflict');
      expect(message).toContain('If-Match');
      expect(await (await req(STATE, 'GET', state('free'))).json()).toEqual({ v: 2 });
    });
  });

  describe.each([
    ['Activity Profile', ACTIVITY_PROFILE, { activityId: ACTIVITY }],
    ['Agent Profile', AGENT_PROFILE, { agent: AGENT }],
  ])('%s', (_name, path, key) => {
    const params = (profileId?: string, extra: Record<string, unknown> = {}) => ({ ...key, profileId, ...extra });

    beforeAll(async () => {
      await server.store.query('DELETE FROM xapi_documents');
    });

    it('creates with If-None-Match: *, replaces with If-Match, lists, and deletes with If-Match', async () => {
      const created = await req(path, 'PUT', params('p1'), { ...json({ a: 1 }), headers: { 'If-None-Match': '*' } });
      expect(created.status).toBe(204);
      const etag = (await req(path, 'GET', params('p1'))).headers.get('etag') ?? '';
      expect(created.headers.get('etag')).toBe(etag);
      const replaced = await req(path, 'PUT', params('p1'), { ...json({ a: 2 }), headers: { 'If-Match': etag } });
      expect(replaced.status).toBe(204);
      expect(await (await req(path, 'GET', params('p1'))).json()).toEqual({ a: 2 });
      expect(await (await req(path, 'GET', params())).json()).toEqual(['p1']);
      const newTag = (await req(path, 'GET', params('p1'))).headers.get('etag') ?? '';
      await expectError(
        await req(path, 'DELETE', params('p1'), { headers: { 'If-Match': etag } }),
        412,
        'precondition_failed',
      );
      expect((await req(path, 'DELETE', params('p1'), { headers: { 'If-Match': newTag } })).status).toBe(204);
      await expectError(await req(path, 'GET', params('p1')), 404, 'not_found');
    });

    it('refuses a stale If-Match, an If-None-Match: * over an existing document, and If-Match on a missing one', async () => {
      await req(path, 'PUT', params('p2'), { ...json({ a: 1 }), headers: { 'If-None-Match': '*' } });
      const stale = { ...json({ a: 9 }), headers: { 'If-Match': '"1111111111111111111111111111111111111111"' } };
      await expectError(await req(path, 'PUT', params('p2'), stale), 412, 'precondition_failed');
      await expectError(await req(path, 'POST', params('p2'), stale), 412, 'precondition_failed');
      const create = { ...json({ a: 9 }), headers: { 'If-None-Match': '*' } };
      await expectError(await req(path, 'PUT', params('p2'), create), 412, 'precondition_failed');
      await expectError(
        await req(path, 'PUT', params('missing'), { ...json({}), headers: { 'If-Match': '*' } }),
        412,
        'precondition_failed',
      );
      expect(await (await req(path, 'GET', params('p2'))).json()).toEqual({ a: 1 });
      await expectError(await req(path, 'GET', params('missing')), 404, 'not_found');
    });

    it('answers 409 to a PUT without precondition over an existing document, explaining what to do', async () => {
      await req(path, 'PUT', params('p3'), { ...json({ a: 1 }), headers: { 'If-None-Match': '*' } });
      const message = await expectError(await req(path, 'PUT', params('p3'), json({ a: 2 })), 409, 'conflict');
      expect(message).toMatch(/GET it.*If-Match/);
      expect(await (await req(path, 'GET', params('p3'))).json()).toEqual({ a: 1 });
    });

    it('refuses a PUT without precondition that would create a document: 400 in 1.0.3, 428 in 2.0.0 (Communication 3.1)', async () => {
      const message = await expectError(await req(path, 'PUT', params('p4'), json({ a: 1 })), 400, 'invalid_parameter');
      expect(message).toContain('If-None-Match');
      await expectError(await req(path, 'GET', params('p4')), 404, 'not_found');
      const v2 = { ...json({ a: 1 }), headers: { 'X-Experience-API-Version': '2.0.0' } };
      await expectError(await req(path, 'PUT', params('p5'), v2), 428, 'precondition_required');
      await expectError(await req(path, 'GET', params('p5')), 404, 'not_found');
      const v2Create = { ...json({ a: 1 }), headers: { 'X-Experience-API-Version': '2.0.0', 'If-None-Match': '*' } };
      expect((await req(path, 'PUT', params('p5'), v2Create)).status).toBe(204);
    });

    it('refuses to merge when either document is not a JSON object, and changes nothing', async () => {
      const text = { body: 'plain text', headers: { 'Content-Type': 'text/plain', 'If-None-Match': '*' } };
      await req(path, 'PUT', params('text'), text);
      await expectError(await req(path, 'POST', params('text'), json({ a: 1 })), 400, 'invalid_document');
      await req(path, 'PUT', params('array'), { ...json([1, 2]), headers: { 'If-None-Match': '*' } });
      await expectError(await req(path, 'POST', params('array'), json({ a: 1 })), 400, 'invalid_document');
      await req(path, 'PUT', params('object'), { ...json({ a: 1 }), headers: { 'If-None-Match': '*' } });
      const plain = { body: 'b=2', headers: { 'Content-Type': 'text/plain' } };
      await expectError(await req(path, 'POST', params('object'), plain), 400, 'invalid_document');
      expect(await (await req(path, 'GET', params('text'))).text()).toBe('plain text');
      expect(await (await req(path, 'GET', params('object'))).json()).toEqual({ a: 1 });
    });
  });

  describe('bad requests', () => {
    it('rejects missing and malformed parameters with 400 and a message naming the parameter', async () => {
      const cases: [string, string, Record<string, unknown>, RegExp][] = [
        [STATE, 'GET', { agent: AGENT, stateId: 's' }, /activityId/],
        [STATE, 'GET', { activityId: ACTIVITY, stateId: 's' }, /agent/],
        [STATE, 'PUT', { activityId: ACTIVITY, agent: AGENT }, /stateId/],
        [STATE, 'GET', { activityId: ACTIVITY, agent: AGENT, stateId: '' }, /stateId parameter is required/],
        [STATE, 'GET', { activityId: 'not an iri', agent: AGENT }, /activityId must be an absolute IRI/],
        [
          STATE,
          'GET',
          { activityId: ACTIVITY, agent: '{"mbox": ', stateId: 's' },
          /agent parameter must be an Agent as JSON/,
        ],
        [STATE, 'GET', { activityId: ACTIVITY, agent: { name: 'no identifier' } }, /agent is not a valid Agent/],
        [STATE, 'GET', { activityId: ACTIVITY, agent: { mbox: 'eleve@example.fr' } }, /not a valid Agent/],
        [STATE, 'GET', { ...state('s'), registration: 'nope' }, /registration must be a UUID/],
        [STATE, 'GET', { ...state(undefined), since: 'yesterday' }, /since must be an ISO 8601 timestamp/],
        [STATE, 'GET', { ...state('s'), since: '2026-01-01T00:00:00Z' }, /since narrows a list/],
        [STATE, 'GET', { ...state('s'), profileId: 'x' }, /unknown parameter profileId/],
        [ACTIVITY_PROFILE, 'DELETE', { activityId: ACTIVITY }, /profileId/],
        [AGENT_PROFILE, 'PUT', { profileId: 'p' }, /agent/],
      ];
      for (const [path, method, params, message] of cases) {
        const res = await req(path, method, params, method === 'PUT' ? json({}) : {});
        expect([path, method, params, await expectError(res, 400, 'invalid_parameter')]).toEqual([
          path,
          method,
          params,
          expect.stringMatching(message),
        ]);
      }
    });

    it('rejects a Group as agent, with the problem located', async () => {
      const group = { objectType: 'Group', member: [AGENT] };
      const res = await req(STATE, 'GET', { activityId: ACTIVITY, agent: group });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { details: { path: string }[] };
      expect(body.details.map((d) => d.path)).toContain('agent.objectType');
    });

    it('rejects an application/json document that is not JSON', async () => {
      const res = await req(STATE, 'PUT', state('broken'), { body: '{"a": ' });
      await expectError(res, 400, 'invalid_json');
      await expectError(await req(STATE, 'GET', state('broken')), 404, 'not_found');
    });

    it('rejects a document over XAPI_MAX_DOCUMENT_BYTES with 413 and stores nothing', async () => {
      const big = JSON.stringify({ text: 'x'.repeat(4096) });
      const message = await expectError(await req(STATE, 'PUT', state('big'), { body: big }), 413, 'payload_too_large');
      expect(message).toContain('XAPI_MAX_DOCUMENT_BYTES');
      await expectError(await req(STATE, 'GET', state('big')), 404, 'not_found');
    });

    it('requires the version header', async () => {
      const res = await req(STATE, 'GET', state('s'), { headers: { 'X-Experience-API-Version': '' } });
      await expectError(res, 400, 'missing_version');
    });
  });

  describe('scopes', () => {
    const as = (key: string) => ({ headers: { Authorization: basicAuth(key, `${key}-secret`) } });

    it('state grants the State resource only', async () => {
      expect((await req(STATE, 'PUT', state('scoped'), { ...json({}), ...as('state-only') })).status).toBe(204);
      await expectError(
        await req(ACTIVITY_PROFILE, 'GET', { activityId: ACTIVITY }, as('state-only')),
        403,
        'forbidden',
      );
    });

    it('profile grants both profile resources, not State', async () => {
      expect((await req(AGENT_PROFILE, 'GET', { agent: AGENT }, as('profiles'))).status).toBe(200);
      expect((await req(ACTIVITY_PROFILE, 'GET', { activityId: ACTIVITY }, as('profiles'))).status).toBe(200);
      await expectError(await req(STATE, 'GET', state(undefined), as('profiles')), 403, 'forbidden');
    });

    it('all/read reads every resource and writes none', async () => {
      expect((await req(STATE, 'GET', state(undefined), as('reader'))).status).toBe(200);
      expect((await req(AGENT_PROFILE, 'HEAD', { agent: AGENT }, as('reader'))).status).toBe(200);
      await expectError(await req(STATE, 'PUT', state('ro'), { ...json({}), ...as('reader') }), 403, 'forbidden');
      await expectError(await req(STATE, 'DELETE', state(undefined), as('reader')), 403, 'forbidden');
    });
  });
});
