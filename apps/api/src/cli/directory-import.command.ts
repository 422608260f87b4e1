import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type FileReport, type ImportProgress, importDirectory } from '@ent-observatory/directory';
import { SingleBar } from 'cli-progress';
import { type CliCommand, type CliIo, UsageError } from './command.js';
import { openCliStores } from './stores.js';

/** `directory:import <file|dir>...`: imports open-data CSV files (a directory means its .csv files). */
export const directoryImport: CliCommand = {
  name: 'directory:import',
  usage: '<file.csv | directory>...',
  summary: 'import directory CSV files (open data, ENT platforms, rosters)',
  async run(args, env, io) {
    if (args.length === 0) throw new UsageError('directory:import needs at least one CSV file or directory');
    const files = args.flatMap(expand);
    const stores = await openCliStores(env);
    const progress = progressReporter(io, files.length);
    try {
      const started = performance.now();
      const report = await importDirectory(stores.store, stores.warehouse, files, { onProgress: progress.update });
      progress.stop();
      for (const file of report.files) io.out(describe(file));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.out(
        `${files.length} file(s) in ${seconds} s; sector collège links: ${report.sectorLinks}; establishments mirrored to ClickHouse: ${report.mirrored}\n`,
      );
      return report.files.some((f) => f.error !== undefined) ? 1 : 0;
    } finally {
      progress.stop();
      await stores.close();
    }
  },
};

function expand(arg: string): string[] {
  let isDirectory = false;
  try {
    isDirectory = statSync(arg).isDirectory();
  } catch {
    return [arg]; // the importer reports the unreadable file with the others
  }
  if (!isDirectory) return [arg];
  const csv = readdirSync(arg)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => join(arg, f));
  if (csv.length === 0) throw new UsageError(`${arg} contains no .csv file`);
  return csv;
}

/** A bar on a terminal; elsewhere one line per finished file, which reads well in logs. */
function progressReporter(io: CliIo, files: number) {
  if (!io.interactive) {
    let done = 0;
    return {
      update: (p: ImportProgress) => {
        if (p.done === p.total) io.err(`[${++done}/${files}] ${relative('.', p.file)}: ${p.total} lines\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: 'importing [{bar}] {value}/{total} files | {file}', stream: process.stderr });
  let done = 0;
  let started = false;
  return {
    update: (p: ImportProgress) => {
      if (!started) bar.start(files, 0, { file: '' });
      started = true;
      if (p.done === p.total) done++;
      bar.update(done, { file: `${relative('.', p.file)} (${p.total} lines)` });
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

function describe(f: FileReport): string {
  const name = f.file;
  if (f.error !== undefined) return `✗ ${name}: ${f.error}\n`;
  const lines = [
    `✓ ${name} (${f.dataset}): ${f.rows} lines; ${f.inserted} inserted, ${f.updated} updated, ${f.unchanged} unchanged, ${f.rejected.length} rejected`,
    ...f.warnings.map((w) => `    warning: ${w}`),
    ...f.rejected.map((r) => `    line ${r.line}: ${r.reason}`),
  ];
  return `${lines.join('\n')}\n`;
}
