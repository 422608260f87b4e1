import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@ent-observatory/store';
import { BUNDLED_DIR } from './support/directory.js';
import { testRoot } from './support/paths.js';

const CLI = fileURLToPath(new URL('../apps/api/dist/cli/main.js', import.meta.url));

/** Runs the built CLI on embedded stores under `dataDir`, as `npm run cli -- …` does. */
function cli(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.CLICKHOUSE_URL;
  const run = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 110_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

describe('npm run cli', () => {
  mkdirSync(testRoot(), { recursive: true });
  const dataDir = mkdtempSync(join(testRoot(), 'cli-'));

  it('imports the bundled directory and a file with bad lines, reports each, and exits 1 for an unreadable file', async () => {
    const bad = join(dataDir, 'roster.csv');
    writeFileSync(
      bad,
      'uai;classe;niveau;annee_scolaire;membre;role\n0350122T;CM3;CM3;2025-2026;el-1;eleve\n;CP;CP;2025-2026;el-2;eleve\n',
    );
    const run = cli(dataDir, 'directory:import', BUNDLED_DIR, bad, join(dataDir, 'missing.csv'));
    // not a terminal: one plain progress line per file, the unreadable one included
    expect(run.err).toMatch(/^\[1\/11\] .*ent-platforms\.csv: 2 lines$/m);
    expect(run.err).toMatch(/^\[11\/11\] .*missing\.csv: 0 lines$/m);
    expect(run.out).toMatch(
      /✓ .*ille-et-vilaine-annuaire-education\.csv \(annuaire\): 996 lines; 993 inserted, 0 updated, 0 unchanged, 0 rejected/,
    );
    expect(run.out).toContain(`✓ ${bad} (roster): 2 lines; 0 inserted, 0 updated, 0 unchanged, 2 rejected`);
    expect(run.out).toContain('    line 2: unknown level "CM3"');
    expect(run.out).toContain('    line 3: missing uai');
    expect(run.out).toMatch(/✗ .*missing\.csv: cannot read/);
    expect(run.out).toMatch(/establishments mirrored to ClickHouse: 1606/);
    expect(run.code).toBe(1);

    const store = await openStore({ dataDir });
    const [row] = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM establishments');
    await store.close();
    expect(row?.n).toBe(1606);
  });

  it('lists its commands, and refuses an unknown one', () => {
    const help = cli(dataDir, 'help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('directory:import <file.csv | directory>...');
    const unknown = cli(dataDir, 'directory:nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Unknown command "directory:nope"');
  });

  it('refuses to open embedded stores that a running server holds', () => {
    mkdirSync(join(dataDir, 'journal'), { recursive: true });
    writeFileSync(join(dataDir, 'journal', 'LOCK'), String(process.pid)); // a live process: this test runner
    const run = cli(dataDir, 'directory:import', BUNDLED_DIR);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      `the LRS journal in ${join(dataDir, 'journal')} is used by process ${process.pid}: run one process per DATA_DIR. Embedded stores (no DATABASE_URL/CLICKHOUSE_URL) open in one process at a time: stop the server, then run the command again.\n`,
    );
  });
});
