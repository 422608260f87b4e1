// Simulator speed: a school year of statements on the bundled directory (imported into fresh embedded stores),
// written to /dev/null (generation + serialisation) and to a file (plus the disk), against the same statements
// made with JSON.stringify of objects (what the string templates replace). Wall and CPU time are both reported: the
// machine is shared, and CPU seconds are what the code costs.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NdjsonFileSink, Simulation } from '@ent-observatory/simulator';
import { benchStores } from './stores.mjs';
import { machine, writeResults } from './support.mjs';

const FROM = '2025-09-01';
const TO = '2026-06-30';
// ≈10 million statements over the school year.
const SCALE = Number(process.env.BENCH_SIMULATE_SCALE ?? 0.17);

const dataDir = mkdtempSync(join(tmpdir(), 'bench-simulate-'));
const world = await loadWorld();
const load = [loadavg()[0]];

function measure(label, sinkFactory) {
  const sink = sinkFactory();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const simulation = new Simulation(world, { from: FROM, to: TO, seed: 42, scale: SCALE });
  simulation.run(sink.write);
  sink.close();
  const { user, system } = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (user + system) / 1e6;
  const statements = simulation.stats.statements;
  load.push(loadavg()[0]);
  process.stdout.write(
    `${label}: ${statements} statements in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU)\n`,
  );
  return {
    label,
    statements,
    bytes: sink.bytes(),
    seconds,
    cpuSeconds,
    perSecond: Math.round(statements / seconds),
    perCpuSecond: Math.round(statements / cpuSeconds),
  };
}

const file = join(dataDir, 'statements.ndjson');
const results = [
  measure('string templates → /dev/null', () => fileSink('/dev/null')),
  measure(`string templates → file (${tmpdir()})`, () => fileSink(file)),
  measure('JSON.parse + JSON.stringify per statement → /dev/null', () => stringifySink('/dev/null')),
];
rmSync(dataDir, { recursive: true, force: true });

function fileSink(path) {
  const sink = new NdjsonFileSink(path);
  return {
    write: sink.write,
    close: () => sink.close(),
    bytes: () => (path === '/dev/null' ? sink.bytes : statSync(path).size),
  };
}

/** The same output through objects: the cost string templates avoid (parse included, so an upper bound). */
function stringifySink(path) {
  const sink = new NdjsonFileSink(path);
  return {
    write: (line) => sink.write(`${JSON.stringify(JSON.parse(line))}\n`),
    close: () => sink.close(),
    bytes: () => sink.bytes,
  };
}

async function loadWorld() {
  const { warehouse, store, world: w } = await benchStores(dataDir);
  await store.close();
  await warehouse.client.close();
  return w;
}

const result = {
  date: new Date().toISOString(),
  machine: machine(),
  loadAverage: load,
  from: FROM,
  to: TO,
  scale: SCALE,
  results,
};
const row = (r) =>
  `| ${r.label} | ${r.statements.toLocaleString('en')} | ${(r.bytes / 1e9).toFixed(2)} GB | ${r.seconds.toFixed(1)} | ${r.perSecond.toLocaleString('en')} | ${r.cpuSeconds.toFixed(1)} | ${r.perCpuSecond.toLocaleString('en')} |`;
writeResults(
  'simulate',
  result,
  `# Simulator benchmark (${result.date.slice(0, 10)})

Machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}.
Load average (1 min) before and after each run: ${load.map((l) => l.toFixed(1)).join(' → ')} — the machine is shared, so
CPU seconds (user + system of this process) are the fairer measure of the code.

\`npm run bench -- simulate\`: the bundled directory (Ille-et-Vilaine + Val-de-Marne), ${FROM} → ${TO}, scale ${SCALE},
seed 42, one process, NdjsonFileSink (8 MiB buffer).

| run | statements | output | wall s | statements/s (wall) | CPU s | statements per CPU second |
|---|---:|---:|---:|---:|---:|---:|
${results.map(row).join('\n')}

Target: ≥ 200,000 statements/s to a file (a 10-million-statement set in under a minute).
`,
);
