// Ingest through the full HTTP path (auth, validation, group commit, ClickHouse) on embedded chdb, against the
// reference of direct inserts measured in the same run. The load tool (autocannon) runs in this process, the API
// in its own.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LRS_CREDENTIAL, postLoad } from './post-load.mjs';
import { machine, median, rssMiB, startApi, stop, writeResults } from './support.mjs';

const withRss = process.argv.includes('--rss');
const DURATION = Number(process.env.BENCH_SECONDS ?? 20);
/** Concurrent clients posting 100-statement batches: more clients make larger group-commit writes. */
const BATCH_CONNECTIONS = Number(process.env.BENCH_BATCH_CONNECTIONS ?? 32);
// Its own directory: ent-observatory-bench/ is shared with benchmarks that keep data between runs (indicators,
// rollups), and removing it whole deleted another run's store under way.
const root = join(tmpdir(), 'ent-observatory-bench', `ingest-${process.pid}`);

/** One run of the reference inserts (bench/ingest-reference.mjs) in a fresh store: rows/s per table and block. */
function reference(n) {
  const run = spawnSync(process.execPath, ['bench/ingest-reference.mjs', join(root, `reference-${n}`)], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`reference failed: ${run.stderr}`);
  return run.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** Statements stored, as the dashboard's admin sees them (GraphQL behind sign-in, cookie and CSRF token). */
async function storedTotal(url) {
  const signIn = await fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  const { csrfToken } = await signIn.json();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: (signIn.headers.get('set-cookie') ?? '').split(';')[0],
      'x-csrf-token': csrfToken,
    },
    body: JSON.stringify({ query: '{ statementActivity(days: 1) { total } }' }),
  });
  return (await res.json()).data.statementActivity.total;
}

function summary(r, perRequest) {
  const ok = r.requests.total - r.non2xx - r.errors;
  return {
    connections: r.connections,
    statementsPerRequest: perRequest,
    seconds: r.duration,
    requestsOk: ok,
    non2xx: r.non2xx,
    errors: r.errors,
    statementsPerSecond: Math.round((ok * perRequest) / r.duration),
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
  };
}

rmSync(root, { recursive: true, force: true });
// The reference inserts run once before each round of batches and once at the end: one run of 100,000 rows moved by
// a third from one run to the next on the same machine (32 k to 54 k rows/s), so each figure is the best of the runs,
// the baseline least favourable to the LRS.
const refs = [];
const refRuns = (views, batch) =>
  refs.filter((r) => r.views === views && r.batch === batch).map((r) => r.rowsPerSecond);
const ref = (views, batch) => Math.max(...refRuns(views, batch));

const ADMIN_EMAIL = 'bench@observatoire.test';
const ADMIN_PASSWORD = 'bench-admin-password';
const apiEnv = (threads, n) => ({
  PORT: String(3499 - n),
  DATA_DIR: join(root, `api-${n}`),
  LRS_BOOTSTRAP_CREDENTIAL: LRS_CREDENTIAL,
  ADMIN_BOOTSTRAP: `${ADMIN_EMAIL}:${ADMIN_PASSWORD}`,
  ...(threads === undefined ? {} : { XAPI_PREPARE_THREADS: String(threads) }),
});
const batchLoad = async (url) => {
  await postLoad(url, { connections: 4, perRequest: 100, duration: 3 }); // warm-up: JIT, credential cache, parts
  return summary(await postLoad(url, { connections: BATCH_CONNECTIONS, perRequest: 100, duration: DURATION }), 100);
};

// Batches with the statements prepared in the requests (XAPI_PREPARE_THREADS=0) against the default (threads),
// each in a fresh API of its own, in alternating order: what the preparation threads change, in this run.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const inRequests = [];
const onThreads = [];
for (let round = 0; round < ROUNDS; round++) {
  refs.push(...reference(round));
  for (const threads of round % 2 === 0 ? [0, undefined] : [undefined, 0]) {
    const n = round * 2 + (threads === 0 ? 1 : 2);
    const other = await startApi(apiEnv(threads, n));
    (threads === 0 ? inRequests : onThreads).push(await batchLoad(other.url));
    await stop(other.child);
  }
}
const batchesInRequests = median(inRequests, (r) => r.statementsPerSecond);
refs.push(...reference(ROUNDS));
// The baseline is the plain MergeTree insert (no view), at its best block size.
const refBest = Math.max(ref(false, 1_000), ref(false, 10_000));
const refViewsBest = Math.max(ref(true, 1_000), ref(true, 10_000));

const api = await startApi(apiEnv(undefined, 0));
const batches = await batchLoad(api.url);
onThreads.push(batches);
const singles = summary(await postLoad(api.url, { connections: 64, perRequest: 1, duration: DURATION }), 1);

