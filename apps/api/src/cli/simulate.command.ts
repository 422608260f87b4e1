import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CalendarRangeError } from '@ent-observatory/directory';
import {
  NdjsonFileSink,
  Simulation,
  type World,
  formatReport,
  readWorld,
  sampleWorld,
} from '@ent-observatory/simulator';
import { SingleBar } from 'cli-progress';
import type { Env } from '../config/env.js';
import { type CliCommand, type CliIo, CommandFailed, UsageError } from './command.js';
import { openCliStores } from './stores.js';
import { StatementPoster } from './statement-poster.js';

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  scale: { type: 'string', default: '0.1' },
  seed: { type: 'string', default: '42' },
  out: { type: 'string' },
  post: { type: 'string' },
  replay: { type: 'string' },
  key: { type: 'string' },
  secret: { type: 'string' },
  batch: { type: 'string', default: '1000' },
  concurrency: { type: 'string', default: '3' },
  'rep-effect': { type: 'string' },
  sample: { type: 'string' },
  include: { type: 'string' },
  'roster-out': { type: 'string' },
  'drift-out': { type: 'string' },
} as const;

/**
 * `simulate`: a realistic school year of ENT statements on the imported directory (libs/simulator), written to an
 * NDJSON file or posted to an LRS. The directory is read from the stores, which are closed before generating, so
 * `--post` can target a server running on the same DATA_DIR only through `--replay` of a file made beforehand.
 */
export const simulate: CliCommand = {
  name: 'simulate',
  usage:
    '--from YYYY-MM-DD --to YYYY-MM-DD [--scale 0.1] [--seed 42] [--sample 0.1 [--include UAI,UAI]] (--out file.ndjson | --post http://host:port [--key K --secret S] [--batch 1000] [--concurrency 3]) [--roster-out rosters.csv] [--drift-out drift.csv] | --replay file.ndjson --post URL',
  summary: 'simulate ENT usage on the imported directory (NDJSON file or POST to an LRS)',
  async run(args, env, io) {
    const opts = parse(args);
    if (opts.replay !== undefined) return replay(opts, io);
    const directory = await loadWorld(env);
    if (directory.establishments.length === 0) {
      throw new CommandFailed('The directory is empty: run `npm run cli -- directory:import data/directory` first.');
    }
    const world =
      opts.sample === undefined
        ? directory
        : sampleWorld(directory, { share: opts.sample, include: opts.include, seed: opts.seed });
    if (opts.sample !== undefined) {
      io.out(
        `Measured perimeter: ${world.establishments.length} of ${directory.establishments.length} establishments.\n`,
      );
    }
    let simulation: Simulation;
    try {
      simulation = new Simulation(world, {
        from: opts.from,
        to: opts.to,
        seed: opts.seed,
        scale: opts.scale,
        repEffect: opts.repEffect,
      });
    } catch (e) {
      if (e instanceof RangeError || e instanceof CalendarRangeError) throw new UsageError(e.message);
      throw e;
    }
    const started = performance.now();
    const cpu = process.cpuUsage();
    const bar = progress(io, 'days');
    if (opts.out !== undefined) {
      let file: NdjsonFileSink;
      try {
        file = new NdjsonFileSink(opts.out);
      } catch (e) {
        throw new CommandFailed(`cannot write ${opts.out}: ${(e as Error).message}`);
      }
      try {
        for (const day of simulation.days(file.write)) bar.update(day.done, day.total, day.day);
      } finally {
        file.close();
        bar.stop();
      }
    } else {
      const poster = new StatementPoster(opts.post!, credentials(opts), opts.batch, opts.concurrency);
      try {
        for (const day of simulation.days(poster.add)) {
          await poster.drain(opts.concurrency * 2);
          bar.update(day.done, day.total, `${day.day}, ${poster.posted} posted`);
        }
        await poster.drain(0);
      } finally {
        bar.stop();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const stats = simulation.stats;
    const weeks = (Date.parse(opts.to) - Date.parse(opts.from)) / 86_400_000 / 7 + 1 / 7;
    io.out(
      `${stats.statements} statements (${stats.visits} visits) ${opts.out !== undefined ? `written to ${opts.out}` : `posted to ${opts.post}`} in ${seconds.toFixed(1)} s: ${Math.round(stats.statements / seconds)} statements/s (${((user + system) / 1e6).toFixed(1)} s CPU)\n`,
    );
    io.out(formatReport(stats, simulation.population.establishments.length, weeks));
    if (opts.rosterOut !== undefined) {
      writeFileSync(opts.rosterOut, simulation.rosterCsv());
      io.out(`Rosters of the simulated classes (names made up) written to ${opts.rosterOut}.\n`);
    }
    if (opts.driftOut !== undefined) writeFileSync(opts.driftOut, simulation.driftCsv());
    return 0;
  },
};

interface Options {
  from: string;
  to: string;
  scale: number;
  seed: number;
  out?: string;
  post?: string;
  replay?: string;
  key?: string;
  secret?: string;
  batch: number;
  concurrency: number;
  repEffect?: number;
  sample?: number;
  include?: string[];
  /** Where to write the rosters of the simulated classes (directory roster format, with names and identities). */
  rosterOut?: string;
  /** Where to write who drifted away and when (the alert benchmark's ground truth). */
  driftOut?: string;
}

function parse(args: string[]): Options {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];
  try {
    values = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const number = (name: string, v: string | undefined, min: number, max: number, integer = false) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new UsageError(
        `--${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${v}"`,
      );
    }
    return n;
  };
  const opts: Options = {
    from: values.from ?? '',
    to: values.to ?? '',
    scale: number('scale', values.scale, 0.0001, 10),
    seed: number('seed', values.seed, 0, 2 ** 32 - 1, true),
    out: values.out,
    post: values.post,
    replay: values.replay,
    rosterOut: values['roster-out'],
    driftOut: values['drift-out'],
    key: values.key,
    secret: values.secret,
    batch: number('batch', values.batch, 1, 50_000, true),
    concurrency: number('concurrency', values.concurrency, 1, 64, true),
    repEffect: values['rep-effect'] === undefined ? undefined : number('rep-effect', values['rep-effect'], 0, 0.6),
    sample: values.sample === undefined ? undefined : number('sample', values.sample, 0.001, 1),
    include: values.include?.split(',').filter((u) => u.trim() !== ''),
  };
  for (const uai of opts.include ?? []) {
    if (!/^\d{7}[A-Za-z]$/.test(uai.trim()))
      throw new UsageError(`--include takes UAIs (7 digits and a letter), got "${uai}"`);
  }
  if (opts.include !== undefined && opts.sample === undefined) throw new UsageError('--include needs --sample');
  if (opts.replay !== undefined) {
    if (opts.post === undefined) throw new UsageError('--replay needs --post: it posts an existing NDJSON file');
    return opts;
  }
  for (const name of ['from', 'to'] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(opts[name]))
      throw new UsageError(`--${name} must be a date YYYY-MM-DD, got "${opts[name]}"`);
  }
  if ((opts.out === undefined) === (opts.post === undefined))
    throw new UsageError('give either --out <file> or --post <url>');
  return opts;
}

