import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DNMA_DATASET_IDS } from '../dnma/datasets.js';
import { DnmaArgumentError, exportDnma, parseScope, parseWeek } from '../dnma/export.js';
import { type DnmaFileReport, importDnma } from '../dnma/import.js';
import { type CliCommand, UsageError } from './command.js';
import { openCliStores } from './stores.js';

/** `dnma:import <csv...>`: loads the national DNMA open-data files (any of the four datasets) into dnma_weekly. */
export const dnmaImport: CliCommand = {
  name: 'dnma:import',
  usage: '<file.csv | directory>...',
  summary: `import DNMA open-data CSV files (${Object.values(DNMA_DATASET_IDS).join(', ')})`,
  async run(args, env, io) {
    if (args.length === 0) throw new UsageError('dnma:import needs at least one CSV file or directory');
    const files = args.flatMap(expand);
    const stores = await openCliStores(env);
    try {
      const started = performance.now();
      const reports = await importDnma(stores.store, stores.warehouse, files);
      for (const r of reports) io.out(describe(r));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.out(`${files.length} file(s) in ${seconds} s\n`);
      return reports.some((r) => r.error !== undefined || r.rejected.length > 0) ? 1 : 0;
    } finally {
      await stores.close();
    }
  },
};

/** `dnma:export --week <monday> --scope <scope> [--out dir]`: our figures in the four published DNMA layouts. */
export const dnmaExport: CliCommand = {
  name: 'dnma:export',
  usage: '--week YYYY-MM-DD --scope national|academie:<code>|departement:<code>|uai:<UAI> [--out <dir>]',
  summary: 'write one week of our figures as the four DNMA datasets (published wide CSV format)',
  async run(args, env, io) {
    const options = parseOptions(args);
    let week: string;
    let scope: ReturnType<typeof parseScope>;
    try {
      week = parseWeek(options.week);
      scope = parseScope(options.scope);
    } catch (e) {
      if (e instanceof DnmaArgumentError) throw new UsageError(e.message);
      throw e;
    }
    const stores = await openCliStores(env);
    try {
      const files = await exportDnma(stores.store, stores.warehouse, { week, scope, outDir: options.out });
      for (const f of files) io.out(`${relative('.', f.path) || f.path}: ${f.rows} UAI(s)\n`);
      return 0;
    } finally {
      await stores.close();
    }
  },
};

function parseOptions(args: string[]): { week: string; scope: string; out: string } {
  const values: Record<string, string> = { out: '.' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const m = /^--(week|scope|out)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`dnma:export: unexpected argument "${arg}"`);
    const value = m[2] ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`dnma:export: --${m[1]} needs a value`);
    values[m[1] as string] = value;
  }
  for (const required of ['week', 'scope'])
    if (!values[required]) throw new UsageError(`dnma:export needs --${required}`);
  return values as { week: string; scope: string; out: string };
}

function expand(arg: string): string[] {
  let isDirectory = false;
  try {
    isDirectory = statSync(arg).isDirectory();
  } catch {
    return [arg]; // reported as unreadable with the others
  }
  if (!isDirectory) return [arg];
  const csv = readdirSync(arg)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => join(arg, f));
  if (csv.length === 0) throw new UsageError(`${arg} contains no .csv file`);
  return csv;
}

function describe(r: DnmaFileReport): string {
  if (r.error !== undefined) return `✗ ${r.file}: ${r.error}\n`;
  const weeks = r.weeks
    ? r.weeks.first === r.weeks.last
      ? `week ${r.weeks.first}`
      : `weeks ${r.weeks.first} to ${r.weeks.last}`
    : 'no week';
  const lines = [
    `✓ ${r.file} (${r.dataset ? DNMA_DATASET_IDS[r.dataset] : '?'}): ${r.rows} lines, ${weeks}; ${r.imported} UAI-weeks imported (${r.cells} cells), ${r.rejected.length + r.moreRejected} rejected`,
    ...r.warnings.map((w) => `    warning: ${w}`),
    ...r.rejected.map((x) => `    line ${x.line}: ${x.reason}`),
    ...(r.moreRejected > 0 ? [`    … and ${r.moreRejected} more rejected line(s)`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
