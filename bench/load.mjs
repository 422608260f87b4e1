// The bulk loader (`cli load`) against the plainest form of the same work, in one run: N simulated statements are
// written to an NDJSON file, loaded by the built CLI into fresh embedded stores (validation, enrichment, duplicate
// checks, inserts with every materialized view), then the same rows, made beforehand, are inserted (1) into a plain
// MergeTree copy of `statements` (same columns, order, indexes and fsync, no view) and (2) into `statements` with its
// nine views, in blocks of the loader's size. The loader's worker threads are also measured against none on a part
// of the file. BENCH_LOAD_STATEMENTS sets N (default 1,000,000).
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Simulation } from '@ent-observatory/simulator';
import { benchStores } from './stores.mjs';
import { machine, writeResults } from './support.mjs';

const N = Number(process.env.BENCH_LOAD_STATEMENTS ?? 1_000_000);
const WORKER_SAMPLE = Math.min(N, Number(process.env.BENCH_LOAD_WORKER_SAMPLE ?? 200_000));
const BLOCK = 100_000;
const root = process.env.BENCH_LOAD_RESUME ?? mkdtempSync(join(tmpdir(), 'bench-load-'));
const base = join(root, 'base');
const file = join(root, 'statements.ndjson');
const sample = join(root, 'sample.ndjson');
const load = [loadavg()[0]];

/** A data directory with the bundled directory imported, and N statements simulated on it into `file`. */
async function prepare() {
  const { warehouse, store, world } = await benchStores(base);
  await store.close();
  await warehouse.client.close();
  const out = createWriteStream(file);
  const part = createWriteStream(sample);
  let n = 0;
  const simulation = new Simulation(world, { from: '2025-09-01', to: '2026-06-30', seed: 42, scale: 0.17 });
  for (const _day of simulation.days((line) => {
    if (n >= N) return;
    out.write(`${line}\n`);
    if (n < WORKER_SAMPLE) part.write(`${line}\n`);
    n++;
  })) {
    if (n >= N) break;
    // A day's lines at a time: without waiting for the file, ten million lines piled up in memory (and overflowed
    // the single Buffer the stream concatenates them into).
    for (const stream of [out, part]) {
      if (stream.writableNeedDrain) await new Promise((r) => stream.once('drain', r));
    }
  }
  await Promise.all([new Promise((r) => out.end(r)), new Promise((r) => part.end(r))]);
  return n;
}

/** Runs a command, returns its wall seconds, CPU seconds (children included) and output. */
function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', CLICKHOUSE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${out}`));
      else resolve({ seconds, out });
    });
  });
}

/** CPU seconds of the children this process waited for (/proc/self/stat cutime + cstime, in 1/100 s). */
function childrenCpu() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

