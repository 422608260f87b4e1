// `npm run bench -- ingest-ab [--before <checkout>] [--per-request 1] [--connections 64] [--seconds 15] [--rounds 3]`:
// POSTs to the LRS over HTTP, as bench/ingest.mjs does, from `connections` clients for `seconds`, with this checkout's
// API and, with `--before`, the API of another checkout of this repository (built: `npm run build:server` there),
// each in a fresh process on a fresh embedded store, alternating (theirs first) for `rounds` rounds: a before/after
// of a change to the write path, side by side on one machine. Besides the rate, the CPU each side's API used, in
// cores, read from /proc for its main thread and for the rest (chdb's threads, the preparation thread), and the
// load tool's (this process).
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LRS_CREDENTIAL, postLoad } from './post-load.mjs';
import { flag, machine, numberFlag, roundMedians, startApi, stop, writeResults } from './support.mjs';

const BEFORE = flag('before', null);
const PER_REQUEST = numberFlag('per-request', 1);
const CONNECTIONS = numberFlag('connections', 64);
const SECONDS = numberFlag('seconds', 15);
const ROUNDS = numberFlag('rounds', 3);

/** CPU seconds (user + system) of each thread of `pid`, by thread id, and which one is the main thread. */
function threadTimes(pid) {
  const ticks = (stat) => {
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  return Object.fromEntries(
    readdirSync(`/proc/${pid}/task`).map((tid) => [tid, ticks(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))]),
  );
}

/** One fresh API of `root` under the load: statements/s, and the cores used by its main thread, the rest, the tool. */
async function measure(root, n) {
  const dir = join(tmpdir(), 'ent-observatory-bench', `ingest-ab-${process.pid}-${n}`);
  rmSync(dir, { recursive: true, force: true });
  const { child, url } = await startApi(
    { PORT: String(3480 - (n % 20)), DATA_DIR: dir, LRS_BOOTSTRAP_CREDENTIAL: LRS_CREDENTIAL },
    root,
  );
  try {
    await postLoad(url, { connections: Math.min(8, CONNECTIONS), perRequest: PER_REQUEST, duration: 3 }); // warm-up
    const before = threadTimes(child.pid);
    const tool = process.cpuUsage();
    const started = performance.now();
    const r = await postLoad(url, { connections: CONNECTIONS, perRequest: PER_REQUEST, duration: SECONDS });
    const seconds = (performance.now() - started) / 1000;
    const after = threadTimes(child.pid);
    const used = process.cpuUsage(tool);
    const main = (after[String(child.pid)] - before[String(child.pid)]) / seconds;
    const all = Object.keys(after).reduce((sum, tid) => sum + after[tid] - (before[tid] ?? 0), 0) / seconds;
    const ok = r.requests.total - r.non2xx - r.errors;
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors} errors`);
    return {
      statementsPerSecond: Math.round((ok * PER_REQUEST) / r.duration),
      p99Ms: r.latency.p99,
      mainThreadCores: Number(main.toFixed(2)),
      otherThreadsCores: Number((all - main).toFixed(2)),
      loadToolCores: Number(((used.user + used.system) / 1e6 / seconds).toFixed(2)),
    };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const sides = BEFORE ? [{ name: 'before', root: resolve(BEFORE) }] : [];
sides.push({ name: 'this', root: process.cwd() });
const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  const results = {};
  for (const [i, side] of sides.entries()) {
    results[side.name] = await measure(side.root, round * sides.length + i);
    process.stderr.write(`round ${round + 1} ${side.name}: ${JSON.stringify(results[side.name])}\n`);
  }
  rounds.push(results);
}
const summary = roundMedians(
  rounds,
  sides.map((side) => side.name),
);
const m = machine();
const result = {
  machine: m,
  date: new Date().toISOString(),
  perRequest: PER_REQUEST,
  connections: CONNECTIONS,
  seconds: SECONDS,
  before: BEFORE,
  rounds,
  summary,
};
const label = (name) => (name === 'this' ? 'this checkout' : `before (${BEFORE})`);
const row = (name, s) =>
  `| ${label(name)} | ${s.statementsPerSecond} | ${s.p99Ms} | ${s.mainThreadCores} | ${s.otherThreadsCores} | ${s.loadToolCores} |`;
const markdown = `# LRS writes over HTTP, before and after (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node.slice(1)}, chdb (embedded).
Run: \`npm run bench -- ingest-ab --per-request ${PER_REQUEST} --connections ${CONNECTIONS} --seconds ${SECONDS} --rounds ${ROUNDS}${BEFORE ? ` --before ${BEFORE}` : ''}\`
(bench/ingest-ab.mjs says how). ${CONNECTIONS} clients POST ${PER_REQUEST === 1 ? 'single statements' : `${PER_REQUEST} statements per request`}
for ${SECONDS} s to a fresh API on a fresh embedded store; medians of ${ROUNDS} alternating rounds. Cores: CPU
seconds per second of the API's main thread, of its other threads (chdb, statement preparation), and of the load
tool.

| code | statements/s | p99 ms | main thread | other threads | load tool |
|---|---:|---:|---:|---:|---:|
${sides.map((side) => row(side.name, summary[side.name])).join('\n')}

Rounds: ${rounds.map((r, i) => `${i + 1}: ${sides.map((side) => `${side.name} ${r[side.name].statementsPerSecond}/s`).join(', ')}`).join('; ')}.
`;
writeResults('ingest-ab', result, markdown);