let rss = null;
if (withRss) {
  const target = 5_000_000;
  const samples = [];
  const sampler = setInterval(() => samples.push(rssMiB(api.child.pid)), 2000);
  // Let the journal move the previous load's last statements first, so the difference counts only this run.
  await new Promise((r) => setTimeout(r, 2500));
  const before = await storedTotal(api.url);
  const run = summary(
    await postLoad(api.url, { connections: BATCH_CONNECTIONS, perRequest: 100, amount: target / 100 }),
    100,
  );
  clearInterval(sampler);
  const after = await storedTotal(api.url);
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  rss = {
    statements: target,
    stored: after - before,
    run,
    rssMiB: {
      firstTenthAvg: Math.round(samples.slice(0, tenth).reduce((a, b) => a + b, 0) / tenth),
      lastTenthAvg: Math.round(samples.slice(-tenth).reduce((a, b) => a + b, 0) / tenth),
      max: Math.max(...samples),
      samples: samples.length,
    },
  };
}
const total = await storedTotal(api.url);
await stop(api.child);
rmSync(root, { recursive: true, force: true });

const batchesOnThreads = median(onThreads, (r) => r.statementsPerSecond);
const ratio = batchesOnThreads.statementsPerSecond / refBest;
const ratioViews = batchesOnThreads.statementsPerSecond / refViewsBest;
const ratioInRequests = batchesInRequests.statementsPerSecond / refBest;
const result = {
  date: new Date().toISOString(),
  machine: machine(),
  reference: refs,
  batches: batchesOnThreads,
  batchRuns: { onThreads, inRequests },
  batchesInRequests,
  singles,
  ratioToReference: ratio,
  ratioInRequestsToReference: ratioInRequests,
  ratioToInsertWithViews: ratioViews,
  totalStored: total,
  rss,
};
const m = result.machine;
writeResults(
  'ingest',
  result,
  `# Ingest benchmark (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}. Embedded chdb, API and load tool
(autocannon) in separate processes on the same machine; ${DURATION} s per load. Batches are measured in fresh API
processes with and without the statement preparation threads, alternating (${ROUNDS} rounds, then the API that
also takes the single statements). The reference inserts (100,000 rows each, fresh stores) run before each round
and at the end; each reference row gives the best of those ${ROUNDS + 1} runs.

| what | statements/s | notes |
|---|---:|---|
| reference: plain MergeTree insert (no view), batches of 1,000 | ${ref(false, 1_000)} | the journal's insert (insertLinesOnce) → chdb, no HTTP, no validation; best of ${refRuns(false, 1_000).join(', ')} |
| reference: plain MergeTree insert (no view), batches of 10,000 | ${ref(false, 10_000)} | **the baseline**; best of ${refRuns(false, 10_000).join(', ')} |
| reference: INSERT into \`statements\` (9 views), batches of 1,000 | ${ref(true, 1_000)} | what the first run (2026-11-30) called "direct insert"; best of ${refRuns(true, 1_000).join(', ')} |
| reference: INSERT into \`statements\` (9 views), batches of 10,000 | ${ref(true, 10_000)} | best of ${refRuns(true, 10_000).join(', ')} |
| HTTP POST, 100 statements per request, ${batchesOnThreads.connections} connections, prepared on threads (default) | ${batchesOnThreads.statementsPerSecond} | **${(ratio * 100).toFixed(0)} % of the plain insert** (target ≥ 40 %; ${(ratioViews * 100).toFixed(0)} % of the insert with views); median of ${onThreads.length} runs (${onThreads.map((r) => r.statementsPerSecond).join(', ')}); p50 ${batchesOnThreads.latencyMs.p50} ms, p99 ${batchesOnThreads.latencyMs.p99} ms; non-2xx ${batchesOnThreads.non2xx}, errors ${batchesOnThreads.errors} |
| HTTP POST, 100 statements per request, ${batchesInRequests.connections} connections, prepared in the requests (\`XAPI_PREPARE_THREADS=0\`) | ${batchesInRequests.statementsPerSecond} | ${(ratioInRequests * 100).toFixed(0)} % of the plain insert; median of ${inRequests.length} runs (${inRequests.map((r) => r.statementsPerSecond).join(', ')}); p50 ${batchesInRequests.latencyMs.p50} ms, p99 ${batchesInRequests.latencyMs.p99} ms; non-2xx ${batchesInRequests.non2xx}, errors ${batchesInRequests.errors} |
| HTTP POST, 1 statement per request, ${singles.connections} connections | ${singles.statementsPerSecond} | target ≥ 5,000; p50 ${singles.latencyMs.p50} ms, p99 ${singles.latencyMs.p99} ms; non-2xx ${singles.non2xx}, errors ${singles.errors} |
${
  rss
    ? `| 5 M statements in 100-statement POSTs | ${rss.run.statementsPerSecond} | stored ${rss.stored}; server RSS first tenth ${rss.rssMiB.firstTenthAvg} MiB, last tenth ${rss.rssMiB.lastTenthAvg} MiB, max ${rss.rssMiB.max} MiB (${rss.rssMiB.samples} samples) |\n`
    : ''
}
Statements acknowledged (2xx) and counted in ClickHouse at the end: ${total}.
`,
);
