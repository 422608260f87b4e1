import { randomUUID } from 'node:crypto';
import { courseXml, zipOf } from '@ent-observatory/training';
import { EXT, TestAu, api, importPackage, launch, statementsOf, verbsOf } from './support/cmi5.js';
import { type TestServer, startServer } from './support/server.js';

const actor = (name: string) => ({ objectType: 'Agent', account: { homePage: 'https://ent.test', name } });
const AU_URL = 'https://content.test/au/index.html';

describe('the cmi5 LMS through its integration API', () => {
  let server: TestServer;
  let courseId: string;

  beforeAll(async () => {
    server = await startServer();
    courseId = await importPackage(
      server.url,
      courseXml('https://publisher.test/course', 'Cours de test', [
        {
          id: 'https://publisher.test/block/1',
          title: 'Module 1',
          children: [
            {
              id: 'https://publisher.test/au/quiz',
              url: `${AU_URL}?module=1`,
              moveOn: 'Passed',
              masteryScore: '0.7',
              launchParameters: '{"module":"m1"}',
              entitlementKey: 'key-1',
            },
          ],
        },
        { id: 'https://publisher.test/au/page', url: AU_URL, moveOn: 'Completed', launchMethod: 'OwnWindow' },
      ]),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('runs a session as cmi5 requires: launch data, one-time fetch, AU statements, satisfied, token ended', async () => {
    const started = await launch(server.url, { courseId, auIndex: 0, actor: actor('l-1') });
    const au = new TestAu(started.url);
    expect(new URL(started.url).searchParams.get('module')).toBe('1');
    expect(au.endpoint).toBe(`${server.url}/xapi/`);
    expect(au.registration).toBe(started.registration);
    expect(au.activityId).not.toBe('https://publisher.test/au/quiz');
    await au.start();
    expect(au.launchData).toMatchObject({
      launchMode: 'Normal',
      moveOn: 'Passed',
      masteryScore: 0.7,
      launchParameters: '{"module":"m1"}',
      entitlementKey: { courseStructure: 'key-1' },
      contextTemplate: {
        contextActivities: { grouping: [{ id: 'https://publisher.test/au/quiz' }] },
        extensions: { [`${EXT}sessionid`]: started.sessionId },
      },
    });
    expect(await au.fetchToken()).toEqual({ 'error-code': '1', 'error-text': expect.any(String) });

    const steps = [
      au.statement('initialized'),
      au.statement('completed', { moveon: true, result: { completion: true, duration: 'PT30S' } }),
      au.statement('passed', {
        moveon: true,
        ext: { [`${EXT}masteryscore`]: 0.7 },
        result: { success: true, score: { scaled: 0.8 }, duration: 'PT60S' },
      }),
      au.statement('terminated', { result: { duration: 'PT90S' } }),
    ];
    for (const st of steps) expect([(await au.send(st)).status, st.verb]).toEqual([200, st.verb]);

    const all = await statementsOf(server.url, started.registration);
    const session = all.filter((s) => s.context.extensions?.[`${EXT}sessionid`] === started.sessionId);
    expect(verbsOf(session)).toEqual(['launched', 'initialized', 'completed', 'passed', 'satisfied', 'terminated']);
    const launched = session[0]!;
    expect(launched.context.extensions).toMatchObject({
      [`${EXT}launchmode`]: 'Normal',
      [`${EXT}moveon`]: 'Passed',
      [`${EXT}masteryscore`]: 0.7,
      [`${EXT}launchparameters`]: '{"module":"m1"}',
      [`${EXT}launchurl`]: `${AU_URL}?module=1`,
    });
    const satisfied = session[4]!;
    expect(satisfied.object.definition.type).toBe('https://w3id.org/xapi/cmi5/activitytype/block');
    expect(satisfied.context.contextActivities.grouping[0]?.id).toBe('https://publisher.test/block/1');
    expect(satisfied.authority).toEqual(launched.authority);
    expect(session[1]!.authority).not.toEqual(launched.authority);
    // The token died with the session.
    const after = await au.send(au.statement('experienced', { defined: false }));
    expect(after.status).toBe(403);
  });

  it('refuses AU statements that break a cmi5 rule, storing nothing, with the rule in the message', async () => {
    const started = await launch(server.url, { courseId, auIndex: 0, actor: actor('l-2') });
    const au = await new TestAu(started.url).start();
    const early = au.statement('experienced', { defined: false });
    const refusedEarly = await au.send(early);
    expect(refusedEarly.status).toBe(400);
    expect(((await refusedEarly.json()) as { message: string }).message).toMatch(/§9\.3.*initialized/);
    expect((await au.send(au.statement('initialized'))).status).toBe(200);
    const cheat = au.statement('passed', {
      moveon: true,
      ext: { [`${EXT}masteryscore`]: 0.7 },
      result: { success: true, score: { scaled: 0.2 }, duration: 'PT1S' },
    });
    const refused = await au.send(cheat);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/§9\.3\.4.*masteryScore/);
    const other = au.statement('experienced', { defined: false });
    (other.context as Record<string, unknown>).registration = randomUUID();
    expect((await au.send(other)).status).toBe(400);
    const voiding = au.statement('http://adlnet.gov/expapi/verbs/voided', { defined: false });
    voiding.object = { objectType: 'StatementRef', id: randomUUID() };
    expect((await au.send(voiding)).status).toBe(403);
    const launchData = await au.xapi(
      'PUT',
      'activities/state',
      {
        stateId: 'LMS.LaunchData',
        activityId: au.activityId,
        agent: JSON.stringify(au.actor),
        registration: au.registration,
      },
      { launchMode: 'Review' },
    );
    expect(launchData.status).toBe(403);
    const stored = await statementsOf(server.url, started.registration);
    expect(stored.map((s) => s.id)).not.toEqual(expect.arrayContaining([early.id, cheat.id, other.id]));
    // The AU reads only its own learner's statements.
    const mine = await au.xapi('GET', 'statements', {});
    const page = (await mine.json()) as { statements: { actor: { account: { name: string } } }[] };
    expect(page.statements.length).toBeGreaterThan(0);
    expect(page.statements.every((s) => s.actor.account.name === 'l-2')).toBe(true);
    const someoneElse = await au.xapi('GET', 'statements', { agent: JSON.stringify(actor('l-1')) });
    expect(someoneElse.status).toBe(403);
  });

  it('abandons the open session on relaunch, and on request', async () => {
    const first = await launch(server.url, { courseId, auIndex: 1, actor: actor('l-3') });
    const au = await new TestAu(first.url).start();
    expect((await au.send(au.statement('initialized'))).status).toBe(200);
    const second = await launch(server.url, {
      courseId,
      auIndex: 1,
      actor: actor('l-3'),
      registration: first.registration,
    });
    expect(second.registration).toBe(first.registration);
    const abandoned = (await statementsOf(server.url, first.registration)).filter((s) =>
      s.verb.id.endsWith('/abandoned'),
    );
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]!.context.extensions[`${EXT}sessionid`]).toBe(first.sessionId);
    expect(abandoned[0]!.result.duration).toMatch(/^PT/);
    expect((await au.send(au.statement('terminated', { result: { duration: 'PT1S' } }))).status).toBe(403);
    expect((await api(server.url, `sessions/${second.sessionId}/abandon`, {})).status).toBe(204);
    expect((await api(server.url, `sessions/${second.sessionId}/abandon`, {})).status).toBe(409);
    const replay = new TestAu(second.url);
    expect(await replay.fetchToken()).toMatchObject({ 'error-code': '1' });
    const unknown = await fetch(`${server.url}/formation/api/fetch/not-a-token`, { method: 'POST' });
    expect([unknown.status, await unknown.json()]).toEqual([
      200,
      { 'error-code': '2', 'error-text': expect.any(String) },
    ]);
  });

  it('waives an AU once, with its reason, and satisfies the course when every AU is', async () => {
    const started = await launch(server.url, { courseId, auIndex: 1, actor: actor('l-4') });
    const waive = (auIndex: number) =>
      api(server.url, `registrations/${started.registration}/waive`, { auIndex, reason: 'Tested Out' });
    expect((await waive(0)).status).toBe(204);
    expect((await waive(0)).status).toBe(409);
    expect((await waive(1)).status).toBe(204);
    const all = await statementsOf(server.url, started.registration);
    const waived = all.filter((s) => s.verb.id.endsWith('/waived'));
    expect(waived).toHaveLength(2);
    expect(waived[0]!.result).toEqual({
      success: true,
      completion: true,
      extensions: { 'https://w3id.org/xapi/cmi5/result/extensions/reason': 'Tested Out' },
    });
    const satisfied = all.filter((s) => s.verb.id.endsWith('/satisfied')).map((s) => s.object.definition.type);
    expect(satisfied).toEqual([
      'https://w3id.org/xapi/cmi5/activitytype/block',
      'https://w3id.org/xapi/cmi5/activitytype/course',
    ]);
  });

  it('answers a bad package or launch with a clear error and imports nothing', async () => {
    const before = await server.store.query<{ n: string }>('SELECT count(*) AS n FROM training_courses');
    const bad = await api(
      server.url,
      'packages',
      courseXml('https://p.test/c', 'C', [{ id: 'https://p.test/a', url: 'a.html' }]),
      'text/xml',
    );
    expect(bad).toEqual({ status: 400, body: { error: 'invalid_package', message: expect.stringMatching(/§14\.2/) } });
    const zip = await zipOf(
      { 'cmi5.xml': courseXml('https://p.test/c', 'C', [{ id: 'https://p.test/a', url: 'gone.html' }]) },
      true,
    );
    expect((await api(server.url, 'packages', zip, 'application/zip')).body).toMatchObject({
      error: 'invalid_package',
    });
    expect((await api(server.url, 'packages', '{}', 'application/json')).status).toBe(400);
    const after = await server.store.query<{ n: string }>('SELECT count(*) AS n FROM training_courses');
    expect(after[0]!.n).toBe(before[0]!.n);
    expect((await api(server.url, 'launches', { courseId, auIndex: 9, actor: actor('x') })).status).toBe(400);
    expect((await api(server.url, 'launches', { courseId, auIndex: 0, actor: { mbox: 'mailto:a@b.c' } })).status).toBe(
      400,
    );
    expect((await api(server.url, 'launches', { courseId: 'nope', auIndex: 0, actor: actor('x') })).status).toBe(404);
    const anonymous = await fetch(`${server.url}/formation/api/launches`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
  });

  it('imports a 64-bit zip and serves its AU files next to the launch', async () => {
    const zip = await zipOf(
      {
        'cmi5.xml': courseXml('https://p.test/zip', 'Zip', [{ id: 'https://p.test/zip/au', url: 'au/index.html' }]),
        'au/index.html': '<!doctype html><title>AU</title>',
      },
      true,
    );
    const id = await importPackage(server.url, zip, 'application/zip');
    const started = await launch(server.url, { courseId: id, auIndex: 0, actor: actor('l-5') });
    expect(started.url.startsWith(`${server.url}/formation/contenus/${id}/au/index.html?`)).toBe(true);
    const page = await fetch(started.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<title>AU</title>');
  });
});
