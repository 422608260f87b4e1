// Shared helpers of the benchmarks: machine description, statements, child processes, results files.
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactRow, prepareStatement, statementToRow } from '@ent-observatory/xapi';

/** A command-line value: `--name value` or `--name=value`; `fallback` when absent. */
export function flag(name, fallback) {
  const inline = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (inline) return inline.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** flag() as a number; a value that is not one stops the benchmark with what to fix. */
export function numberFlag(name, fallback) {
  const value = flag(name, undefined);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} takes a number, got "${value}"`);
  return n;
}

/** The middle element of `xs` ordered by `by` (the lower of the two middles for an even count). */
export function median(xs, by = (x) => x) {
  return [...xs].sort((a, b) => by(a) - by(b))[Math.floor((xs.length - 1) / 2)];
}

/**
 * Alternating rounds of a before/after: for each side name, the median over `rounds` (each `{ [side]: figures }`)
 * of each of its figures.
 */
export function roundMedians(rounds, sides) {
  return Object.fromEntries(
    sides.map((side) => {
      const runs = rounds.map((r) => r[side]);
      return [side, Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((x) => x[key]))]))];
    }),
  );
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** A statement as an ENT platform would send it; `n` varies actor, service and time. */
export function statement(n) {
  const services = ['cahier-de-textes', 'messagerie', 'notes', 'vie-scolaire', 'ressources'];
  return {
    actor: { objectType: 'Agent', account: { homePage: 'https://ent.example.fr', name: `u${n % 50_000}` } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced', display: { 'fr-FR': 'a consulté' } },
    object: {
      objectType: 'Activity',
      id: `https://ent.example.fr/${services[n % services.length]}/${n % 997}`,
      definition: { type: 'http://activitystrea.ms/schema/1.0/page', name: { 'fr-FR': 'Page' } },
    },
    context: {
      platform: 'ENT Exemple',
      language: 'fr-FR',
      extensions: {
        'https://ent-observatory.fr/xapi/uai': '0350001A',
        'https://ent-observatory.fr/xapi/profile': 'ELEVE',
      },
    },
    result: { duration: 'PT42S' },
    timestamp: new Date(Date.UTC(2026, 0, 5, 7, 0, 0) + (n % 86_400) * 1000).toISOString(),
  };
}

/** `count` statements (statement(0…)) as the journal writes them: JSONCompactEachRow lines of their rows. */
export function statementLines(count) {
  const authority = {
    objectType: 'Agent',
    account: { homePage: 'https://ent-observatory.invalid/lrs', name: 'bench' },
  };
  const context = { authority, stored: new Date(), version: '1.0.3' };
  return Array.from({ length: count }, (_, i) =>
    Buffer.from(`${JSON.stringify(compactRow(statementToRow(prepareStatement(statement(i), context))))}\n`),
  );
}

export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Starts the API built in `root` (this checkout by default) and resolves once /health answers. */
export async function startApi(env, root = process.cwd()) {
  const child = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), join(root, 'apps/api/dist/main.js')],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', LRS_RATE_LIMIT: '0', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${env.PORT}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the API did not start within 60 s');
}

export function stop(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

export function writeResults(name, result, markdown) {
  const dir = join('bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 10);
  // Never over another run's results (another machine, or an earlier run, of the same day): the next free name.
  let file = `${name}-${stamp}`;
  for (let n = 2; existsSync(join(dir, `${file}.json`)) || existsSync(join(dir, `${file}.md`)); n++)
    file = `${name}-${stamp}-run${n}`;
  writeFileSync(join(dir, `${file}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, `${file}.md`), markdown);
  process.stdout.write(`\n${markdown}\nwritten to bench/results/${file}.{json,md}\n`);
}
