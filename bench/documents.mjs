// The document resources (State PUT/GET, contended POST merges) on PGlite, and on PostgreSQL when DATABASE_URL is
// set; then the read-time Agents/Activities look-ups and one erasure among many statements (embedded chdb).
// The load tool (autocannon) runs in this process, the API in its own.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { machine, startApi, statement, stop, writeResults } from './support.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
/** Statements stored before timing the Agents/Activities look-ups and the erasure. */
const STATEMENTS = Number(process.env.BENCH_DOCUMENT_STATEMENTS ?? 200_000);
const root = join(tmpdir(), 'ent-observatory-bench-documents');
const KEY = 'bench';
const SECRET = 'bench-secret';
const headers = {
  authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`,
  'x-experience-api-version': '1.0.3',
  'content-type': 'application/json',
};
const ACTIVITY = 'https://ent.example.fr/cahier-de-textes/1';
const agent = (n) => JSON.stringify({ account: { homePage: 'https://ent.example.fr', name: `u${n}` } });
const statePath = (n) =>
  `/xapi/activities/state?${new URLSearchParams({ activityId: ACTIVITY, agent: agent(n), stateId: 'progress' })}`;

function summary(r) {
  return {
    connections: r.connections,
    seconds: r.duration,
    requestsPerSecond: Math.round((r.requests.total - r.non2xx - r.errors) / r.duration),
    non2xx: r.non2xx,
    errors: r.errors,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
  };
}

/** Rotates through `count` request URLs (one per agent) with the given method and body. */
function load(url, { method, count, body, connections = CONNECTIONS, duration = DURATION }) {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration,
    requests: [
      {
        method,
        headers,
        setupRequest: (req) => ({ ...req, path: statePath(next++ % count), body }),
      },
    ],
  }).then(summary);
}

async function documents(mode, env) {
  const api = await startApi({
    PORT: '3498',
    DATA_DIR: join(root, mode),
    LRS_BOOTSTRAP_CREDENTIAL: `${KEY}:${SECRET}`,
    ...env,
  });
  await load(api.url, { method: 'PUT', count: 1000, body: '{"page":1}', duration: 2 }); // warm-up
  const put = await load(api.url, {
    method: 'PUT',
    count: 1000,
    body: JSON.stringify({ page: 3, notes: 'x'.repeat(200) }),
  });
  const get = await load(api.url, { method: 'GET', count: 1000 });
  // Every request merges into the same document: the compare-and-set retries under maximum contention.
  const merge = await load(api.url, { method: 'POST', count: 1, body: '{"k":1}' });
  await stop(api.child);
  return { mode, put, get, merge };
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: Math.round((performance.now() - start) * 10) / 10, value };
}

async function lookups() {
  const api = await startApi({
    PORT: '3497',
    DATA_DIR: join(root, 'lookups'),
    LRS_BOOTSTRAP_CREDENTIAL: `${KEY}:${SECRET}`,
    DATABASE_URL: '',
  });
  for (let b = 0; b < STATEMENTS / 1000; b++) {
    const body = JSON.stringify(Array.from({ length: 1000 }, (_, i) => statement(b * 1000 + i)));
    const res = await fetch(`${api.url}/xapi/statements`, { method: 'POST', headers, body });
    if (!res.ok) throw new Error(`POST statements: ${res.status} ${await res.text()}`);
  }
  const get = (path) => fetch(`${api.url}${path}`, { headers }).then((r) => r.json());
  const samples = async (path) => {
    const ms = [];
    for (let i = 0; i < 20; i++) ms.push((await timed(() => get(path))).ms);
    ms.sort((a, b) => a - b);
    return { p50: ms[10], max: ms[19] };
  };
  const activity = await samples(`/xapi/activities?${new URLSearchParams({ activityId: ACTIVITY })}`);
  const person = await samples(`/xapi/agents?${new URLSearchParams({ agent: agent(7) })}`);
  const erasure = await timed(() =>
    fetch(`${api.url}/xapi/admin/erasure`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ agent: JSON.parse(agent(7)) }),
    }).then((r) => r.json()),
  );
  await stop(api.child);
  return {
    statements: STATEMENTS,
    activityMs: activity,
    agentMs: person,
    erasure: { ms: erasure.ms, report: erasure.value },
  };
}

rmSync(root, { recursive: true, force: true });
const modes = [await documents('pglite', { DATABASE_URL: '' })];
if (process.env.DATABASE_URL) modes.push(await documents('postgresql', {}));
const look = await lookups();
const result = { date: new Date().toISOString(), machine: machine(), documents: modes, lookups: look };
const m = result.machine;
const row = (what, s) =>
  `| ${what} | ${s.requestsPerSecond} | p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms; non-2xx ${s.non2xx}, errors ${s.errors} |`;
writeResults(
  'documents',
  result,
  `# Document resources, Agents/Activities and erasure (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}. API and load tool (autocannon) in separate
processes on the same machine; ${DURATION} s per load, ${CONNECTIONS} connections.

| what | requests/s | notes |
|---|---:|---|
${modes
  .map((d) =>
    [
      row(`${d.mode}: State PUT, 1,000 documents in rotation`, d.put),
      row(`${d.mode}: State GET, same documents`, d.get),
      row(`${d.mode}: State POST merging into one document (every request contends)`, d.merge),
    ].join('\n'),
  )
  .join('\n')}

Among ${look.statements} statements (embedded chdb, ~${Math.round(look.statements / 997)} per activity, 4 per agent):
GET /xapi/activities p50 ${look.activityMs.p50} ms (max ${look.activityMs.max}); GET /xapi/agents p50 ${look.agentMs.p50} ms
(max ${look.agentMs.max}); erasure of one agent ${look.erasure.ms} ms (${JSON.stringify(look.erasure.report)}).
`,
);
