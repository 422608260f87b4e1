// `npm run demo`: serve the built application on the embedded stores (chdb + PGlite under DATA_DIR), with the
// bundled school directory imported, a simulated term of ENT activity loaded through the LRS (first run only) and
// an LRS credential created on first run and printed, so a newcomer can post a statement straight away.
// `npm run demo -- --fresh` (or DEMO_FRESH=1) wipes the stores and simulates again.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedTraining } from './demo-training.mjs';

const dataDir = process.env.DATA_DIR ?? './data';
const port = process.env.PORT ?? '3000';
const fresh = process.argv.includes('--fresh') || process.env.DEMO_FRESH === '1';
if (fresh) wipeStores();
mkdirSync(dataDir, { recursive: true });

/**
 * The simulated term (libs/simulator; docs in libs/simulator/README.md): the last weeks of 2025-26, so that the
 * CM2 → 6e continuity has last year's activity, then the autumn term of 2026-27 up to yesterday (the demo's
 * "today" is 30 Nov 2026). Loading goes through the LRS at a few thousand statements/s here, so the volume must stay
 * near 300k statements to be in place within two minutes. Spread evenly (1 % of every school's people) that leaves
 * every single school under the k-anonymity threshold; so the demo measures a perimeter, as the DNMA does: 8 % of the
 * collège sectors (a collège with its feeder schools, so CM2 → 6e stays inside) and of the other establishments, the
 * demo accounts' establishments always in, each at 12 % of its people. Override with DEMO_SAMPLE (1 = every
 * establishment), DEMO_SCALE, DEMO_FROM, DEMO_TO.
 */
const SIMULATION = {
  from: process.env.DEMO_FROM ?? '2026-06-22',
  to: process.env.DEMO_TO ?? '2026-11-29',
  scale: process.env.DEMO_SCALE ?? '0.12',
  sample: process.env.DEMO_SAMPLE ?? '0.08',
  include: '0352167R,0350122T',
  seed: '42',
};
const simulationStamp = join(dataDir, 'simulation.stamp');

