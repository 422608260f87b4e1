import xapiModule, { type Statement } from '@xapi/xapi';

/** The client class: its typings are CommonJS under NodeNext, where the default export is `.default`. */
const XAPI = xapiModule.default;
import { type TestServer, LRS_KEY, LRS_SECRET, startServer } from './support/server.js';
import { makeStatement } from './support/statements.js';

const ACTIVITY_ID = 'https://ent.example.fr/activites/client-xapi';
const AGENT = { objectType: 'Agent' as const, mbox: 'mailto:client.xapi@ent.example.fr', name: 'Client xAPI' };

/** The LRS as seen by an independent client library (@xapi/xapi), used as its documentation says. */
describe('documents, agents and activities through @xapi/xapi', () => {
  let server: TestServer;
  let xapi: InstanceType<typeof XAPI>;

  beforeAll(async () => {
    server = await startServer();
    await server.store.query('DELETE FROM xapi_documents');
    xapi = new XAPI({ endpoint: `${server.url}/xapi`, auth: XAPI.toBasicAuth(LRS_KEY, LRS_SECRET) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('writes, merges, reads, lists and deletes state documents', async () => {
    const key = { agent: AGENT, activityId: ACTIVITY_ID };
    await xapi.setState({ ...key, stateId: 'bookmark', state: { page: 1 } });
    await xapi.createState({ ...key, stateId: 'bookmark', state: { chapter: 2 } });
    await xapi.setState({ ...key, stateId: 'notes', state: 'texte libre', contentType: 'text/plain' });
    expect((await xapi.getState({ ...key, stateId: 'bookmark' })).data).toEqual({ page: 1, chapter: 2 });
    expect((await xapi.getState({ ...key, stateId: 'notes' })).data).toBe('texte libre');
    expect([...(await xapi.getStates(key)).data].sort()).toEqual(['bookmark', 'notes']);
    await xapi.deleteState({ ...key, stateId: 'notes' });
    expect((await xapi.getStates(key)).data).toEqual(['bookmark']);
    await xapi.deleteStates(key);
    expect((await xapi.getStates(key)).data).toEqual([]);
  });

  it('writes with ETags, reads, lists and deletes activity profile documents', async () => {
    const key = { activityId: ACTIVITY_ID, profileId: 'settings' };
    await xapi.setActivityProfile({ ...key, profile: { level: 1 }, etag: '*', matchHeader: 'If-None-Match' });
    const first = await xapi.getActivityProfile(key);
    expect(first.data).toEqual({ level: 1 });
    const etag = String(first.headers.etag);
    await xapi.setActivityProfile({ ...key, profile: { level: 2 }, etag, matchHeader: 'If-Match' });
    await expect(
      xapi.setActivityProfile({ ...key, profile: { level: 3 }, etag, matchHeader: 'If-Match' }),
    ).rejects.toMatchObject({ response: { status: 412 } });
    await xapi.createActivityProfile({ ...key, profile: { theme: 'sombre' } });
    expect((await xapi.getActivityProfile(key)).data).toEqual({ level: 2, theme: 'sombre' });
    expect((await xapi.getActivityProfiles({ activityId: ACTIVITY_ID })).data).toEqual(['settings']);
    const current = String((await xapi.getActivityProfile(key)).headers.etag);
    await xapi.deleteActivityProfile({ ...key, etag: current });
    expect((await xapi.getActivityProfiles({ activityId: ACTIVITY_ID })).data).toEqual([]);
  });

  it('writes, reads, lists (since) and deletes agent profile documents', async () => {
    const key = { agent: AGENT, profileId: 'preferences' };
    const before = new Date(Date.now() - 60_000).toISOString();
    await xapi.setAgentProfile({ ...key, profile: { langue: 'fr' }, etag: '*', matchHeader: 'If-None-Match' });
    expect((await xapi.getAgentProfile(key)).data).toEqual({ langue: 'fr' });
    expect((await xapi.getAgentProfiles({ agent: AGENT, since: before })).data).toEqual(['preferences']);
    const etag = String((await xapi.getAgentProfile(key)).headers.etag);
    await xapi.deleteAgentProfile({ ...key, etag });
    expect((await xapi.getAgentProfiles({ agent: AGENT })).data).toEqual([]);
  });

  it('reads the Person behind an agent and an activity with its definition', async () => {
    await xapi.sendStatement({
      statement: makeStatement(0, {
        actor: AGENT,
        object: { objectType: 'Activity', id: ACTIVITY_ID, definition: { name: { 'fr-FR': 'Exercice client' } } },
      }) as unknown as Statement,
    });
    await server.settle();
    const person = (await xapi.getAgent({ agent: AGENT })).data;
    expect(person).toEqual({ objectType: 'Person', name: ['Client xAPI'], mbox: [AGENT.mbox] });
    const activity = (await xapi.getActivity({ activityId: ACTIVITY_ID })).data;
    expect(activity).toEqual({
      objectType: 'Activity',
      id: ACTIVITY_ID,
      definition: { name: { 'fr-FR': 'Exercice client' } },
    });
  });
});
