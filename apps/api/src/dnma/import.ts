import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse';
import { type EstablishmentFacts, loadDirectorySnapshot } from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import { TABLES, type Warehouse, command } from '@ent-observatory/warehouse';
import {
  CONTEXT_COLUMNS,
  DNMA_DATASET_IDS,
  type DnmaDataset,
  MEASURES,
  MODALITIES,
  normalizeHeader,
  parseDuration,
  recogniseDataset,
} from './datasets.js';

export const DNMA_TABLE = TABLES.dnmaWeekly;

/** One stored cell of the long table (migration 030_dnma.sql documents each column). */
export interface DnmaCell {
  week: string;
  uai: string;
  dataset: DnmaDataset;
  profile: string;
  service: string;
  device: string;
  os: string;
  browser: string;
  visits: number;
  users: number;
  duration_seconds: number;
  academie: string;
  departement: string;
  region: string;
  academie_label: string;
  departement_label: string;
  region_label: string;
  commune: string;
  ministere: string;
  circonscription: string;
  nature_uai: string;
  secteur: string;
  source_file: string;
}

export interface DnmaFileReport {
  file: string;
  /** null when the file was not recognised (see error). */
  dataset: DnmaDataset | null;
  /** Data lines read. */
  rows: number;
  /** UAI-weeks imported (each replacing what an earlier import stored for the same dataset, week and UAI). */
  imported: number;
  /** Long-table cells written (measured modalities). */
  cells: number;
  weeks: { first: string; last: string } | null;
  rejected: { line: number; reason: string }[];
  /** Rejected lines beyond the listed ones. */
  moreRejected: number;
  warnings: string[];
  /** Set when nothing was imported from the file: unreadable, or not a DNMA dataset. */
  error?: string;
}

/** Lines imported per DELETE + INSERT round (a national file has millions of lines). */
const CHUNK = 5000;
const MAX_LISTED = 50;
const UAI = /^\d{7}[A-Z]$/;

/** Territory codes by folded label, for UAIs the directory does not know (the national files list them all). */
interface Labels {
  academies: Map<string, string>;
  departements: Map<string, string>;
  regions: Map<string, string>;
}

/**
 * Imports DNMA open-data CSV files into `dnma_weekly`. Each file's dataset is recognised from its header (the
 * file name does not matter); bad lines are rejected with their line number and the rest is imported. Re-importing
 * replaces, per (dataset, week, UAI) present in the file, what was stored before: importing twice changes nothing.
 */
export async function importDnma(store: Store, warehouse: Warehouse, files: string[]): Promise<DnmaFileReport[]> {
  const directory = await loadDirectorySnapshot(store);
  const labels = await loadLabels(store);
  const reports: DnmaFileReport[] = [];
  for (const file of files) reports.push(await importFile(warehouse, file, directory, labels));
  return reports;
}

async function loadLabels(store: Store): Promise<Labels> {
  const byName = async (table: string) =>
    new Map(
      (await store.query<{ code: string; name: string }>(`SELECT code, name FROM ${table}`)).map((r) => [
        fold(r.name),
        r.code,
      ]),
    );
  return {
    academies: await byName('academies'),
    departements: await byName('departements'),
    regions: await byName('regions'),
  };
}

function fold(s: string): string {
  return normalizeHeader(s);
}

function sniffDelimiter(file: string): ';' | ',' {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8');
    const first = text.split(/\r?\n/, 1)[0] ?? '';
    return first.split(';').length >= first.split(',').length ? ';' : ',';
  } finally {
    closeSync(fd);
  }
}

