// Statement queries over HTTP on a large store: GET by id, filtered queries (agent, activity, verb; limit 100)
// and following a `more` page, p50/p95 over sequential requests. The rows are loaded once by direct batched
// INSERT … SELECT inside chdb (realistic shapes: ~50k agents, 12 verbs, ~20k activities, registrations, half a
// year of stored times, some voiding statements), then the built API serves them.
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWarehouse, migrate, queryRows, command } from '@ent-observatory/warehouse';
import { machine, startApi, stop, writeResults } from './support.mjs';

const TOTAL = Number(process.env.BENCH_QUERY_STATEMENTS ?? 10_000_000);
const BATCH = 1_000_000;
const REQUESTS = Number(process.env.BENCH_QUERY_REQUESTS ?? 200);
const dataDir = process.env.BENCH_QUERY_DIR ?? join(tmpdir(), 'ent-observatory-bench', 'query');
const KEY = 'bench';
const SECRET = 'bench-secret';
const VERBS = [
  'experienced',
  'attempted',
  'completed',
  'passed',
  'failed',
  'answered',
  'launched',
  'initialized',
  'terminated',
  'progressed',
  'interacted',
  'commented',
].map((v) => `http://adlnet.gov/expapi/verbs/${v}`);
const SERVICES = ['cahier-de-textes', 'messagerie', 'notes', 'vie-scolaire', 'ressources'];
const AUTHORITY = `{"objectType":"Agent","account":{"homePage":"https://ent-observatory.invalid/lrs","name":"${KEY}"}}`;

// Row n: every value derived from n, so the bench can name existing agents, activities and ids without reading.
const ID = (n) => `reinterpretAsUUID(sipHash128('statement', ${n}))`;
const ROW = `
  ${ID('n')} AS id,
  toDateTime64('2026-05-01 00:00:00', 3, 'UTC') + toIntervalMillisecond(intDiv(n * 1555, 1)) AS stored,
  stored - toIntervalSecond(n % 600) AS timestamp,
  concat('u', toString((n * 7919) % 50000)) AS user,
  concat('account:https://ent.example.fr|', user) AS actor_ifi,
  'Agent' AS actor_type,
  n % 20000 = 19999 AS voiding,
  if(voiding, 'http://adlnet.gov/expapi/verbs/voided', {verbs:Array(String)}[1 + (n * 31) % 12]) AS verb_id,
  if(voiding, toString(${ID('n - 1')}),
     concat('https://ent.example.fr/', {services:Array(String)}[1 + n % 5], '/', toString((n * 104729) % 20000)))
    AS object_id,
  if(voiding, 'StatementRef', 'Activity') AS object_type,
  reinterpretAsUUID(sipHash128('registration', (n * 13) % 200000)) AS registration,
  'ENT Exemple' AS platform,
  if(n % 3 = 0, NULL, toUInt8(n % 2)) AS result_success,
  NULL AS result_completion, NULL AS result_score_scaled, NULL AS result_score_raw,
  toInt64(1000 * (n % 300)) AS result_duration_ms,
  if(voiding, ${ID('n - 1')}, NULL) AS voiding_target,
  '1.0.0' AS version,
  concat('{"id":"', toString(id), '","actor":{"objectType":"Agent","account":{"homePage":"https://ent.example.fr","name":"',
    user, '"}},"verb":{"id":"', verb_id, '","display":{"fr-FR":"verbe","en-US":"verb"}},"object":',
    if(voiding, concat('{"objectType":"StatementRef","id":"', object_id, '"}'),
      concat('{"objectType":"Activity","id":"', object_id,
        '","definition":{"type":"http://activitystrea.ms/schema/1.0/page","name":{"fr-FR":"Page"}}}')),
    ',"context":{"registration":"', toString(registration), '","platform":"ENT Exemple","language":"fr-FR",',
    '"extensions":{"https://ent-observatory.fr/xapi/uai":"0350001A","https://ent-observatory.fr/xapi/profile":"ELEVE"}},',
    '"result":{"duration":"PT', toString(n % 300), 'S"},"timestamp":"',
    formatDateTime(timestamp, '%Y-%m-%dT%H:%i:%S.%fZ'), '","stored":"', formatDateTime(stored, '%Y-%m-%dT%H:%i:%S.%fZ'),
    '","authority":${AUTHORITY.replaceAll('"', '\\"')},"version":"1.0.0"}') AS raw,
  arrayFilter(k -> k != '', ['a:' || actor_ifi, 'v:' || verb_id, if(voiding, '', 'o:' || object_id),
    'r:' || toString(registration), 'w:account:https://ent-observatory.invalid/lrs|${KEY}']) AS query_keys`;

