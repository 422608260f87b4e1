import { randomUUID } from 'node:crypto';
import { CredentialRepository } from '@ent-observatory/store';
import { authorityFor } from '../apps/api/src/lrs/credentials.service.js';
import { type TestServer, basicAuth, startServer, xapiHeaders } from './support/server.js';
import { makeStatement } from './support/statements.js';

type Statement = Record<string, unknown> & { id: string; stored: string };
interface Result {
  statements: Statement[];
  more: string;
}

const EXPERIENCED = 'http://adlnet.gov/expapi/verbs/experienced';
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
/** context.platform is only allowed with an Activity Object. */
const NO_PLATFORM = { language: 'fr-FR' };

/** A fresh agent per test: queries of one test never see another test's statements. */
const agentOf = (name = randomUUID()) => ({
  objectType: 'Agent',
  account: { homePage: 'https://ent.example.fr', name },
});

describe('xAPI statement queries over HTTP', () => {
  let server: TestServer;
  const post = async (body: unknown, headers = xapiHeaders()) => {
    const res = await fetch(`${server.url}/xapi/statements`, { method: 'POST', headers, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(await res.text());
    return (await res.json()) as string[];
  };
  const query = (params: Record<string, string>, headers = xapiHeaders()) =>
    fetch(`${server.url}/xapi/statements?${new URLSearchParams(params)}`, { headers });
  const result = async (params: Record<string, string>, headers = xapiHeaders()) => {
    const res = await query(params, headers);
    expect(res.status).toBe(200);
    return (await res.json()) as Result;
  };
  const ids = async (params: Record<string, string>) => (await result(params)).statements.map((s) => s.id);
  const agentParam = (agent: unknown) => JSON.stringify(agent);
  const expectBad = async (params: Record<string, string>, naming: string) => {
    const res = await query(params);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_parameter');
    expect(body.message).toContain(naming);
  };

  beforeAll(async () => {
    server = await startServer();
    const repo = new CredentialRepository(server.store.db);
    for (const key of ['mine-a', 'mine-b']) {
      await repo.upsert({
        key,
        secret: `${key}-secret`,
        scopes: ['statements/write', 'statements/read/mine'],
        authority: authorityFor(key),
      });
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('finds statements by agent (as Actor, as Object, as Group member), newest first, right after they are posted', async () => {
    const agent = agentOf();
    const [asActor] = await post(makeStatement(1, { actor: agent }));
    const [asObject] = await post(makeStatement(2, { object: agent, context: NO_PLATFORM }));
    const [asMember] = await post(
      makeStatement(3, { actor: { objectType: 'Group', name: 'classe', member: [agent, agentOf()] } }),
    );
    await post(makeStatement(4));
    // No settle: statements acknowledged and still in the journal are found too.
    const res = await query({ agent: agentParam(agent) });
    const body = (await res.json()) as Result;
    expect(body.statements.map((s) => s.id)).toEqual([asMember, asObject, asActor]);
    expect(body.more).toBe('');
    const consistent = Date.parse(res.headers.get('x-experience-api-consistent-through') ?? '');
    expect(consistent).toBeGreaterThanOrEqual(Date.parse(body.statements[0]?.stored ?? ''));
  });

  it('matches authority, instructor and team only with related_agents=true, and SubStatement actors too', async () => {
    const teacher = agentOf();
    const [instructed] = await post(makeStatement(5, { context: { instructor: teacher } }));
    const [sub] = await post(
      makeStatement(6, {
        context: NO_PLATFORM,
        object: {
          objectType: 'SubStatement',
          actor: teacher,
          verb: { id: EXPERIENCED },
          object: { id: 'https://x.fr/a' },
        },
      }),
    );
    expect(await ids({ agent: agentParam(teacher) })).toEqual([]);
    expect(await ids({ agent: agentParam(teacher), related_agents: 'true' })).toEqual([sub, instructed]);
    const authority = {
      objectType: 'Agent',
      account: { homePage: 'https://ent-observatory.invalid/lrs', name: 'test-key' },
    };
    const byAuthority = await ids({ agent: agentParam(authority), related_agents: 'true', limit: '2' });
    expect(byAuthority).toHaveLength(2);
  });

  it('filters by verb, activity (related_activities for context activities) and registration, combined', async () => {
    const agent = agentOf();
    const activity = `https://ent.example.fr/quiz/${randomUUID()}`;
    const registration = randomUUID();
    const [done] = await post(
      makeStatement(7, { actor: agent, verb: { id: COMPLETED }, object: { id: activity }, context: { registration } }),
    );
    const [seen] = await post(makeStatement(8, { actor: agent, object: { id: activity } }));
    const [inContext] = await post(
      makeStatement(9, { actor: agent, context: { contextActivities: { parent: [{ id: activity }] } } }),
    );
    expect(await ids({ agent: agentParam(agent), verb: COMPLETED })).toEqual([done]);
    expect(await ids({ activity })).toEqual([seen, done]);
    expect(await ids({ activity, related_activities: 'true' })).toEqual([inContext, seen, done]);
    expect(await ids({ registration })).toEqual([done]);
    expect(await ids({ registration, verb: EXPERIENCED })).toEqual([]);
    expect(await ids({ agent: agentParam(agent), activity, verb: EXPERIENCED })).toEqual([seen]);
  });

  it('hides voided statements but matches statements targeting them, recursively (StatementRef rule)', async () => {
    const agent = agentOf();
    const [voided] = await post(makeStatement(10, { actor: agent }));
    const [voiding] = await post(
      makeStatement(11, {
        context: NO_PLATFORM,
        verb: { id: VOIDED },
        object: { objectType: 'StatementRef', id: voided },
      }),
    );
    const [kept] = await post(makeStatement(12, { actor: agent }));
    const [ref] = await post(
      makeStatement(13, { context: NO_PLATFORM, object: { objectType: 'StatementRef', id: kept } }),
    );
    const [refOfRef] = await post(
      makeStatement(14, { context: NO_PLATFORM, object: { objectType: 'StatementRef', id: ref } }),
    );
    const found = await ids({ agent: agentParam(agent) });
    expect(found).toEqual([refOfRef, ref, kept, voiding]);
    expect(found).not.toContain(voided);
    // since/until still apply to the targeting statement itself
    const refStored = (await result({ agent: agentParam(agent) })).statements[1]?.stored ?? '';
    expect(await ids({ agent: agentParam(agent), until: refStored })).toEqual([ref, kept, voiding]);
    expect((await query({ voidedStatementId: voided ?? '' })).status).toBe(200);
  });

  it('matches a StatementRef stored before its target once the target arrives', async () => {
    const agent = agentOf();
    const target = randomUUID();
    const [early] = await post(
      makeStatement(15, { context: NO_PLATFORM, object: { objectType: 'StatementRef', id: target } }),
    );
    expect(await ids({ agent: agentParam(agent) })).toEqual([]);
    await post({ ...makeStatement(16, { actor: agent }), id: target });
    expect(await ids({ agent: agentParam(agent) })).toEqual([target, early]); // newest stored first
  });

  it('applies since (exclusive) and until (inclusive) on stored, ascending order and limit', async () => {
    const agent = agentOf();
    const posted: string[] = [];
    for (let i = 0; i < 4; i++) posted.push(...(await post(makeStatement(i, { actor: agent }))));
    const all = (await result({ agent: agentParam(agent), ascending: 'true' })).statements;
    expect(all.map((s) => s.id)).toEqual(posted);
    const [first, second, third] = all;
    expect(await ids({ agent: agentParam(agent), since: first?.stored ?? '', until: third?.stored ?? '' })).toEqual([
      third?.id,
      second?.id,
    ]);
    expect(await ids({ agent: agentParam(agent), limit: '1' })).toEqual([posted[3]]);
    expect(await ids({ agent: agentParam(agent), limit: '0' })).toHaveLength(4);
  });

  it('pages through a few hundred statements with more, without duplicates or gaps, in both orders', async () => {
    const agent = agentOf();
    const batch = Array.from({ length: 250 }, (_, i) => makeStatement(i, { actor: agent }));
    const posted = await post(batch);
    for (const ascending of ['false', 'true']) {
      const seen: string[] = [];
      let page = await result({ agent: agentParam(agent), limit: '40', ascending });
      for (;;) {
        seen.push(...page.statements.map((s) => s.id));
        if (!page.more) break;
        expect(page.more).toMatch(/^\/xapi\/statements\?more=/);
        const res = await fetch(`${server.url}${page.more}`, { headers: xapiHeaders() });
        page = (await res.json()) as Result;
      }
      expect(seen).toHaveLength(250);
      expect(new Set(seen)).toEqual(new Set(posted));
    }
  });

  it('returns ids and canonical formats, one language per map chosen by Accept-Language', async () => {
    const agent = { ...agentOf(), name: 'Élève' };
    await post(
      makeStatement(1, {
        actor: agent,
        verb: { id: EXPERIENCED, display: { 'fr-FR': 'a consulté', 'en-US': 'experienced' } },
        object: { id: 'https://x.fr/page', definition: { name: { 'fr-FR': 'Page', 'en-GB': 'Page (en)' } } },
      }),
    );
    const [ids] = (await result({ agent: agentParam(agent), format: 'ids' })).statements;
    expect(ids?.actor).toEqual({ objectType: 'Agent', account: agent.account });
    expect(ids?.verb).toEqual({ id: EXPERIENCED });
    expect(ids?.object).toEqual({ id: 'https://x.fr/page' });
    const [canonical] = (
      await result(
        { agent: agentParam(agent), format: 'canonical' },
        xapiHeaders({ 'Accept-Language': 'en;q=0.9, de' }),
      )
    ).statements;
    expect(canonical?.verb).toEqual({ id: EXPERIENCED, display: { 'en-US': 'experienced' } });
    expect(canonical?.object).toMatchObject({ definition: { name: { 'en-GB': 'Page (en)' } } });
    expect(canonical?.actor).toEqual(agent);
    const [exact] = (await result({ agent: agentParam(agent) })).statements;
    expect(exact?.verb).toEqual({ id: EXPERIENCED, display: { 'fr-FR': 'a consulté', 'en-US': 'experienced' } });
  });

  it.each(['1.0.3', '2.0.0'])(
    'keeps in format=ids only what identifies Agents, Groups, Activities and Verbs, and filters as usual (Communication 2.1.3, %s)',
    async (version) => {
      const headers = xapiHeaders({ 'X-Experience-API-Version': version });
      const agent = { ...agentOf(), name: 'Élève' };
      const activity = `https://x.fr/ids/${randomUUID()}`;
      const registration = randomUUID();
      const group = {
        objectType: 'Group',
        name: 'Classe',
        mbox: `mailto:classe-${randomUUID()}@x.fr`,
        member: [{ name: 'A', mbox: 'mailto:a@x.fr' }],
      };
      const anonymous = { objectType: 'Group', name: 'Binôme', member: [{ name: 'B', mbox: 'mailto:b@x.fr' }, agent] };
      const statement = (n: number) =>
        makeStatement(n, {
          actor: agent,
          verb: { id: EXPERIENCED, display: { 'fr-FR': 'a consulté' } },
          object: { objectType: 'Activity', id: activity, definition: { name: { 'fr-FR': 'Activité' } } },
          context: {
            registration,
            instructor: { objectType: 'Agent', name: 'Prof', mbox: 'mailto:prof@x.fr' },
            team: anonymous,
            contextActivities: { category: [{ objectType: 'Activity', id: 'https://x.fr/cat', definition: {} }] },
          },
        });
      const [older] = await post(statement(1), headers);
      const [id] = await post(statement(2), headers);
      const [sub] = await post(
        makeStatement(3, {
          actor: group,
          context: NO_PLATFORM,
          object: {
            objectType: 'SubStatement',
            actor: anonymous,
            verb: { id: COMPLETED, display: { 'fr-FR': 'a terminé' } },
            object: { objectType: 'Activity', id: activity, definition: { name: { 'fr-FR': 'Activité' } } },
          },
        }),
        headers,
      );
      // The filters of a conformance query, right after the POST: the newest statement matching them all, alone.
      const filtered = await result(
        {
          limit: '1',
          agent: JSON.stringify(agent),
          verb: EXPERIENCED,
          activity,
          registration,
          related_activities: 'true',
          since: '2012-06-01T19:09:13.245Z',
          format: 'ids',
          attachments: 'false',
        },
        headers,
      );
      expect(filtered.statements.map((s) => s.id)).toEqual([id]);
      const all = await result({ agent: JSON.stringify(agent), activity, format: 'ids' }, headers);
      expect(all.statements.map((s) => s.id)).toEqual([id, older]);
      const [ids] = all.statements;
      expect(ids?.actor).toEqual({ objectType: 'Agent', account: agent.account });
      expect(ids?.verb).toEqual({ id: EXPERIENCED });
      expect(ids?.object).toEqual({ id: activity });
      const context = ids?.context as Record<string, unknown>;
      expect(context.instructor).toEqual({ objectType: 'Agent', mbox: 'mailto:prof@x.fr' });
      expect(context.team).toEqual({
        objectType: 'Group',
        member: [{ mbox: 'mailto:b@x.fr' }, { objectType: 'Agent', account: agent.account }],
      });
      expect(context.contextActivities).toEqual({ category: [{ id: 'https://x.fr/cat' }] });
      // An identified Group by its identifier alone; a SubStatement reduced the same way inside.
      const [withSub] = (await result({ agent: JSON.stringify({ mbox: group.mbox }), format: 'ids' }, headers))
        .statements;
      expect(withSub?.id).toBe(sub);
      expect(withSub?.actor).toEqual({ objectType: 'Group', mbox: group.mbox });
      expect(withSub?.object).toEqual({
        objectType: 'SubStatement',
        actor: {
          objectType: 'Group',
          member: [{ mbox: 'mailto:b@x.fr' }, { objectType: 'Agent', account: agent.account }],
        },
        verb: { id: COMPLETED },
        object: { id: activity },
      });
    },
  );

  it('reduces xAPI 2.0.0 context agents and groups to their identifiers in format=ids', async () => {
    const headers = xapiHeaders({ 'X-Experience-API-Version': '2.0.0' });
    const agent = agentOf();
    const parent = { objectType: 'Agent', name: 'Parent', mbox: 'mailto:parent@x.fr' };
    const [id] = await post(
      makeStatement(1, {
        actor: agent,
        timestamp: '2026-01-05T08:00:01Z',
        context: {
          contextAgents: [{ objectType: 'contextAgent', agent: parent, relevantTypes: ['https://x.fr/parent'] }],
          contextGroups: [
            {
              objectType: 'contextGroup',
              group: { objectType: 'Group', name: 'Classe', member: [parent] },
              relevantTypes: ['https://x.fr/classe'],
            },
          ],
        },
      }),
      headers,
    );
    const [ids] = (await result({ agent: JSON.stringify(agent), format: 'ids' }, headers)).statements;
    expect(ids?.id).toBe(id);
    const context = ids?.context as Record<string, unknown>;
    expect(context.contextAgents).toEqual([
      {
        objectType: 'contextAgent',
        agent: { objectType: 'Agent', mbox: parent.mbox },
        relevantTypes: ['https://x.fr/parent'],
      },
    ]);
    expect(context.contextGroups).toEqual([
      {
        objectType: 'contextGroup',
        group: { objectType: 'Group', member: [{ objectType: 'Agent', mbox: parent.mbox }] },
        relevantTypes: ['https://x.fr/classe'],
      },
    ]);
  });

  it('answers HEAD on queries with the headers of GET and no body', async () => {
    const res = await fetch(`${server.url}/xapi/statements?limit=1`, { method: 'HEAD', headers: xapiHeaders() });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    expect(res.headers.get('x-experience-api-consistent-through')).not.toBeNull();
    expect(await res.text()).toBe('');
  });

  it('speaks 2.0.0 too', async () => {
    const agent = agentOf();
    const [id] = await post(makeStatement(1, { actor: agent }), xapiHeaders({ 'X-Experience-API-Version': '2.0.0' }));
    const res = await query({ agent: agentParam(agent) }, xapiHeaders({ 'X-Experience-API-Version': '2.0.0' }));
    expect(res.headers.get('x-experience-api-version')).toBe('2.0.0');
    expect(((await res.json()) as Result).statements.map((s) => s.id)).toEqual([id]);
  });

  it('shows a statements/read/mine credential only the statements it stored, even through more', async () => {
    const agent = agentOf();
    const a = xapiHeaders({ Authorization: basicAuth('mine-a', 'mine-a-secret') });
    const b = xapiHeaders({ Authorization: basicAuth('mine-b', 'mine-b-secret') });
    const [mineA] = await post(makeStatement(1, { actor: agent }), a);
    await post(makeStatement(2, { actor: agent }), b);
    const [mineA2] = await post(makeStatement(3, { actor: agent }), a);
    const first = await result({ agent: agentParam(agent), limit: '1' }, a);
    expect(first.statements.map((s) => s.id)).toEqual([mineA2]);
    const second = (await (await fetch(`${server.url}${first.more}`, { headers: a })).json()) as Result;
    expect(second.statements.map((s) => s.id)).toEqual([mineA]);
    expect((await fetch(`${server.url}${first.more}`, { headers: b })).status).toBe(403);
  });

  it('refuses malformed parameters with 400 naming the parameter', async () => {
    await expectBad({ statementId: randomUUID(), agent: agentParam(agentOf()) }, 'agent');
    await expectBad({ statementId: randomUUID(), voidedStatementId: randomUUID() }, 'not both');
    await expectBad({ agent: '{"mbox":' }, 'agent');
    await expectBad({ agent: '{"name":"no ifi"}' }, 'agent');
    await expectBad({ verb: 'not an iri' }, 'verb');
    await expectBad({ registration: 'abc' }, 'registration');
    await expectBad({ format: 'full' }, 'format');
    await expectBad({ limit: '-1' }, 'limit');
    await expectBad({ ascending: 'yes' }, 'ascending');
    await expectBad({ related_agents: '1' }, 'related_agents');
    await expectBad({ since: 'yesterday' }, 'since');
    await expectBad({ until: '2026-13-01T00:00:00Z' }, 'until');
    await expectBad({ actor: 'x' }, 'actor');
    await expectBad({ more: 'forged.cursor' }, 'more');
  });
});
