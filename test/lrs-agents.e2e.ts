import { CredentialRepository } from '@ent-observatory/store';
import { authorityFor } from '../apps/api/src/lrs/credentials.service.js';
import { qs } from './support/documents.js';
import { type TestServer, basicAuth, startServer, xapiHeaders } from './support/server.js';
import { makeStatement } from './support/statements.js';

const ACTIVITY = 'https://ent.example.fr/activites/dictee-1';

describe('xAPI Agents and Activities resources', () => {
  let server: TestServer;
  const get = (path: string, params: Record<string, unknown>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}?${qs(params)}`, { headers: xapiHeaders(headers) });
  const post = (statements: unknown[]) =>
    fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(statements),
    });

  beforeAll(async () => {
    server = await startServer();
    await new CredentialRepository(server.store.db).upsert({
      key: 'docs-only',
      secret: 'docs-only-secret',
      scopes: ['state'],
      authority: authorityFor('docs-only'),
    });
    const actor = (name: string) => ({ objectType: 'Agent', name, mbox: 'mailto:camille@ent.example.fr' });
    const res = await post([
      makeStatement(1, {
        actor: actor('Camille'),
        object: {
          id: ACTIVITY,
          definition: { name: { 'fr-FR': 'Dictée 1' }, type: 'http://adlnet.gov/expapi/activities/assessment' },
        },
        timestamp: '2026-01-05T08:00:00Z',
      }),
      makeStatement(2, { actor: actor('Camille D.'), timestamp: '2026-01-05T09:00:00Z' }),
    ]);
    expect(res.status).toBe(200);
    const later = await post([
      makeStatement(3, {
        object: {
          id: ACTIVITY,
          definition: {
            name: { 'en-GB': 'Dictation 1' },
            description: { 'fr-FR': 'Une dictée' },
            extensions: { 'https://ent.example.fr/xapi/niveau': 'CM1' },
          },
        },
      }),
    ]);
    expect(later.status).toBe(200);
    await server.settle();
  });
  afterAll(async () => {
    await server.close();
  });

  it('returns a Person with the agent identifier and every name statements gave it', async () => {
    const res = await get('/xapi/agents', { agent: { mbox: 'mailto:camille@ENT.example.fr' } });
    expect(res.status).toBe(200);
    const person = (await res.json()) as { objectType: string; name: string[]; mbox: string[] };
    expect(person.objectType).toBe('Person');
    expect(person.mbox).toEqual(['mailto:camille@ENT.example.fr']);
    expect([...person.name].sort()).toEqual(['Camille', 'Camille D.']);
  });

  it('returns a Person for an agent it has never seen, holding what the request gave', async () => {
    const agent = { name: 'Inconnu', account: { homePage: 'https://ent.example.fr', name: 'x-404' } };
    const person = await (await get('/xapi/agents', { agent })).json();
    expect(person).toEqual({ objectType: 'Person', name: ['Inconnu'], account: [agent.account] });
  });

  it('returns an activity with its definition merged from the statements that defined it, newest last', async () => {
    const res = await get('/xapi/activities', { activityId: ACTIVITY });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      objectType: 'Activity',
      id: ACTIVITY,
      definition: {
        name: { 'fr-FR': 'Dictée 1', 'en-GB': 'Dictation 1' },
        description: { 'fr-FR': 'Une dictée' },
        type: 'http://adlnet.gov/expapi/activities/assessment',
        extensions: { 'https://ent.example.fr/xapi/niveau': 'CM1' },
      },
    });
    const head = await fetch(`${server.url}/xapi/activities?${qs({ activityId: ACTIVITY })}`, {
      method: 'HEAD',
      headers: xapiHeaders(),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(res.headers.get('etag'));
  });

  it.each(['1.0.3', '2.0.0'])(
    'returns every definition of an activity right after the POST: both language maps, context and SubStatement ones (Communication 2.5, %s)',
    async (version) => {
      const id = `https://ent.example.fr/activites/reunion-${version}`;
      const headers = xapiHeaders({ 'X-Experience-API-Version': version });
      const withName = (n: number, name: Record<string, string>) =>
        makeStatement(n, { object: { objectType: 'Activity', id, definition: { name } } });
      // Two statements of one request, each with another language of the name.
      const both = await fetch(`${server.url}/xapi/statements`, {
        method: 'POST',
        headers,
        body: JSON.stringify([withName(4, { 'en-US': 'example meeting' }), withName(5, { 'fr-FR': 'réunion' })]),
      });
      expect(both.status).toBe(200);
      // A definition given only as a context Activity, and one inside a SubStatement.
      const context = makeStatement(6, {
        context: {
          contextActivities: {
            parent: [{ id, definition: { description: { 'fr-FR': 'Réunion parents-professeurs' } } }],
          },
        },
      });
      const sub = makeStatement(7, {
        context: undefined, // platform is only for Activity Objects
        object: {
          objectType: 'SubStatement',
          actor: { mbox: 'mailto:prof@ent.example.fr' },
          verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
          object: { id, definition: { type: 'http://adlnet.gov/expapi/activities/meeting' } },
        },
      });
      for (const s of [context, sub]) {
        const res = await fetch(`${server.url}/xapi/statements`, { method: 'POST', headers, body: JSON.stringify(s) });
        expect(res.status).toBe(200);
      }
      // No settle(): the statements may still be in the journal.
      const res = await get('/xapi/activities', { activityId: id }, { 'X-Experience-API-Version': version });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        objectType: 'Activity',
        id,
        definition: {
          name: { 'en-US': 'example meeting', 'fr-FR': 'réunion' },
          description: { 'fr-FR': 'Réunion parents-professeurs' },
          type: 'http://adlnet.gov/expapi/activities/meeting',
        },
      });
    },
  );

  it('counts the names of statements still in the journal in the Person', async () => {
    const agent = { objectType: 'Agent', name: 'Dominique', mbox: 'mailto:dominique@ent.example.fr' };
    expect((await post([makeStatement(8, { actor: agent })])).status).toBe(200);
    const person = (await (await get('/xapi/agents', { agent: { mbox: agent.mbox } })).json()) as { name: string[] };
    expect(person.name).toEqual(['Dominique']);
  });

  it('returns an activity the LRS does not know, without definition', async () => {
    const id = 'https://ent.example.fr/activites/inconnue';
    expect(await (await get('/xapi/activities', { activityId: id })).json()).toEqual({ objectType: 'Activity', id });
  });

  it('rejects missing or malformed parameters', async () => {
    expect((await get('/xapi/agents', {})).status).toBe(400);
    expect((await get('/xapi/agents', { agent: '{"mbox":' })).status).toBe(400);
    expect((await get('/xapi/agents', { agent: { mbox: 'mailto:a@b.fr', openid: 'https://id.fr/a' } })).status).toBe(
      400,
    );
    expect((await get('/xapi/activities', {})).status).toBe(400);
    expect((await get('/xapi/activities', { activityId: 'relative/id' })).status).toBe(400);
    expect((await get('/xapi/activities', { activityId: ACTIVITY, verb: 'x' })).status).toBe(400);
  });

  it('needs the profile scope for agents and define for activities', async () => {
    const as = { Authorization: basicAuth('docs-only', 'docs-only-secret') };
    expect((await get('/xapi/agents', { agent: { mbox: 'mailto:a@b.fr' } }, as)).status).toBe(403);
    expect((await get('/xapi/activities', { activityId: ACTIVITY }, as)).status).toBe(403);
  });
});
