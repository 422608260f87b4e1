import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDirectorySnapshot } from '@ent-observatory/directory';
import type { Announcement } from '@ent-observatory/warehouse';
import { SingleBar } from 'cli-progress';
import { JOURNAL_FILE } from '@ent-observatory/lrs';
import { createLogger } from '../common/logger.js';
import { resolvePseudonymizationKey } from '../enrichment/pseudonymization-key.js';
import { authorityFor } from '../lrs/credentials.service.js';
import { BulkLoader, type LoadProgress, type LoadSummary } from './bulk-loader.js';
import { type CliCommand, type CliIo, CommandFailed, UsageError } from './command.js';
import { asOnlyWriter, openCliStores } from './stores.js';

const OPTIONS = {
  block: { type: 'string', default: '100000' },
  workers: { type: 'string' },
  authority: { type: 'string', default: 'cli-load' },
} as const;

/** Problems printed one by one; beyond, only counted (the summary has the totals). */
const LISTED = 100;

/**
 * `load <file|dir>`: NDJSON statements (one per line) straight into the LRS's stores, with the rules of a POST
 * (validation, enrichment with the same pseudonymisation key, duplicate ids) but without HTTP: see bulk-loader.ts.
 */
export const load: CliCommand = {
  name: 'load',
  usage: '<file.jsonl|dir> [--block 100000] [--workers N] [--authority cli-load]',
  summary: 'bulk-load NDJSON statements with the LRS rules (the API must not be writing meanwhile)',
  async run(args, env, io) {
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const [target, ...extra] = parsed.positionals;
    if (target === undefined || extra.length > 0) throw new UsageError('give one NDJSON file or one directory');
    const blockRows = integer('block', parsed.values.block, 1_000, 1_000_000);
    // One thread validates and enriches per core but one, which ClickHouse's insert uses meanwhile.
    const workers = integer('workers', parsed.values.workers ?? String(availableParallelism() - 1), 0, 64);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(parsed.values.authority))
      throw new UsageError('--authority takes a credential key (letters, digits, . _ -)');
    const files = inputFiles(target);
    const journal = join(env.DATA_DIR, 'journal');
    const pending = existsSync(journal) ? readdirSync(journal).filter((f) => JOURNAL_FILE.test(f)) : [];
    if (pending.length > 0) {
      throw new CommandFailed(
        `${pending.length} journal file(s) in ${journal} hold acknowledged statements not yet in ClickHouse (their ids could be loaded twice): start the server once (it replays them), stop it, then load`,
      );
    }
    const stores = await openCliStores(env);
    const logger = createLogger('warn');
    let presence: Announcement | undefined;
    let bar: ReturnType<typeof progress> | undefined;
    try {
      // The duplicate-id check is one writer's: refuse while an API accepts statements on this database.
      presence = await asOnlyWriter(
        stores.warehouse,
        'cli-load',
        'stop it before loading, or POST the file through it (simulate --replay FILE --post URL)',
      );
      const facts = await loadDirectorySnapshot(stores.store);
      bar = progress(
        io,
        files.reduce((n, f) => n + statSync(f).size, 0),
      );
      const loader = new BulkLoader(
        stores.warehouse,
        {
          keySecret: resolvePseudonymizationKey(env, logger),
          snapshot: [...facts].map(([uai, f]) => [uai.toUpperCase(), f]),
          authority: authorityFor(parsed.values.authority),
          version: '1.0.3',
        },
        { blockRows, workers, chunkLines: 2_000 },
        bar.update,
      );
      const summary = await loader.load(files);
      bar.stop();
      bar = undefined;
      report(io, summary, target);
      return summary.rejected.length + summary.conflicts.length > 0 ? 1 : 0;
    } finally {
      bar?.stop();
      await presence?.stop().catch(() => undefined);
      await stores.close();
    }
  },
};

function integer(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer between ${min} and ${max}, got "${v}"`);
  return n;
}

/** The file, or a directory's .jsonl/.ndjson/.json files in name order. */
function inputFiles(target: string): string[] {
  if (!existsSync(target)) throw new CommandFailed(`cannot read ${target}: no such file or directory`);
  if (!statSync(target).isDirectory()) return [target];
  const files = readdirSync(target)
    .filter((f) => /\.(jsonl|ndjson|json)$/.test(f))
    .sort()
    .map((f) => join(target, f));
  if (files.length === 0) throw new CommandFailed(`${target} holds no .jsonl, .ndjson or .json file`);
  return files;
}

function report(io: CliIo, s: LoadSummary, target: string): void {
  const problems = [
    ...s.rejected.map((r) => ({ ...r, kind: 'rejected' })),
    ...s.conflicts.map((c) => ({ ...c, kind: 'conflict' })),
  ];
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  for (const p of problems.slice(0, LISTED)) io.err(`${p.file}:${p.line}: ${p.kind}: ${p.reason}\n`);
  if (problems.length > LISTED) io.err(`… and ${problems.length - LISTED} more\n`);
  const rate = Math.round(s.loaded / Math.max(s.seconds, 0.001));
  io.out(
    `${s.loaded} statements loaded from ${target} in ${s.seconds.toFixed(1)} s (${rate} statements/s); ` +
      `${s.duplicates} duplicates skipped (same id, same content); ${s.conflicts.length} conflicts (same id, different content: not stored); ` +
      `${s.rejected.length} lines rejected (not stored).\n`,
  );
}

/**
 * Progress by share of the input settled, with the statements loaded, their rate and the time left: a bar on a terminal, a line
 * every tenth of the way elsewhere (logs, CI).
 */
function progress(io: CliIo, totalBytes: number) {
  const started = performance.now();
  const status = ({ bytesDone, loaded }: LoadProgress) => {
    const seconds = (performance.now() - started) / 1000;
    const share = totalBytes > 0 ? Math.min(1, bytesDone / totalBytes) : 1;
    const left = share > 0 ? Math.max(0, Math.round((seconds * (1 - share)) / share)) : undefined;
    return { share, rate: Math.round(loaded / Math.max(seconds, 0.001)), left: left === undefined ? '…' : `${left} s` };
  };
  if (!io.interactive) {
    let shown = 0;
    return {
      update: (p: LoadProgress) => {
        const s = status(p);
        const tenth = Math.floor(s.share * 10);
        if (tenth > shown && tenth < 10)
          io.err(`[${tenth * 10} %, ${p.loaded} statements loaded, ${s.rate}/s] about ${s.left} left\n`);
        shown = Math.max(shown, tenth);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    format: 'loading [{bar}] {percentage} % | {loaded} statements, {rate}/s | about {left} left',
    stream: process.stderr,
  });
  bar.start(100, 0, { loaded: 0, rate: 0, left: '…' });
  return {
    update: (p: LoadProgress) => {
      const s = status(p);
      bar.update(Math.round(s.share * 100), { loaded: p.loaded, rate: s.rate, left: s.left });
    },
    stop: () => bar.stop(),
  };
}
