// `npm run demo`: serve the built application on the embedded stores (chdb + PGlite under DATA_DIR), with the
// bundled school directory imported and an LRS credential created on first run and printed, so a newcomer can
// post a statement straight away.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dataDir = process.env.DATA_DIR ?? './data';
const port = process.env.PORT ?? '3000';
mkdirSync(dataDir, { recursive: true });

const credentialFile = join(dataDir, 'demo-lrs-credential.txt');
let credential = process.env.LRS_BOOTSTRAP_CREDENTIAL;
if (!credential) {
  if (!existsSync(credentialFile)) {
    writeFileSync(credentialFile, `demo:${randomBytes(12).toString('base64url')}\n`, { mode: 0o600 });
  }
  credential = readFileSync(credentialFile, 'utf8').trim();
}
importBundledDirectory();
const accounts = runCli(['demo:accounts'], 'pipe');

const [key, secret] = [credential.slice(0, credential.indexOf(':')), credential.slice(credential.indexOf(':') + 1)];

const base = `http://localhost:${port}`;
process.stdout.write(`
ENT Observatory — demo on embedded stores (data in ${dataDir})
  Observatoire : ${base}/
  Formation    : ${base}/formation/
  LRS          : ${base}/xapi   key: ${key}   secret: ${secret}

${accounts}
Post a statement:
  curl -u '${key}:${secret}' -H 'X-Experience-API-Version: 1.0.3' -H 'Content-Type: application/json' \\
    -d '{"actor":{"account":{"homePage":"https://ent.example.fr","name":"eleve-1"}},"verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},"object":{"id":"https://ent.example.fr/cahier-de-textes"}}' \\
    ${base}/xapi/statements

`);

const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
  stdio: 'inherit',
  env: { ...process.env, DATA_DIR: dataDir, PORT: port, LRS_BOOTSTRAP_CREDENTIAL: credential },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));

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
