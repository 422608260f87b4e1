import { randomUUID } from 'node:crypto';
import { importDirectory } from '@ent-observatory/directory';
import { RECOMPUTE_LEASE } from '@ent-observatory/indicators';
import { TABLES, createWarehouse, queryRows } from '@ent-observatory/warehouse';
import { ENT_CONTEXT_EXTENSIONS, ENT_VERBS } from '@ent-observatory/xapi';
import { DirectorySnapshotService } from '../apps/api/src/enrichment/directory-snapshot.service.js';
import { VisitRollupsService } from '../apps/api/src/observatory/visit-rollups.service.js';
import { activityRow } from './support/activity.js';
import { holdLease } from './support/lease.js';
import { bundledFiles } from './support/directory.js';
import { workerDataDir } from './support/paths.js';
import { type TestServer, startServer, xapiHeaders } from './support/server.js';
import { type Session, gql, signedInAs } from './support/session.js';

const CRETEIL_UAI = '0940176F';

interface Answer {
  overview: {
    current: { users: number | null; visits: number | null };
    meta: { asOf: string | null; cached: boolean };
  };
}
const overviewOf = (from: string, to: string) =>
  `query { overview(filter: { from: "${from}", to: "${to}", uai: "${CRETEIL_UAI}" }) { current { users visits } meta { asOf cached } } }`;

/** `n` pupils of the Créteil school, one access each at `at`, as the LRS receives them. */
function pupils(n: number, at: string) {
  return Array.from({ length: n }, (_, p) => ({
    id: randomUUID(),
    actor: { objectType: 'Agent', account: { homePage: 'https://ent.val-de-marne.fr', name: `eleve-${p}` } },
    verb: { id: ENT_VERBS.accessed },
    object: { objectType: 'Activity', id: 'https://ent.val-de-marne.fr/cahier-de-textes' },
    context: {
      platform: 'monlycee',
      extensions: { [ENT_CONTEXT_EXTENSIONS.uai]: CRETEIL_UAI, [ENT_CONTEXT_EXTENSIONS.profile]: 'ELEVE' },
    },
    timestamp: at,
  }));
}

/** An API with the bundled directory and a national analyst signed in. */
async function serverWithNationalUser(env: Record<string, string>): Promise<{ server: TestServer; national: Session }> {
  const server = await startServer(env);
  await importDirectory(server.store, server.warehouse, bundledFiles());
  const national = await signedInAs(server, {
    email: 'national@fresh.test',
    displayName: 'national',
    password: 'national-password-1',
    roles: [{ role: 'national', scope: '' }],
  });
  await server.app.get(DirectorySnapshotService).refresh();
  return { server, national };
}

/**
 * The earliest of these statements' `stored` (the instant the LRS gave them: it holds its Consistent-Through before
 * it) or `inserted` (when they reached `statements`), in ms: a view whose figures lack them says a freshness before it.
 * (Not the test's clock before the write: a check between that and the write truly finds everything counted.)
 */
async function earliest(server: TestServer, column: 'stored' | 'inserted', ids: string[]): Promise<number> {
  const [row] = await queryRows<{ t: string }>(
    server.warehouse.client,
    `SELECT toString(toUnixTimestamp64Milli(min(${column}))) AS t FROM ${TABLES.statements} WHERE id IN {ids:Array(UUID)}`,
    { ids },
  );
  return Number(row?.t);
}