const COLUMNS = `id, stored, timestamp, actor_ifi, actor_type, verb_id, object_id, object_type, registration, platform,
  result_success, result_completion, result_score_scaled, result_score_raw, result_duration_ms, voiding_target,
  version, raw, query_keys`;

async function load() {
  const marker = join(dataDir, `loaded-${TOTAL}`);
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8'));
  const w = createWarehouse({ dataDir });
  await migrate(w);
  for (const t of ['statements', 'statement_keys', 'statements_by_id', 'statement_refs']) {
    await command(w.client, `TRUNCATE TABLE ${t}`);
  }
  const started = performance.now();
  for (let from = 0; from < TOTAL; from += BATCH) {
    const t0 = performance.now();
    await command(
      w.client,
      `INSERT INTO statements (${COLUMNS}) SELECT ${COLUMNS} FROM (SELECT number AS n, ${ROW}
       FROM numbers({from:UInt64}, {count:UInt64}))`,
      { from, count: Math.min(BATCH, TOTAL - from), verbs: VERBS, services: SERVICES },
    );
    process.stderr.write(`loaded ${from + BATCH} in ${Math.round(performance.now() - t0)} ms\n`);
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const [sizes] = await queryRows(
    w.client,
    `SELECT sumIf(rows, table = 'statements') AS statements, sumIf(rows, table = 'statement_keys') AS keys,
       sumIf(bytes_on_disk, table = 'statements') AS statementsBytes, sumIf(bytes_on_disk, table = 'statement_keys') AS keysBytes,
       sumIf(bytes_on_disk, table = 'statements_by_id') AS byIdBytes, sumIf(rows, table = 'statement_refs') AS refs
     FROM system.parts WHERE active AND database = currentDatabase()`,
  );
  await w.client.close();
  const info = { loadSeconds, sizes };
  writeFileSync(marker, JSON.stringify(info));
  return info;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(name, urls, headers, check) {
  const times = [];
  for (const url of urls) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.text();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.slice(0, 200)}`);
    check?.(JSON.parse(body));
  }
  times.sort((a, b) => a - b);
  const r = {
    name,
    requests: times.length,
    p50: +percentile(times, 50).toFixed(1),
    p95: +percentile(times, 95).toFixed(1),
  };
  process.stderr.write(`${JSON.stringify(r)}\n`);
  return r;
}

const info = await load();
const { child, url } = await startApi({
  DATA_DIR: dataDir,
  PORT: String(3900 + Math.floor(Math.random() * 90)),
  LRS_BOOTSTRAP_CREDENTIAL: `${KEY}:${SECRET}`,
});
const headers = {
  authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}`,
  'x-experience-api-version': '1.0.3',
};
const pick = (i) => Math.floor((((i * 2654435761) % 2 ** 32) / 2 ** 32) * TOTAL);
const range = Array.from({ length: REQUESTS }, (_, i) => i);
const q = (params) => `${url}/xapi/statements?${new URLSearchParams(params)}`;
const user = (i) => `u${(pick(i) * 7919) % 50000}`;
const agent = (i) => JSON.stringify({ account: { homePage: 'https://ent.example.fr', name: user(i) } });
const activity = (i) => {
  const n = pick(i);
  return `https://ent.example.fr/${SERVICES[n % 5]}/${(n * 104729) % 20000}`;
};
const nonEmpty = (r) => {
  if (r.statements.length === 0) throw new Error('empty page');
};
// Ids to read: one per page of statements at spread `until` times.
const idUrls = [];
for (const i of range) {
  const until = new Date(Date.parse('2026-05-01T00:00:00Z') + pick(i + 7) * 1555).toISOString();
  const res = await fetch(q({ until, limit: '1' }), { headers });
  const { statements } = await res.json();
  if (statements[0]) idUrls.push(q({ statementId: statements[0].id }));
}
const results = [];
const loadBefore = loadavg();
try {
  results.push(await measure('GET by statementId', idUrls, headers));
  results.push(
    await measure(
      'agent filter, limit 100',
      range.map((i) => q({ agent: agent(i), limit: '100' })),
      headers,
      nonEmpty,
    ),
  );
  results.push(
    await measure(
      'activity filter, limit 100',
      range.map((i) => q({ activity: activity(i), limit: '100' })),
      headers,
      nonEmpty,
    ),
  );
  results.push(
    await measure(
      'verb filter, limit 100',
      range.map((i) => q({ verb: VERBS[i % 12], limit: '100' })),
      headers,
      nonEmpty,
    ),
  );
  const moreUrls = [];
  for (const i of range) {
    const params = i % 2 === 0 ? { verb: VERBS[i % 12], limit: '100' } : { activity: activity(i), limit: '20' };
    const { more } = await (await fetch(q(params), { headers })).json();
    if (more) moreUrls.push(`${url}${more}`);
  }
  results.push(await measure('following more (verb limit 100 / activity limit 20)', moreUrls, headers, nonEmpty));
} finally {
  await stop(child);
}

const load1 = [loadBefore[0], loadavg()[0]].map((l) => +l.toFixed(1));
const result = {
  date: new Date().toISOString(),
  machine: machine(),
  loadAverage1m: load1,
  statements: TOTAL,
  ...info,
  results,
};
const HOW = `
## Why each request is fast (schema: libs/warehouse/migrations/010_statement_queries.sql)

- **GET by statementId**: \`statements_by_id\` is ordered by id with 64-row granules in 16–64 kB LZ4 blocks: the
  primary key finds one granule per part and ~40 kB is decompressed, instead of an 8,192-row (~4 MB) granule of
  \`statements\` found through a bloom filter. Voided state: \`statement_refs\` ordered by target (tiny).
- **agent / activity / verb filters**: \`statement_keys\` (key, stored, id), one row per way a statement matches a
  filter, fed by a materialized view. A filter is one primary-key range already in stored order (\`key = …\`), read
  backwards and stopped at limit+1; the raw of those ids comes from \`statements_by_id\` in the same query.
- **more**: the cursor carries the last (stored, id); \`stored <= last\` prunes partitions and key ranges, the tuple
  comparison breaks ties, so page N costs what page 1 costs.
- **StatementRef rule / voided**: \`statement_refs\` holds only StatementRef statements; their targets' query keys are
  read by id from \`statements_by_id\` and matched in the API (recursively), never by scanning a filter's range.
`;
const rows = results.map((r) => `| ${r.name} | ${r.requests} | ${r.p50} | ${r.p95} |`).join('\n');
writeResults(
  'query',
  result,
  `# Statement queries over HTTP — ${result.date.slice(0, 10)}\n\nMachine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, node ${result.machine.node}; 1-minute load average ${load1.join(' → ')} (the machine is shared).\n\n` +
    `${TOTAL.toLocaleString('en')} statements loaded in ${Math.round(info.loadSeconds)} s (direct INSERT … SELECT in chdb).\n\n` +
    `| request | n | p50 ms | p95 ms |\n|---|---|---|---|\n${rows}\n${HOW}`,
);