async function loaderRun(label, dataDir, input, workers) {
  cpSync(base, dataDir, { recursive: true });
  const cpu = childrenCpu();
  const r = await run(
    ['apps/api/dist/cli/main.js', 'load', input, '--block', String(BLOCK), '--workers', String(workers)],
    {
      DATA_DIR: dataDir,
      PSEUDONYMIZATION_KEY: 'bench-load-pseudonymisation-key-0123456789',
    },
  );
  const loaded = Number(/^(\d+) statements loaded/m.exec(r.out)?.[1]);
  // The loader's own time: from its first line read to its last insert (no start-up, migration or snapshot).
  const loadSeconds = Number(/ in ([\d.]+) s \(/.exec(r.out)?.[1]);
  load.push(loadavg()[0]);
  rmSync(dataDir, { recursive: true, force: true });
  const result = {
    label,
    workers,
    statements: loaded,
    seconds: r.seconds,
    cpuSeconds: childrenCpu() - cpu,
    rowsPerSecond: Math.round(loaded / r.seconds),
    loadSeconds,
    loadRowsPerSecond: Math.round(loaded / loadSeconds),
    summary: r.out.trim(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result;
}

// BENCH_LOAD_RESUME=<directory of an interrupted run>: its file and loader results are kept, the references run.
const partial = join(root, 'partial.json');
let statements, workerRuns, loader;
if (existsSync(partial)) {
  ({ statements, workerRuns, loader } = JSON.parse(readFileSync(partial, 'utf8')));
} else {
  statements = await prepare();
  process.stderr.write(`${statements} statements simulated into ${file}\n`);
  workerRuns = [
    await loaderRun(`loader, no worker thread (${WORKER_SAMPLE} statements)`, join(root, 'w0'), sample, 0),
    await loaderRun(`loader, 1 worker thread (${WORKER_SAMPLE} statements)`, join(root, 'w1'), sample, 1),
  ];
  loader = await loaderRun('cli load (validation, enrichment, duplicate checks, 9 views)', join(root, 'load'), file, 1);
  writeFileSync(partial, JSON.stringify({ statements, workerRuns, loader }));
}
const refCpu = childrenCpu();
const reference = await run(['bench/load-reference.mjs', join(root, 'reference'), base, file, String(BLOCK)]);
const refs = reference.out
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
load.push(loadavg()[0]);
const refCpuTotal = childrenCpu() - refCpu;
rmSync(root, { recursive: true, force: true });

const plain = refs.find((r) => r.table === 'statements_plain');
const views = refs.find((r) => r.table === 'statements');
const result = {
  date: new Date().toISOString(),
  machine: machine(),
  loadAverage: load,
  statements,
  block: BLOCK,
  loader,
  workerRuns,
  reference: refs,
  referenceProcessCpuSeconds: refCpuTotal,
};
const m = result.machine;
const pct = (x) => `${((100 * x.rowsPerSecond) / plain.rowsPerSecond).toFixed(0)} %`;
const tenMillion = (r) => `${(10_000_000 / r.rowsPerSecond / 60).toFixed(1)} min`;
writeResults(
  'load',
  result,
  `# Bulk load benchmark (${result.date.slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; embedded chdb. Load average (1 min) at the
start and after each run: ${load.map((l) => l.toFixed(1)).join(' → ')} (the machine is shared).
\`npm run bench -- load\`: ${statements.toLocaleString('en')} simulated statements (bundled directory, from 2025-09-01,
scale 0.17, seed 42, all with ids), inserts of ${BLOCK.toLocaleString('en')} rows.

| what | statements | wall s | rows/s | vs plain | 10 M at this rate | CPU s |
|---|---:|---:|---:|---:|---:|---:|
| plain MergeTree insert (no view), rows made beforehand | ${plain.rows} | ${plain.seconds.toFixed(1)} | ${plain.rowsPerSecond} | 100 % | ${tenMillion(plain)} | ${plain.cpuSeconds.toFixed(1)} |
| INSERT into \`statements\` (9 views), rows made beforehand | ${views.rows} | ${views.seconds.toFixed(1)} | ${views.rowsPerSecond} | ${pct(views)} | ${tenMillion(views)} | ${views.cpuSeconds.toFixed(1)} |
| **\`cli load\`** (read, validate, enrich, check ids, insert with 9 views), whole command | ${loader.statements} | ${loader.seconds.toFixed(1)} | ${loader.rowsPerSecond} | ${pct(loader)} | ${tenMillion(loader)} | ${loader.cpuSeconds.toFixed(1)} |
| the same, its own load time (first line read → last insert) | ${loader.statements} | ${loader.loadSeconds.toFixed(1)} | ${loader.loadRowsPerSecond} | ${pct({ rowsPerSecond: loader.loadRowsPerSecond })} | ${tenMillion({ rowsPerSecond: loader.loadRowsPerSecond })} | |
${workerRuns.map((w) => `| ${w.label}, own load time | ${w.statements} | ${w.loadSeconds.toFixed(1)} | ${w.loadRowsPerSecond} | | | ${w.cpuSeconds.toFixed(1)} |`).join('\n')}

CPU s: of the loader process (all its threads, chdb's included), or of the reference process during that insert.
The loader's wall time includes starting the CLI, opening and migrating the stores and loading the directory snapshot.
`,
);
