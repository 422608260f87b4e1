// `npm run bench -- <name...>`: runs the named benchmarks (all when none is named), each in its own process so
// that chdb's one-directory-per-process rule and memory readings stay clean.
import { spawnSync } from 'node:child_process';

const ALL = [
  'validate',
  'enrich',
  'ingest',
  'ingest-ab',
  'ingest-catch-up',
  'ingest-marks',
  'load',
  'query',
  'directory',
  'documents',
  'simulate',
  'indicators',
  'search',
  'training',
  'follow-up',
  'rollups',
  'rollups-live',
  'rollups-floor',
];
// Names come first; everything from the first `--flag` on is passed to each benchmark as is (values included:
// `--statements 1000000`).
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('--'));
const names = firstFlag < 0 ? args : args.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : args.slice(firstFlag);
for (const name of names.length > 0 ? names : ALL) {
  if (!ALL.includes(name)) {
    process.stderr.write(`unknown benchmark "${name}"; choose from: ${ALL.join(', ')}\n`);
    process.exit(2);
  }
  const run = spawnSync(process.execPath, ['--expose-gc', `bench/${name}.mjs`, ...flags], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
