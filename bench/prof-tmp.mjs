import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { rmSync } from 'node:fs';
import { statement } from '/work/main/bench/support.mjs';
rmSync('/tmp/prof-data', { recursive: true, force: true });
const per = Number(process.argv[2] ?? 100);
const conns = Number(process.argv[3] ?? 16);
const child = spawn(process.execPath, ['apps/api/dist/main.js'], {
  env: {
    ...process.env,
    PORT: '3498',
    DATA_DIR: '/tmp/prof-data',
    LOG_LEVEL: 'warn',
    LRS_BOOTSTRAP_CREDENTIAL: 'b:b-secret',
  },
  stdio: 'inherit',
});
for (let i = 0; i < 300; i++) {
  try {
    if ((await fetch('http://127.0.0.1:3498/health')).ok) break;
  } catch {}
  await new Promise((r) => setTimeout(r, 100));
}
const headers = {
  authorization: 'Basic ' + Buffer.from('b:b-secret').toString('base64'),
  'x-experience-api-version': '1.0.3',
  'content-type': 'application/json',
};
const pool = Array.from({ length: 32 }, (_, b) =>
  JSON.stringify(per === 1 ? statement(b) : Array.from({ length: per }, (_, i) => statement(b * per + i))),
);
let n = 0;
const r = await autocannon({
  url: 'http://127.0.0.1:3498/xapi/statements',
  connections: conns,
  duration: 10,
  requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, body: pool[n++ % pool.length] }) }],
});
console.log('req/s', r.requests.average, 'stmts/s', r.requests.average * per, 'p50', r.latency.p50, 'non2xx', r.non2xx);
const m = await (await fetch('http://127.0.0.1:3498/metrics')).text();
console.log(
  m
    .split('\n')
    .filter((l) => /^clickhouse_insert_(batch_rows|duration_seconds)_(sum|count)/.test(l))
    .join('\n'),
);
child.kill('SIGINT');
await new Promise((r) => child.once('exit', r));
