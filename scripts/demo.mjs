// `npm run demo`: serve the built application on the embedded stores (chdb + PGlite under DATA_DIR), with an LRS
// credential created on first run and printed, so a newcomer can post a statement straight away.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const [key, secret] = [credential.slice(0, credential.indexOf(':')), credential.slice(credential.indexOf(':') + 1)];

const base = `http://localhost:${port}`;
process.stdout.write(`
ENT Observatory — demo on embedded stores (data in ${dataDir})
  Observatoire : ${base}/
  Formation    : ${base}/formation/
  LRS          : ${base}/xapi   key: ${key}   secret: ${secret}

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
