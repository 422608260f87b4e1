// `npm run bench -- <name...>`: runs the named benchmarks (all when none is named), each in its own process so
// that chdb's one-directory-per-process rule and memory readings stay clean.
import { spawnSync } from 'node:child_process';

const ALL = [
  'validate',
  'enrich',
  'ingest',
  'query',
  'directory',
  'documents',
  'simulate',
  'indicators',
  'search',
  'training',
  'follow-up',
  'rollups',
];
const names = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
for (const name of names.length > 0 ? names : ALL) {
  if (!ALL.includes(name)) {
    process.stderr.write(`unknown benchmark "${name}"; choose from: ${ALL.join(', ')}\n`);
    process.exit(2);
  }
  const run = spawnSync(process.execPath, ['--expose-gc', `bench/${name}.mjs`, ...flags], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