async function importFile(
  warehouse: Warehouse,
  file: string,
  directory: Map<string, EstablishmentFacts>,
  labels: Labels,
): Promise<DnmaFileReport> {
  const report: DnmaFileReport = {
    file,
    dataset: null,
    rows: 0,
    imported: 0,
    cells: 0,
    weeks: null,
    rejected: [],
    moreRejected: 0,
    warnings: [],
  };
  let delimiter: ';' | ',';
  try {
    delimiter = sniffDelimiter(file);
  } catch (e) {
    return { ...report, error: `cannot read ${file}: ${(e as Error).message}` };
  }
  const parser = createReadStream(file).pipe(
    parse({ delimiter, bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  let header: string[] | null = null;
  let plan: ColumnPlan | null = null;
  let chunk = new Map<string, DnmaCell[]>();
  const flush = async () => {
    if (chunk.size === 0 || !plan) return;
    await replaceChunk(warehouse, plan.dataset, chunk);
    report.imported += chunk.size;
    for (const cells of chunk.values()) report.cells += cells.length;
    chunk = new Map();
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map(normalizeHeader);
        const planned = planColumns(header);
        if ('error' in planned) {
          parser.destroy();
          return { ...report, error: planned.error };
        }
        plan = planned;
        report.dataset = plan.dataset;
        report.warnings.push(...plan.warnings);
        const named = datasetNamedBy(basename(file));
        if (named && named !== plan.dataset)
          report.warnings.push(
            `the file is named like ${DNMA_DATASET_IDS[named]} but its columns are those of ${DNMA_DATASET_IDS[plan.dataset]}; imported as the latter`,
          );
        continue;
      }
      if (!plan) break;
      report.rows++;
      const parsed = parseLine(record, plan, directory, labels, basename(file));
      if (typeof parsed === 'string') {
        if (report.rejected.length < MAX_LISTED) report.rejected.push({ line: info.lines, reason: parsed });
        else report.moreRejected++;
        continue;
      }
      const key = `${parsed.week}|${parsed.uai}`;
      if (chunk.has(key))
        report.warnings.push(`line ${info.lines}: ${key.replace('|', ' ')} appears twice; the last line wins`);
      chunk.set(key, parsed.cells);
      const weeks = report.weeks;
      report.weeks = {
        first: !weeks || parsed.week < weeks.first ? parsed.week : weeks.first,
        last: !weeks || parsed.week > weeks.last ? parsed.week : weeks.last,
      };
      if (chunk.size >= CHUNK) await flush();
    }
    await flush();
  } catch (e) {
    const message = (e as Error).message;
    const error = (e as { code?: string }).code?.startsWith('CSV_')
      ? `${file} is not valid CSV: ${message}`
      : (e as { code?: string }).code === 'ENOENT' || (e as { code?: string }).code === 'EISDIR'
        ? `cannot read ${file}: ${message}`
        : null;
    if (error === null) throw e;
    return {
      ...report,
      error: report.imported > 0 ? `${error} (${report.imported} UAI-weeks imported before)` : error,
    };
  }
  if (!header)
    return { ...report, error: `${file} is empty: expected a DNMA header line (debutsemaine;uai;visites_…)` };
  return report;
}

/** The dataset whose portal id the file name contains (the longest, since profils is a prefix of profils-appareils). */
function datasetNamedBy(name: string): DnmaDataset | null {
  const lower = name.toLowerCase();
  const hits = (Object.entries(DNMA_DATASET_IDS) as [DnmaDataset, string][]).filter(([, id]) => lower.includes(id));
  hits.sort((a, b) => b[1].length - a[1].length);
  return hits[0]?.[0] ?? null;
}

interface ColumnPlan {
  dataset: DnmaDataset;
  index: Map<string, number>;
  warnings: string[];
}

/** Checks a header and says which dataset it is; an error explains what is missing. */
function planColumns(header: string[]): ColumnPlan | { error: string } {
  const index = new Map<string, number>();
  header.forEach((c, i) => {
    if (!index.has(c)) index.set(c, i);
  });
  const recognised = recogniseDataset(header);
  if (!recognised) {
    return {
      error: `not a DNMA file: no visites_/utilisateurs_/duree_ column of ${Object.values(DNMA_DATASET_IDS).join(', ')} in the header (found: ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', …' : ''})`,
    };
  }
  const { dataset, measureColumns } = recognised;
  const missingContext = ['debutsemaine', 'uai'].filter((c) => !index.has(c));
  if (missingContext.length > 0) {
    return {
      error: `${DNMA_DATASET_IDS[dataset]}: missing column(s) ${missingContext.join(', ')} (header line 1; "debutSemaine"/"UAI" in any case or accents are accepted)`,
    };
  }
  const warnings: string[] = [];
  const all = MODALITIES[dataset].flatMap((m) => MEASURES.map((measure) => `${measure}_${m.suffix}`));
  const missing = all.filter((c) => !measureColumns.has(c));
  if (missing.length > 0)
    warnings.push(
      `${missing.length} column(s) of ${DNMA_DATASET_IDS[dataset]} absent, their cells not imported: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', …' : ''}`,
    );
  const known = new Set<string>([...CONTEXT_COLUMNS, ...all]);
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length > 0)
    warnings.push(
      `${unknown.length} unknown column(s) ignored: ${unknown.slice(0, 8).join(', ')}${unknown.length > 8 ? ', …' : ''}`,
    );
  return { dataset, index, warnings };
}

function parseWeek(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
  if (!y || !m || !d) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(m) - 1) return null;
  return `${y}-${m}-${d}`;
}

