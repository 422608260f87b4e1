import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run demo` as a newcomer sees it (the built application: run after `npm run build`), on a small perimeter and
 * one week so that it takes seconds: what it prints first, what it does not print, and what a second run says.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs the demo until it has printed everything (its last line is about the training space), then stops it. */
async function runDemo(dataDir: string, port: number): Promise<{ out: string }> {
  const child: ChildProcess = spawn(process.execPath, ['scripts/demo.mjs'], {
    cwd: ROOT,
    env: {
      ...asNewcomer(process.env),
      DATA_DIR: dataDir,
      PORT: String(port),
      DEMO_FROM: '2026-11-23',
      DEMO_TO: '2026-11-29',
      DEMO_SAMPLE: '0.02',
      DEMO_SCALE: '0.05',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const done = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      if (/^Formation: /m.test(out)) resolve();
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`the demo stopped (exit code ${code}) before it was ready:\n${out}`)));
  });
  await done;
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return { out };
}

/**
 * The environment a newcomer has: no LOG_LEVEL (the demo's own default, warnings only, applies) and no DATABASE_URL
 * (the demo runs on its embedded stores, PGlite under DATA_DIR, and never writes its simulated classes into the
 * PostgreSQL database the other test files share).
 */
function asNewcomer(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LOG_LEVEL: _level, DATABASE_URL: _database, ...rest } = env;
  return rest;
}

describe('npm run demo: the first minutes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
  const port = 3600 + (process.pid % 200);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the addresses and the accounts before loading, no route listing, and says when the figures are complete; a second run does not pretend to load again', async () => {
    const first = await runDemo(dataDir, port);
    expect(first.out).not.toMatch(/Mapped \{|RouterExplorer|InstanceLoader/);
    const accounts = first.out.indexOf('Demo accounts');
    const loading = first.out.indexOf('Loading the simulated term');
    const complete = first.out.indexOf('The figures are complete');
    expect(accounts).toBeGreaterThan(first.out.indexOf('Observatoire : http://localhost:'));
    expect([accounts < loading, loading < complete]).toEqual([true, true]);
    expect(first.out).toMatch(/statements loaded|loading \[/);
    expect(first.out).toContain('@demo.ent-observatoire.fr');
    expect(first.out).toMatch(/loaded through POST \/xapi\/statements in [\d.]+ s/);
    // The training space is seeded once per database (a PostgreSQL server shared with other tests may have it):
    // when this run built it, the 6e teacher's assignment was given and taken too.
    if (/^Formation: « .* » built by/m.test(first.out)) {
      expect(first.out).toMatch(
        /Devoirs: « Quiz : RGPD » given to .+ \(0352167R\) by enseignant\.0352167r@.+, taken by eleve@/,
      );
    }

    const second = await runDemo(dataDir, port);
    expect(second.out).not.toContain('Loading the simulated term');
    expect(second.out).not.toMatch(/loaded through POST \/xapi\/statements in/);
    expect(second.out).toMatch(/was loaded by an earlier run on \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(second.out.indexOf('Demo accounts')).toBeGreaterThan(0);
  }, 600_000);
});