const credentialFile = join(dataDir, 'demo-lrs-credential.txt');
let credential = process.env.LRS_BOOTSTRAP_CREDENTIAL;
if (!credential) {
  if (!existsSync(credentialFile)) {
    writeFileSync(credentialFile, `demo:${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
  }
  credential = readFileSync(credentialFile, 'utf8').trim();
}
if (process.argv.includes('--build')) buildApplication();
importBundledDirectory();
const [key, secret] = [credential.slice(0, credential.indexOf(':')), credential.slice(credential.indexOf(':') + 1)];
const simulation = generateTerm();
// After the simulation: the follow-up's accounts (a 6e teacher, a parent, a pupil) are on the simulated rosters.
const accounts = runCli(['demo:accounts'], 'pipe');

// The server logs warnings and errors only (its start-up lines are for operators: LOG_LEVEL=info or debug).
const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: port,
    LRS_BOOTSTRAP_CREDENTIAL: credential,
    LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

const base = `http://localhost:${port}`;
await waitForServer();
// What a newcomer needs first, as soon as the server answers: where to go and how to sign in.
process.stdout.write(`
ENT Observatory — demo on embedded stores (data in ${dataDir}), ready:
  Observatoire : ${base}/
  Formation    : ${base}/formation/
  LRS          : ${base}/xapi   key: ${key}   secret: ${secret}

${accounts}
Post a statement:
  curl -u '${key}:${secret}' -H 'X-Experience-API-Version: 1.0.3' -H 'Content-Type: application/json' \\
    -d '{"actor":{"account":{"homePage":"https://ent.example.fr","name":"eleve-1"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://ent.example.fr/cahier-de-textes"}}' \\
    ${base}/xapi/statements

`);
if (simulation) {
  process.stdout.write(
    'Loading the simulated term through the LRS: you can sign in now; the figures fill in as it loads.\n',
  );
  await loadTerm(simulation);
  await untilVisible();
  process.stdout.write('The figures are complete: the whole simulated term is loaded.\n');
}
const training = await seedTraining({ base, dataDir }).catch(
  (e) => `Formation: the demo parcours could not be set up (${e.message}).\n`,
);
process.stdout.write(`${simulatedNote(simulation !== undefined)}\n${training}`);

/**
 * \`npm run demo\` builds first: the bundler's and the compiler's output (tables of chunk sizes and timings) is kept
 * for a failure, where it says what went wrong.
 */
function buildApplication() {
  process.stdout.write('Building the application (about a minute; the observatory then starts) …\n');
  const started = performance.now();
  const run = spawnSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status !== 0) {
    process.stderr.write(`${run.stdout}${run.stderr}npm run build failed (exit code ${run.status}); see above.\n`);
    process.exit(run.status ?? 1);
  }
  process.stdout.write(`Built in ${((performance.now() - started) / 1000).toFixed(0)} s.\n`);
}

/**
 * Imports data/directory/*.csv with the CLI before the server starts (embedded stores open in one process at a
 * time). Skipped when the bundled files have not changed since the last import (a stamp in DATA_DIR), so a
 * restart is instant; the import itself takes seconds.
 */
function importBundledDirectory() {
  const dir = 'data/directory';
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv'));
  const stamp = createHash('sha256')
    .update(files.map((f) => `${f}:${statSync(join(dir, f)).size}:${statSync(join(dir, f)).mtimeMs}`).join('\n'))
    .digest('hex');
  const stampFile = join(dataDir, 'directory-import.stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  process.stdout.write(`Importing the bundled school directory (${dir}) …\n`);
  runCli(['directory:import', dir], 'inherit');
  writeFileSync(stampFile, stamp);
}

/** Runs a CLI command before the server starts; its output is returned when piped. Stops the demo on failure. */
function runCli(args, stdout) {
  const run = spawnSync(process.execPath, ['apps/api/dist/cli/main.js', ...args], {
    stdio: ['ignore', stdout, 'inherit'],
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    process.stderr.write(
      `${run.stdout ?? ''}npm run cli -- ${args.join(' ')} failed (exit code ${run.status}); see above.\n`,
    );
    process.exit(run.status ?? 1);
  }
  return run.stdout ?? '';
}

/**
 * Generates the term into an NDJSON file before the server starts (the CLI reads the directory from the embedded
 * stores, which one process opens at a time). Skipped when a previous run loaded it (the stamp).
 */
function generateTerm() {
  if (existsSync(simulationStamp)) return undefined;
  const file = join(dataDir, 'simulated-term.ndjson');
  const rosters = join(dataDir, 'simulated-rosters.csv');
  const { from, to, scale, sample, include, seed } = SIMULATION;
  process.stdout.write(
    `Simulating ENT activity ${from} → ${to} in ${Number(sample) * 100} % of the establishments at scale ${scale} (first run only) …\n`,
  );
  const started = performance.now();
  const report = runCli(
    [
      'simulate',
      ...['--from', from, '--to', to, '--scale', scale, '--seed', seed, '--out', file, '--roster-out', rosters],
      ...(Number(sample) < 1 ? ['--sample', sample, '--include', include] : []),
    ],
    'pipe',
  );
  // The simulated classes with their (made-up) pupils' names and ENT identities: the follow-up pages' rosters.
  runCli(['directory:import', rosters], 'inherit');
  return { file, report, generated: (performance.now() - started) / 1000 };
}

/** Posts the simulated file to the running server through the LRS (batches of 1,000: the direct-insert path). */
/**
 * Waits until the server's journal has moved every acknowledged statement into ClickHouse (/health `lrs.pending`
 * at 0), so that « complete » means the pages count them all (on a busy machine the moves can lag the posts).
 */
async function untilVisible() {
  for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline;) {
    const health = await fetch(`${base}/health`)
      .then((r) => r.json())
      .catch(() => null);
    if (health?.lrs?.pending === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function loadTerm(simulation) {
  const started = performance.now();
  const load = spawn(
    process.execPath,
    [
      'apps/api/dist/cli/main.js',
      'simulate',
      '--replay',
      simulation.file,
      '--post',
      base,
      '--batch',
      '1000',
      '--concurrency',
      '3',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DATA_DIR: dataDir, LRS_KEY: key, LRS_SECRET: secret },
    },
  );
  let out = '';
  load.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise((resolve) => load.on('exit', resolve));
  if (code !== 0) {
    process.stderr.write(
      `${out}Loading the simulated term failed (exit code ${code}); run \`npm run demo -- --fresh\` to retry.\n`,
    );
    process.exit(1);
  }
  const loaded = (performance.now() - started) / 1000;
  rmSync(simulation.file, { force: true });
  const note = `${simulation.report}${out}Simulated term: generated in ${simulation.generated.toFixed(1)} s, loaded through POST /xapi/statements in ${loaded.toFixed(1)} s.\n`;
  const loadedAt = new Date().toISOString();
  writeFileSync(simulationStamp, JSON.stringify({ ...SIMULATION, note, loadedAt }, null, 2));
}

/**
 * What was simulated and how long it took: just now on the run that loaded it; on later runs, said as what it is —
 * the first run's measurements, with its date — rather than as if they had just happened.
 */
function simulatedNote(justLoaded) {
  if (!existsSync(simulationStamp)) return '';
  const stamp = JSON.parse(readFileSync(simulationStamp, 'utf8'));
  const again = `(npm run demo -- --fresh wipes ${dataDir} and simulates again.)`;
  if (justLoaded) return `\n${stamp.note}\n${again}\n`;
  const when = stamp.loadedAt ? ` on ${stamp.loadedAt.slice(0, 16).replace('T', ' ')} UTC` : '';
  return `\nThe simulated term ${stamp.from} → ${stamp.to} was loaded by an earlier run${when}; its figures are in place. ${again}\n`;
}

async function waitForServer() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/xapi/about`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.stderr.write(`The server did not answer on ${base} within two minutes.\n`);
  process.exit(1);
}

/**
 * Removes the embedded stores and stamps of DATA_DIR, keeping the LRS credential, the demo accounts' passwords
 * and the pseudonymisation key, so logins and pseudonyms stay the same across fresh datasets.
 */
function wipeStores() {
  if (!existsSync(dataDir)) return;
  const keep = new Set(['demo-lrs-credential.txt', 'demo-accounts.json']);
  for (const entry of readdirSync(dataDir)) {
    if (keep.has(entry) || /pseudonym/i.test(entry)) continue;
    rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
  process.stdout.write(`Wiped the stores in ${dataDir} (--fresh).\n`);
}