describe('views never wait long for the visit rollups, and say how fresh they are', () => {
  let server: TestServer;
  let national: Session;

  beforeAll(async () => {
    // A view waits at most 300 ms for the recomputation of this process's writes.
    ({ server, national } = await serverWithNationalUser({ ROLLUP_WAIT_MS: '300' }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers from the last complete state while another process recomputes, then counts the new statements', async () => {
    // Another API instance or the CLI recomputing: it holds the lease as long as this test wants.
    const other = await holdLease(server.warehouse, RECOMPUTE_LEASE, 'cli:elsewhere');
    const statements = pupils(6, '2026-01-12T08:00:00+01:00');
    let before: number;
    try {
      const post = await fetch(`${server.url}/xapi/statements`, {
        method: 'POST',
        headers: xapiHeaders(),
        body: JSON.stringify(statements),
      });
      expect(post.status).toBe(200);
      await server.settle(); // the journal moved into `statements`
      before = await earliest(
        server,
        'stored',
        statements.map((st) => st.id),
      );
      expect(before).toBeLessThanOrEqual(Date.now());
      // The lease is held for good: a view that waited for the recomputation would never answer.
      const stale = await gql<Answer>(server.url, national, overviewOf('2026-01-12', '2026-01-18'));
      expect(stale.errors).toBeUndefined();
      expect(stale.data?.overview.current).toMatchObject({ users: null, visits: null });
      expect(Date.parse(stale.data?.overview.meta.asOf ?? '')).toBeLessThan(before);
    } finally {
      // Given back even when an expectation failed: the next tests catch up.
      other.release();
      await other.done;
    }
    await server.app.get(VisitRollupsService).settle();
    const fresh = await gql<Answer>(server.url, national, overviewOf('2026-01-12', '2026-01-18'));
    expect(fresh.data?.overview).toMatchObject({ current: { users: 6, visits: 6 }, meta: { cached: false } });
    // asOf is a lower bound: a month recomputed within 2 s of its last insert (the in-flight margin) is recomputed
    // again by the next catch-up, after which asOf passes the POST.
    let asOf = Date.parse(fresh.data?.overview.meta.asOf ?? '');
    for (let i = 0; i < 40 && !(asOf >= before); i++) {
      await new Promise((r) => setTimeout(r, 500));
      const again = await gql<Answer>(server.url, national, overviewOf('2026-01-12', '2026-01-18'));
      expect(again.data?.overview.current).toEqual({ users: 6, visits: 6 });
      asOf = Date.parse(again.data?.overview.meta.asOf ?? '');
    }
    expect(asOf).toBeGreaterThanOrEqual(before);
  });

  it("catches up with another process's writes without being told, within a few seconds", async () => {
    // The CLI writes through its own client: this process's data generation does not move.
    const cli = createWarehouse({ dataDir: workerDataDir() });
    const rows = Array.from({ length: 5 }, (_, p) =>
      activityRow({
        actor: `cli-${p}`,
        at: '2026-02-02T09:00:00.000Z',
        uai: CRETEIL_UAI,
        region: '11',
        academie: '24',
        departement: '094',
      }),
    );
    await cli.client.insert({ table: TABLES.statements, values: rows, format: 'JSONEachRow' });
    await cli.client.close();
    const written = await earliest(
      server,
      'inserted',
      rows.map((r) => String(r.id)),
    );
    let answer: Answer['overview'] | undefined;
    // The background catch-up looks every 2 s; a view in between answers the last complete state.
    const counted = () => answer?.current.visits === 5 && Date.parse(answer.meta.asOf ?? '') >= written;
    for (let i = 0; i < 60 && !counted(); i++) {
      answer = (await gql<Answer>(server.url, national, overviewOf('2026-02-02', '2026-02-08'))).data?.overview;
      // Figures without the new statements never claim to be fresher than them.
      if (answer?.current.visits !== 5) expect(Date.parse(answer?.meta.asOf ?? '')).toBeLessThan(written);
      if (!counted()) await new Promise((r) => setTimeout(r, 500));
    }
    expect(answer?.current).toEqual({ users: 5, visits: 5 });
    expect(Date.parse(answer?.meta.asOf ?? '')).toBeGreaterThanOrEqual(written);
  });
});

describe('freshness of statements the LRS acknowledged and has not moved into ClickHouse yet', () => {
  let server: TestServer;
  let national: Session;

  beforeAll(async () => {
    // The journal keeps what it acknowledged until it is told to move it (server.settle).
    ({ server, national } = await serverWithNationalUser({ JOURNAL_MOVE_MS: '60000' }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('never says a freshness later than statements it does not count yet', async () => {
    const post = await fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(pupils(6, '2026-03-09T08:00:00+01:00')),
    });
    expect(post.status).toBe(200);
    const posted = Date.now();
    // Acknowledged, still in the journal: not in the figures, and the view says so by its asOf.
    const waiting = await gql<Answer>(server.url, national, overviewOf('2026-03-09', '2026-03-15'));
    expect(waiting.errors).toBeUndefined();
    expect(waiting.data?.overview.current).toMatchObject({ users: null, visits: null });
    expect(Date.parse(waiting.data?.overview.meta.asOf ?? '')).toBeLessThan(posted);

    await server.settle(); // the journal moved into `statements`
    let answer: Answer['overview'] | undefined;
    for (let i = 0; i < 40 && !(Date.parse(answer?.meta.asOf ?? '') >= posted); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 500));
      answer = (await gql<Answer>(server.url, national, overviewOf('2026-03-09', '2026-03-15'))).data?.overview;
      // Figures without the new statements never claim to be fresher than them.
      if (answer?.current.visits !== 6) expect(Date.parse(answer?.meta.asOf ?? '')).toBeLessThan(posted);
    }
    expect(answer?.current).toEqual({ users: 6, visits: 6 });
    expect(Date.parse(answer?.meta.asOf ?? '')).toBeGreaterThanOrEqual(posted);
  });
});
