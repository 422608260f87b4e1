import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { BUNDLED_DIR } from './support/directory.js';
import { testRoot } from './support/paths.js';
import { LRS_KEY, LRS_SECRET, type TestServer, startServer } from './support/server.js';

const CLI = fileURLToPath(new URL('../apps/api/dist/cli/main.js', import.meta.url));

/** Runs the built CLI on embedded stores under `dataDir` without blocking this process (a test server runs here). */
function cli(dataDir: string, args: string[], extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ...extraEnv };
  delete env.DATABASE_URL;
  delete env.CLICKHOUSE_URL;
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

const WEEK = ['--from', '2026-09-07', '--to', '2026-09-13', '--scale', '0.003'];

describe('npm run cli -- simulate', () => {
  mkdirSync(testRoot(), { recursive: true });
  const dataDir = mkdtempSync(join(testRoot(), 'simulate-'));

  beforeAll(async () => {
    const run = await cli(dataDir, ['directory:import', BUNDLED_DIR]);
    expect(run.code).toBe(0);
  });

  it('writes a week of statements on the bundled directory, the same for the same seed, and reports the shares', async () => {
    const files = [join(dataDir, 'a.ndjson'), join(dataDir, 'b.ndjson')];
    const first = await cli(dataDir, ['simulate', ...WEEK, '--seed', '7', '--out', files[0]!]);
    const second = await cli(dataDir, ['simulate', ...WEEK, '--seed', '7', '--out', files[1]!]);
    expect(first.code).toBe(0);
    const lines = readFileSync(files[0]!, 'utf8').trimEnd().split('\n');
    expect(first.out).toContain(`${lines.length} statements (`);
    expect(first.out).toMatch(/✓ visites ELEVE/);
    expect(first.err).toMatch(/^\[7\/7 days\] 2026-09-13/m);
    const hash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(hash(files[1]!)).toBe(hash(files[0]!));
    expect(second.code).toBe(0);
    const uais = new Set(
      lines.map((l) => (/"https:\/\/ent-observatory\.fr\/xapi\/extensions\/uai":"(\w+)"/.exec(l) ?? [])[1]),
    );
    // Both départements of the bundled directory are active (Rennes 035 and Créteil 094).
    expect([...uais].some((u) => u?.startsWith('035'))).toBe(true);
    expect([...uais].some((u) => u?.startsWith('094'))).toBe(true);
  });

  it('says what to fix in a bad command line', async () => {
    const noDate = await cli(dataDir, ['simulate', '--from', '1/9/2026', '--to', '2026-09-13', '--out', 'x.ndjson']);
    expect(noDate.code).toBe(2);
    expect(noDate.err).toContain('--from must be a date YYYY-MM-DD, got "1/9/2026"');
    const both = await cli(dataDir, ['simulate', ...WEEK]);
    expect(both.err).toContain('give either --out <file> or --post <url>');
    const outside = await cli(dataDir, ['simulate', '--from', '2030-01-06', '--to', '2030-01-07', '--out', 'x.ndjson']);
    expect(outside.code).toBe(2);
    expect(outside.err).toMatch(/outside the school calendar .*school-calendar\.csv/);
    const noKey = await cli(dataDir, ['simulate', ...WEEK, '--post', 'http://127.0.0.1:9']);
    expect(noKey.code).toBe(2);
    expect(noKey.err).toContain('--post needs LRS credentials');
  });

  describe('posting to an LRS', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('posts every statement in batches, and the LRS stores them all', async () => {
      const run = await cli(dataDir, ['simulate', ...WEEK, '--seed', '8', '--post', server.url, '--batch', '500'], {
        LRS_KEY,
        LRS_SECRET,
      });
      expect(run.code).toBe(0);
      const posted = Number(/^(\d+) statements \(/.exec(run.out)?.[1]);
      expect(posted).toBeGreaterThan(1000);
      await server.settle();
      const [row] = await queryRows<{ n: string }>(
        server.warehouse.client,
        `SELECT count() AS n FROM ${TABLES.statements}`,
      );
      expect(Number(row?.n)).toBe(posted);
    });

    it('stops with the LRS answer when the credentials are wrong', async () => {
      const run = await cli(dataDir, [
        'simulate',
        ...WEEK,
        '--post',
        server.url,
        '--key',
        'nobody',
        '--secret',
        'wrong',
      ]);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/the LRS refused a batch of \d+ statements: HTTP 401/);
    });
  });
});
