import { parisDays } from '../apps/api/src/observatory/statement-activity.service.js';
import { METRICS_TOKEN, type TestServer, startServer, xapiHeaders } from './support/server.js';
import { type Session, gql, signIn } from './support/session.js';
import { makeStatement } from './support/statements.js';

interface ActivityResponse {
  data?: { statementActivity: { total: number; inPeriod: number; perDay: { day: string; statements: number }[] } };
  errors?: { message: string }[];
}

describe('observatory API, health and metrics', () => {
  let server: TestServer;
  let admin: Session;
  const graphql = async (query: string): Promise<ActivityResponse> =>
    (await gql<ActivityResponse['data']>(server.url, admin, query)) as ActivityResponse;

  beforeAll(async () => {
    server = await startServer();
    admin = await signIn(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it('counts statements stored per Paris day over the last 30 days in one GraphQL query', async () => {
    const batch = Array.from({ length: 7 }, (_, i) => makeStatement(i));
    const res = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(batch),
    });
    expect(res.status).toBe(200);
    await server.settle(); // small writes reach ClickHouse from the journal within a second
    const { data } = await graphql('{ statementActivity { total inPeriod perDay { day statements } } }');
    expect(data?.statementActivity.total).toBe(7);
    expect(data?.statementActivity.inPeriod).toBe(7);
    const perDay = data?.statementActivity.perDay ?? [];
    expect(perDay).toHaveLength(30);
    expect(perDay.at(-1)).toEqual({ day: parisDays(new Date(), 1)[0], statements: 7 });
    expect(perDay.slice(0, -1).every((d) => d.statements === 0)).toBe(true);
  });

  it('refuses an out-of-range period with a message', async () => {
    const body = await graphql('{ statementActivity(days: 0) { total } }');
    expect(body.errors?.[0]?.message).toBe('days: expected a whole number from 1 to 366, got 0');
  });

  it('reports both stores on /health', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'up',
      clickhouse: { status: 'up', mode: 'embedded' },
      postgres: { status: 'up' },
    });
  });

  it('exposes Prometheus metrics', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      'xapi_statements_received_total',
      'xapi_statements_stored_total',
      'xapi_statements_rejected_total',
      'clickhouse_insert_batch_rows',
      'clickhouse_insert_duration_seconds',
      'insert_buffer_pending_rows',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });
});
