import { randomUUID } from 'node:crypto';
import XapiModule, { type Statement, type StatementsResponse } from '@xapi/xapi';
import { LRS_KEY, LRS_SECRET, type TestServer, startServer } from './support/server.js';

/** The package is CommonJS (module.exports = XAPI) with ESM-style types: its default import is the class itself. */
const XAPI = XapiModule as unknown as typeof XapiModule.default;

/** The LRS through an independent, unmodified xAPI client library (@xapi/xapi over axios). */
describe('the LRS through the @xapi/xapi client', () => {
  let server: TestServer;
  let xapi: InstanceType<typeof XAPI>;

  beforeAll(async () => {
    server = await startServer();
    xapi = new XAPI({ endpoint: `${server.url}/xapi/`, auth: XAPI.toBasicAuth(LRS_KEY, LRS_SECRET), version: '1.0.3' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends statements, queries them with filters and pages through them with more', async () => {
    const agent = { objectType: 'Agent' as const, mbox: `mailto:${randomUUID()}@ent.example.fr` };
    const verb = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'fr-FR': 'a terminé' } };
    const statements: Statement[] = Array.from({ length: 25 }, (_, i) => ({
      actor: agent,
      verb,
      object: { objectType: 'Activity', id: `https://ent.example.fr/exercice/${i}` },
    }));
    const sent = await xapi.sendStatements({ statements });
    expect(sent.data).toHaveLength(25);
    const one = await xapi.sendStatement({
      statement: {
        actor: agent,
        verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
        object: { id: 'https://ent.example.fr/x' },
      },
    });

    const filtered = await xapi.getStatements({ agent, verb: verb.id, limit: 10 });
    const seen = filtered.data.statements.map((s) => s.id);
    expect(seen).toHaveLength(10);
    expect(seen).not.toContain(one.data[0]);
    let more = filtered.data.more;
    while (more) {
      const page = (await xapi.getMoreStatements({ more })) as { data: StatementsResponse };
      seen.push(...page.data.statements.map((s) => s.id));
      more = page.data.more;
    }
    expect(new Set(seen)).toEqual(new Set(sent.data));

    const byActivity = await xapi.getStatements({ activity: 'https://ent.example.fr/exercice/3' });
    expect(byActivity.data.statements.map((s) => s.id)).toContain(sent.data[3]);
    const single = await xapi.getStatement({ statementId: sent.data[0] ?? '' });
    expect(single.data.actor).toEqual(agent);
  });
});
