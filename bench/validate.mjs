// Validation throughput on one core: libs/xapi's validator over realistic statements, in this single thread.
import { validateStatement } from '@ent-observatory/xapi';
import { machine, statement, writeResults } from './support.mjs';

const N = 200_000;
const statements = Array.from({ length: 10_000 }, (_, i) => statement(i));
for (let i = 0; i < 20_000; i++) validateStatement(statements[i % statements.length], { version: '1.0.3' }); // warm-up

const started = process.hrtime.bigint();
let problems = 0;
for (let i = 0; i < N; i++)
  problems += validateStatement(statements[i % statements.length], { version: '1.0.3' }).length;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (problems !== 0) throw new Error(`benchmark statements should be valid, got ${problems} problems`);

const perSecond = Math.round(N / seconds);
const result = {
  date: new Date().toISOString(),
  machine: machine(),
  statements: N,
  seconds,
  perSecond,
  target: 30_000,
};
writeResults(
  'validate',
  result,
  `# xAPI validation throughput (${result.date.slice(0, 10)})

Machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}; one thread.

| statements | seconds | statements/s | target |
|---:|---:|---:|---:|
| ${N} | ${seconds.toFixed(2)} | ${perSecond} | ≥ 30,000 |
`,
);