function credentials(opts: Options): { key: string; secret: string } {
  const key = opts.key ?? process.env.LRS_KEY;
  const secret = opts.secret ?? process.env.LRS_SECRET;
  if (!key || !secret) {
    throw new UsageError(
      '--post needs LRS credentials: --key and --secret, or LRS_KEY and LRS_SECRET in the environment',
    );
  }
  return { key, secret };
}

async function loadWorld(env: Env): Promise<World> {
  let stores: Awaited<ReturnType<typeof openCliStores>>;
  try {
    stores = await openCliStores(env);
  } catch (e) {
    if (!(e instanceof CommandFailed)) throw e;
    throw new CommandFailed(
      `${e.message} To post to a server running on these stores, simulate into a file first (--out), then --replay it with --post.`,
    );
  }
  try {
    return await readWorld(stores.store);
  } finally {
    await stores.close();
  }
}

/** Posts an NDJSON file (one statement per line) in batches. */
async function replay(opts: Options, io: CliIo): Promise<number> {
  const total = await countLines(opts.replay!);
  const poster = new StatementPoster(opts.post!, credentials(opts), opts.batch, opts.concurrency);
  const started = performance.now();
  const bar = loadProgress(io, total);
  const lines = createInterface({ input: createReadStream(opts.replay!), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    poster.add(line);
    if (++n % opts.batch === 0) {
      await poster.drain(opts.concurrency * 2);
      bar.update(poster.posted);
    }
  }
  await poster.drain(0);
  bar.update(poster.posted);
  bar.stop();
  const seconds = (performance.now() - started) / 1000;
  io.out(
    `${poster.posted} statements from ${opts.replay} posted to ${opts.post} in ${seconds.toFixed(1)} s: ${Math.round(poster.posted / seconds)} statements/s\n`,
  );
  return 0;
}

/** Statements in an NDJSON file (its non-empty lines), read once before loading it, for the progress and estimate. */
async function countLines(file: string): Promise<number> {
  let n = 0;
  try {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (line.trim() !== '') n++;
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CommandFailed(`cannot read ${file}: no such file`);
    throw e;
  }
  return n;
}

/**
 * The load's progress with an estimate of the time left: a bar on a terminal, elsewhere a line every tenth of the
 * way (logs, CI).
 */
function loadProgress(io: CliIo, total: number) {
  const started = performance.now();
  const left = (done: number) => {
    const rate = done / ((performance.now() - started) / 1000);
    return done > 0 && rate > 0 ? `${Math.max(0, Math.round((total - done) / rate))} s` : '…';
  };
  if (!io.interactive || total === 0) {
    let shown = 0;
    return {
      update: (done: number) => {
        const tenth = total ? Math.floor((10 * done) / total) : 10;
        if (tenth > shown) io.err(`[${done}/${total} statements loaded, ${tenth * 10} %] about ${left(done)} left\n`);
        shown = Math.max(shown, tenth);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({
    format: 'loading [{bar}] {percentage} % | {value}/{total} statements | about {left} left',
    stream: process.stderr,
  });
  bar.start(total, 0, { left: '…' });
  return {
    update: (done: number) => bar.update(done, { left: left(done) }),
    stop: () => bar.stop(),
  };
}

/** A bar on a terminal; elsewhere a line every tenth of the way, which reads well in logs. */
function progress(io: CliIo, unit: string) {
  if (!io.interactive) {
    let shown = 0;
    return {
      update: (done: number, total: number, label: string) => {
        const tenth = Math.floor((10 * done) / total);
        if (tenth > shown) io.err(`[${done}/${total} ${unit}] ${label}\n`);
        shown = Math.max(shown, tenth);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: `simulating [{bar}] {value}/{total} ${unit} | {label}`, stream: process.stderr });
  let started = false;
  return {
    update: (done: number, total: number, label: string) => {
      if (!started) bar.start(total, 0, { label });
      started = true;
      bar.update(done, { label });
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
