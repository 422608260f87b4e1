import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ClickHouseServer, startClickHouseServer } from './support/clickhouse-server.js';
import { LrsProcess, freePort } from './support/lrs-process.js';
import { testRoot } from './support/paths.js';
import { type TestServer, startServer, xapiHeaders } from './support/server.js';
import { makeStatement, withId } from './support/statements.js';

type Statement = Record<string, unknown>;

/**
 * `cli load` as an operator uses it: a file with duplicates, a conflict and bad lines is loaded into the stores the
 * API then serves; what was loaded is read back through the LRS, exactly once, and the derived tables agree.
 */
describe('npm run cli -- load', () => {
  const dataDir = join(testRoot(), `load-${process.pid}`);
  const file = join(dataDir, 'statements.jsonl');
  let lrs: LrsProcess;
  const good: Statement[] = Array.from({ length: 30 }, (_, n) => withId(makeStatement(n)));
  const noId = makeStatement(99, { verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } });
  const conflicting = { ...good[3], result: { score: { scaled: 0.5 } } };
  const badId = randomUUID();
  const lines = [
    ...good.slice(0, 10).map((s) => JSON.stringify(s)),
    JSON.stringify(good[2]), // line 11: same id, same content: skipped
    JSON.stringify(conflicting), // line 12: same id as line 4, different content: reported, not stored
    JSON.stringify({ ...makeStatement(7), id: badId, verb: { id: 'not an IRI' } }), // line 13: invalid
    '{"actor": ', // line 14: not JSON
    '', // line 15: empty, ignored
    JSON.stringify(noId), // line 16: the LRS assigns its id
    ...good.slice(10).map((s) => JSON.stringify(s)),
  ];

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`);
    lrs = new LrsProcess(dataDir, await freePort());
  });
  afterAll(async () => {
    await lrs.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loads the valid statements once, skips a duplicate, and reports the conflict and the bad lines by line', async () => {
    // Within one block here; the second load below checks against what earlier blocks stored.
    const run = await lrs.cli('load', file, '--block', '1000', '--workers', '1');
    expect(run.stdout).toContain('31 statements loaded from'); // 30 with ids, one without
    expect(run.stdout).toContain('1 duplicates skipped');
    expect(run.stdout).toContain('1 conflicts');
    expect(run.stdout).toContain('2 lines rejected');
    expect(run.stderr).toContain(`${file}:12: conflict: statement ${good[3]?.id as string} already exists`);
    expect(run.stderr).toMatch(new RegExp(`${file}:13: rejected: \\$\\.verb\\.id .*IRI`));
    expect(run.stderr).toContain(`${file}:14: rejected: not JSON`);
    expect(run.code).toBe(1); // some lines were not stored

    // Loading the same file again stores nothing new: every statement with an id is a duplicate now.
    const again = await lrs.cli('load', file, '--workers', '0');
    expect(again.stdout).toContain('1 statements loaded'); // only the one without an id, which gets a new one
    expect(again.stdout).toContain('31 duplicates skipped');
  });

  it('serves what was loaded through the LRS, with the original content of a conflicting id', async () => {
    await lrs.start();
    for (const s of [good[0], good[3], good[29]] as Statement[]) {
      const res = await fetch(`${lrs.url}/xapi/statements?statementId=${s.id as string}`, { headers: xapiHeaders() });
      expect(res.status).toBe(200);
      const got = (await res.json()) as Statement;
      expect(got.actor).toEqual(s.actor);
      expect(got.result).toBeUndefined(); // not the conflicting line's content
      expect((got.authority as { account: { name: string } }).account.name).toBe('cli-load');
    }
    const missing = await fetch(`${lrs.url}/xapi/statements?statementId=${badId}`, { headers: xapiHeaders() });
    expect(missing.status).toBe(404);
    const attempted = await fetch(
      `${lrs.url}/xapi/statements?verb=${encodeURIComponent('http://adlnet.gov/expapi/verbs/attempted')}`,
      { headers: xapiHeaders() },
    );
    expect(((await attempted.json()) as { statements: Statement[] }).statements).toHaveLength(2); // loaded twice
    // The LRS applies the same duplicate rule to what the loader stored.
    const same = await fetch(`${lrs.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(good[5]),
    });
    expect(same.status).toBe(200);
    const different = await fetch(`${lrs.url}/xapi/statements`, {
      method: 'POST',
      headers: xapiHeaders(),
      body: JSON.stringify(conflicting),
    });
    expect(different.status).toBe(409);
  });

  it('refuses to load while the API runs on the same stores', async () => {
    const refused = await lrs.cli('load', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/stop the server/);
  });

  it('leaves the derived tables consistent with statements (lrs:check)', async () => {
    await lrs.stop();
    const check = await lrs.cli('lrs:check');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ consistent: true });
  });

  it('recounts the visit rollups whole on request (rollups:recompute), the API stopped', async () => {
    const recompute = await lrs.cli('rollups:recompute');
    expect(recompute.stderr).toBe('');
    expect(recompute.stdout).toMatch(/^visit rollups recomputed: \d+ month\(s\), \d{4}-\d{2}-01 to \d{4}-\d{2}-01/);
    expect(recompute.code).toBe(0);
    expect((await lrs.cli('lrs:check')).code).toBe(0);
  });
});

describe('npm run cli -- load on a shared ClickHouse server', () => {
  let clickhouse: ClickHouseServer;
  let api: TestServer;
  let dir: string;

  beforeAll(async () => {
    mkdirSync(testRoot(), { recursive: true });
    dir = mkdtempSync(join(testRoot(), 'load-server-'));
    clickhouse = await startClickHouseServer();
    api = await startServer({ CLICKHOUSE_URL: clickhouse.url, DATA_DIR: join(dir, 'api') }, { keepData: true });
  });
  afterAll(async () => {
    await api.close();
    await clickhouse.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses while an API accepts statements on the same database, naming it', async () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, `${JSON.stringify(withId(makeStatement(1)))}\n`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLICKHOUSE_URL: clickhouse.url,
      DATA_DIR: join(dir, 'cli'),
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    const run = await promisify(execFile)(
      process.execPath,
      [join(process.cwd(), 'apps/api/dist/cli/main.js'), 'load', file],
      { env },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/an LRS writer is running on this database \(api:[^)]+\): stop it before loading/);
  });
});
