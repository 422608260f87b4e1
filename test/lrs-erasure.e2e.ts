import { randomUUID } from 'node:crypto';
import { CredentialRepository } from '@ent-observatory/store';
import { refreshVisitRollups } from '@ent-observatory/indicators';
import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { ErasureService, checkDerivedTables, derivedViews } from '@ent-observatory/lrs';
import { authorityFor } from '../apps/api/src/lrs/credentials.service.js';
import { ACTIVITY, docRequest } from './support/documents.js';
import { type TestServer, basicAuth, startServer, xapiHeaders } from './support/server.js';
import { BOUNDARY, attachment, multipart, sha256 } from './support/attachments.js';
import { makeStatement, withId } from './support/statements.js';

const ERASED = { objectType: 'Agent', mbox: 'mailto:a.effacer@ent.example.fr' } as const;
const KEPT = { objectType: 'Agent', account: { homePage: 'https://ent.example.fr', name: 'reste' } } as const;
const VOIDED_VERB = { id: 'http://adlnet.gov/expapi/verbs/voided' };

describe('right to erasure', () => {
  let server: TestServer;
  const post = (statements: unknown[]) =>
    fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(statements),
    });
  const erase = (body: unknown, key = 'test-key', secret = 'test-secret-123') =>
    fetch(`${server.url}/xapi/admin/erasure`, {
      method: 'POST',
      headers: { Authorization: basicAuth(key, secret), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const statementsOf = async (actor: unknown) => {
    await server.settle();
    const rows = await queryRows<{ id: string }>(
      server.warehouse.client,
      `SELECT id FROM ${TABLES.statements} WHERE actor_ifi = {ifi:String}`,
      { ifi: actor === ERASED ? `mbox:${ERASED.mbox}` : `account:${KEPT.account.homePage}|${KEPT.account.name}` },
    );
    return rows.length;
  };
  const documents = async () =>
    (await server.store.query<{ agent_ifi: string; kind: string }>('SELECT agent_ifi, kind FROM xapi_documents')).map(
      (r) => `${r.kind}:${r.agent_ifi}`,
    );

  let erasedIds: string[];
  let voiderOfErased: string;
  let keptIds: string[];

  beforeAll(async () => {
    // The journal is moved only by settle() and by the erasure itself here, not by its timer.
    server = await startServer({ JOURNAL_MOVE_MS: '60000' });
    await server.store.query('DELETE FROM xapi_documents');
    await new CredentialRepository(server.store.db).upsert({
      key: 'reader',
      secret: 'reader-secret',
      scopes: ['all/read', 'statements/write', 'state', 'profile', 'define'],
      authority: authorityFor('reader'),
    });
    erasedIds = [randomUUID(), randomUUID(), randomUUID()];
    keptIds = [randomUUID(), randomUUID()];
    voiderOfErased = randomUUID();
    // Some moved into `statements`, some left in the journal: erasure must reach both.
    expect(
      (await post(erasedIds.slice(0, 2).map((id, i) => withId(makeStatement(i, { actor: ERASED }), id)))).status,
    ).toBe(200);
    expect((await post(keptIds.map((id, i) => withId(makeStatement(i, { actor: KEPT }), id)))).status).toBe(200);
    await server.settle();
    expect((await post([withId(makeStatement(9, { actor: ERASED }), erasedIds[2])])).status).toBe(200);
    const voiding = (id: string, target: string) =>
      withId({ actor: KEPT, verb: VOIDED_VERB, object: { objectType: 'StatementRef', id: target } }, id);
    expect((await post([voiding(voiderOfErased, erasedIds[0] ?? '')])).status).toBe(200);
    expect((await post([voiding(randomUUID(), keptIds[0] ?? '')])).status).toBe(200);
    for (const agent of [ERASED, KEPT]) {
      const state = { activityId: ACTIVITY, agent, stateId: 'progress' };
      expect((await docRequest(server.url, '/xapi/activities/state', 'PUT', state, { body: '{}' })).status).toBe(204);
      const profile = { agent, profileId: 'prefs' };
      const create = { body: '{}', headers: { 'If-None-Match': '*' } };
      expect((await docRequest(server.url, '/xapi/agents/profile', 'PUT', profile, create)).status).toBe(204);
    }
    const activityProfile = { activityId: ACTIVITY, profileId: 'shared' };
    expect(
      (
        await docRequest(server.url, '/xapi/activities/profile', 'PUT', activityProfile, {
          body: '{}',
          headers: { 'If-None-Match': '*' },
        })
      ).status,
    ).toBe(204);
  });
  afterAll(async () => {
    await server.close();
  });

  it('is refused to a credential without scope all, and to bad input', async () => {
    expect((await erase({ agent: ERASED }, 'reader', 'reader-secret')).status).toBe(403);
    expect((await erase({ agent: ERASED }, 'test-key', 'wrong')).status).toBe(401);
    expect((await erase({ who: ERASED })).status).toBe(400);
    expect((await erase({ agent: { name: 'no identifier' } })).status).toBe(400);
    const journaled = await fetch(`${server.url}/xapi/statements?statementId=${erasedIds[2]}`, {
      headers: xapiHeaders(),
    });
    expect(journaled.status).toBe(200);
  });

  it("removes the agent's statements, the statements voiding them and their documents, and reports the counts", async () => {
    const inClickHouse = await queryRows<{ id: string }>(
      server.warehouse.client,
      `SELECT id FROM ${TABLES.statements} WHERE id = {id:UUID}`,
      { id: erasedIds[2] },
    );
    expect(inClickHouse).toEqual([]); // still in the journal only
    // The visit rollups the observatory reads hold both people (the API catches up before any view)…
    const persons = async () => {
      await refreshVisitRollups(server.warehouse, { inFlightMarginSeconds: 0 });
      const [row] = await queryRows<{ n: string }>(
        server.warehouse.client,
        `SELECT uniqExact(person) AS n FROM ${TABLES.visitPerson}`,
      );
      return Number(row?.n);
    };
    expect(await persons()).toBe(2);
    const res = await erase({ agent: ERASED });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      agent: `mbox:${ERASED.mbox}`,
      statements: 3,
      voidingStatements: 1,
      stateDocuments: 1,
      agentProfileDocuments: 1,
      attachments: 0,
    });
    expect(await statementsOf(ERASED)).toBe(0);
    const rows = await queryRows<{ id: string }>(
      server.warehouse.client,
      `SELECT id FROM ${TABLES.statements} WHERE id IN {ids:Array(UUID)}`,
      { ids: [...erasedIds, voiderOfErased] },
    );
    expect(rows).toEqual([]);
    for (const id of erasedIds) {
      const got = await fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers: xapiHeaders() });
      expect(got.status).toBe(404);
    }
    // …and, recomputed after the erasure, only the one kept (who voided one of the erased statements: that voiding
    // statement goes, their own activity stays).
    expect(await persons()).toBe(1);
  });

  it('keeps everything of other agents: statements, the statement voiding theirs, documents, activity profiles', async () => {
    // KEPT: 2 statements + 2 voiding statements (one of which voided an erased statement and is gone).
    expect(await statementsOf(KEPT)).toBe(3);
    const kept = await fetch(`${server.url}/xapi/statements?voidedStatementId=${keptIds[0]}`, {
      headers: xapiHeaders(),
    });
    expect(kept.status).toBe(200);
    const keptIfi = `account:${KEPT.account.homePage}|${KEPT.account.name}`;
    expect((await documents()).sort()).toEqual(
      [`activity_profile:`, `agent_profile:${keptIfi}`, `state:${keptIfi}`].sort(),
    );
  });

  it('erases an agent whose statements nobody voided', async () => {
    const alone = { mbox: 'mailto:seul@ent.example.fr' };
    expect((await post([makeStatement(5, { actor: alone })])).status).toBe(200);
    const res = await erase({ agent: alone });
    expect(await res.json()).toMatchObject({ statements: 1, voidingStatements: 0 });
    const [left] = await queryRows<{ n: string | number }>(
      server.warehouse.client,
      `SELECT count() AS n FROM ${TABLES.statements} WHERE actor_ifi = {ifi:String}`,
      { ifi: `mbox:${alone.mbox}` },
    );
    expect(Number(left?.n)).toBe(0);
  });

  it('is a service method too (for the admin GraphQL), and erasing again finds nothing', async () => {
    const report = await server.app.get(ErasureService).erase(ERASED);
    expect(report).toEqual({
      agent: `mbox:${ERASED.mbox}`,
      statements: 0,
      voidingStatements: 0,
      stateDocuments: 0,
      agentProfileDocuments: 0,
      attachments: 0,
    });
  });

  it('erases the copies in the query tables and the attachment contents only that agent referred to', async () => {
    const agent = { mbox: 'mailto:pieces.jointes@ent.example.fr' };
    const own = 'copie rendue par l’élève à effacer';
    const shared = 'consigne commune à toute la classe';
    const mine = [
      makeStatement(20, { actor: agent, attachments: [attachment(own)] }),
      makeStatement(21, { actor: agent, attachments: [attachment(shared)] }),
    ];
    const theirs = makeStatement(22, { actor: KEPT, attachments: [attachment(shared)] });
    const send = (statements: unknown, parts: { content: string }[]) =>
      fetch(`${server.url}/xapi/statements`, {
        method: 'POST',
        headers: xapiHeaders({ 'Content-Type': `multipart/mixed; boundary=${BOUNDARY}` }),
        body: new Uint8Array(multipart(statements, parts)),
      });
    const ids = (await (await send(mine, [{ content: own }, { content: shared }])).json()) as string[];
    expect((await send([theirs], [{ content: shared }])).status).toBe(200);
    await server.settle();

    const report = await server.app.get(ErasureService).erase(agent);
    expect(report).toMatchObject({ statements: 2, attachments: 1 });
    const contents = await server.store.query<{ sha2: string }>(
      'SELECT sha2 FROM lrs_attachments WHERE sha2 = ANY($1)',
      [[sha256(own), sha256(shared)]],
    );
    expect(contents.map((c) => c.sha2)).toEqual([sha256(shared)]);
    for (const table of [TABLES.statementsById, TABLES.statementKeys]) {
      const left = await queryRows<{ id: string }>(
        server.warehouse.client,
        `SELECT id FROM ${table} WHERE id IN {ids:Array(UUID)}`,
        { ids },
      );
      expect([table, left]).toEqual([table, []]);
    }
    const query = await fetch(`${server.url}/xapi/statements?agent=${encodeURIComponent(JSON.stringify(agent))}`, {
      headers: xapiHeaders(),
    });
    expect(((await query.json()) as { statements: unknown[] }).statements).toEqual([]);
  });

  it('erases the person from every table fed from statements: follow-up events, and the contributors of a space', async () => {
    const pupil = { mbox: 'mailto:eleve.efface@ent.example.fr' };
    const SPACE = 'https://ent.example.fr/espaces/classe-6b';
    const inSpace = (n: number, actor: unknown) =>
      withId(
        makeStatement(n, {
          actor,
          verb: { id: 'http://activitystrea.ms/schema/1.0/post' },
          object: { objectType: 'Activity', id: SPACE },
        }),
      );
    const scored = withId(
      makeStatement(31, {
        actor: pupil,
        verb: { id: 'http://adlnet.gov/expapi/verbs/scored' },
        object: {
          objectType: 'Activity',
          id: 'https://ent.example.fr/evaluations/fractions',
          definition: { type: 'http://adlnet.gov/expapi/activities/assessment' },
        },
        result: { score: { scaled: 0.8 } },
      }),
    );
    const mine = [inSpace(30, pupil), scored];
    expect((await post([...mine, inSpace(32, KEPT)])).status).toBe(200);
    await server.settle();
    const space = async () => {
      const [row] = await queryRows<{ contributors: string; events: string }>(
        server.warehouse.client,
        `SELECT uniqExactMerge(contributors) AS contributors, sum(events) AS events FROM ${TABLES.spaceDaily}
         WHERE space_id = {space:String}`,
        { space: SPACE },
      );
      return { contributors: Number(row?.contributors), events: Number(row?.events) };
    };
    expect(await space()).toEqual({ contributors: 2, events: 2 });
    const ids = mine.map((s) => s.id as string);
    const [events] = await queryRows<{ n: string }>(
      server.warehouse.client,
      `SELECT count() AS n FROM ${TABLES.followUpPupilEvents} WHERE id IN {ids:Array(UUID)}`,
      { ids },
    );
    expect(Number(events?.n)).toBeGreaterThan(0);

    expect(await server.app.get(ErasureService).erase(pupil)).toMatchObject({ statements: 2 });

    expect(await space()).toEqual({ contributors: 1, events: 1 });
    // Every table a materialized view feeds from statements, by id: none of the erased statements is left.
    for (const d of await derivedViews(server.warehouse)) {
      if (d.kind !== 'id') continue;
      const [left] = await queryRows<{ n: string }>(
        server.warehouse.client,
        `SELECT count() AS n FROM ${d.target} WHERE id IN {ids:Array(UUID)}`,
        { ids },
      );
      expect([d.target, Number(left?.n)]).toEqual([d.target, 0]);
    }
    expect((await checkDerivedTables(server.warehouse)).consistent).toBe(true);
  });
});