function parseLine(
  record: string[],
  plan: ColumnPlan,
  directory: Map<string, EstablishmentFacts>,
  labels: Labels,
  sourceFile: string,
): { week: string; uai: string; cells: DnmaCell[] } | string {
  const value = (column: string) => {
    const i = plan.index.get(column);
    return i === undefined ? '' : (record[i] ?? '').trim();
  };
  const rawWeek = value('debutsemaine');
  const week = parseWeek(rawWeek);
  if (!week) return `debutsemaine "${rawWeek}" is not a date (expected YYYY-MM-DD)`;
  if (new Date(`${week}T00:00:00Z`).getUTCDay() !== 1) return `debutsemaine ${week} is not a Monday`;
  const uai = value('uai').toUpperCase();
  if (!UAI.test(uai)) return uai === '' ? 'missing uai' : `uai "${value('uai')}" is not a UAI (7 digits and a letter)`;
  const facts = directory.get(uai);
  const academieLabel = value('academie');
  const departementLabel = value('departement');
  const regionLabel = value('region');
  const context = {
    week,
    uai,
    dataset: plan.dataset,
    academie: facts?.academie ?? labels.academies.get(fold(academieLabel)) ?? '',
    departement: facts?.departement ?? labels.departements.get(fold(departementLabel)) ?? '',
    region: facts?.region ?? labels.regions.get(fold(regionLabel)) ?? '',
    academie_label: academieLabel,
    departement_label: departementLabel,
    region_label: regionLabel,
    commune: value('commune'),
    ministere: value('ministere'),
    circonscription: value('circonscription'),
    nature_uai: value('nature_uai'),
    secteur: value('secteur'),
    source_file: sourceFile,
  };
  const cells: DnmaCell[] = [];
  for (const m of MODALITIES[plan.dataset]) {
    const visitsText = value(`visites_${m.suffix}`);
    const usersText = value(`utilisateurs_${m.suffix}`);
    const durationText = value(`duree_${m.suffix}`);
    if (visitsText === '' && usersText === '' && durationText === '') continue;
    const visits = count(visitsText);
    if (visits === null) return `visites_${m.suffix} "${visitsText}" is not a whole number`;
    const users = count(usersText);
    if (users === null) return `utilisateurs_${m.suffix} "${usersText}" is not a whole number`;
    const duration = durationText === '' ? 0 : parseDuration(durationText);
    if (duration === null) return `duree_${m.suffix} "${durationText}" is not a duration (expected HH:MM:SS)`;
    if (visits === 0 && users === 0 && duration === 0) continue;
    cells.push({
      ...context,
      profile: m.profile,
      service: m.service,
      device: m.device,
      os: m.os,
      browser: m.browser,
      visits,
      users,
      duration_seconds: duration,
    });
  }
  return { week, uai, cells };
}

function count(text: string): number | null {
  if (text === '') return 0;
  const t = text.replace(/[\s\u00a0\u202f]/g, '');
  if (/^\d+$/.test(t)) return Number(t);
  if (/^\d+[.,]0+$/.test(t)) return Number(t.replace(/[.,]0+$/, ''));
  return null;
}

/** Replaces the stored cells of these (week, UAI) of the dataset: one DELETE, one INSERT. */
async function replaceChunk(warehouse: Warehouse, dataset: DnmaDataset, chunk: Map<string, DnmaCell[]>) {
  await command(
    warehouse.client,
    `DELETE FROM ${DNMA_TABLE} WHERE dataset = {dataset:String} AND concat(toString(week), '|', uai) IN {keys:Array(String)}`,
    { dataset, keys: [...chunk.keys()] },
  );
  const values = [...chunk.values()].flat().map((c) => CELL_COLUMNS.map((k) => c[k]));
  if (values.length > 0) {
    // Compact rows: no key names repeated in each of the ~25 cells of a line.
    await warehouse.client.insert({
      table: DNMA_TABLE,
      values,
      format: 'JSONCompactEachRow',
      columns: [...CELL_COLUMNS],
    });
  }
}

const CELL_COLUMNS = [
  'week',
  'uai',
  'dataset',
  'profile',
  'service',
  'device',
  'os',
  'browser',
  'visits',
  'users',
  'duration_seconds',
  'academie',
  'departement',
  'region',
  'academie_label',
  'departement_label',
  'region_label',
  'commune',
  'ministere',
  'circonscription',
  'nature_uai',
  'secteur',
  'source_file',
] as const satisfies readonly (keyof DnmaCell)[];
