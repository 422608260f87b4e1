import { basename } from 'node:path';
import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import { type CsvTable, hasColumns, readCsv, resolveColumns, rowAccessor, UnreadableFileError } from './csv.js';
import { annuaire } from './datasets/annuaire.js';
import { type AnyDataset, LineRejected } from './datasets/dataset.js';
import { collegeEffectifs, ecolesEffectifs, effectifsSecondDegre } from './datasets/enrolments.js';
import { entPlatforms } from './datasets/ent-platforms.js';
import { roster } from './datasets/roster.js';
import { schoolMap } from './datasets/school-map.js';
import { territories } from './datasets/territories.js';
import { mirrorDirectory } from './mirror.js';
import type { FileReport, ImportProgress, ImportReport } from './model.js';
import { linkSectorColleges } from './sector.js';
import { inTransaction } from './sql.js';

/** Every dataset the importer recognises, by the columns of its header. */
export const DATASETS: readonly AnyDataset[] = [
  annuaire,
  ecolesEffectifs,
  collegeEffectifs,
  effectifsSecondDegre,
  schoolMap,
  territories,
  entPlatforms,
  roster,
];

export interface ImportOptions {
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Imports open-data CSV files into the directory, each file in its own transaction (all of its valid lines or
 * nothing), then re-derives the sector collèges and reloads the ClickHouse mirror. Idempotent: re-importing a
 * file updates changed rows and duplicates none. A bad line is reported and skipped; a file that cannot be read
 * or recognised, or lacks a required column, is reported with `error` and nothing of it is written.
 */
export async function importDirectory(
  store: Store,
  warehouse: Warehouse,
  files: readonly string[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const reports: FileReport[] = [];
  for (const file of files) {
    const report = await importFile(store, file, options);
    reports.push(report);
    options.onProgress?.({ file, done: report.rows, total: report.rows });
  }
  const sectorLinks = await linkSectorColleges(store);
  const mirrored = await mirrorDirectory(store, warehouse);
  return { files: reports, sectorLinks, mirrored };
}

async function importFile(store: Store, file: string, options: ImportOptions): Promise<FileReport> {
  const report: FileReport = {
    file,
    dataset: undefined,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    warnings: [],
  };
  let table: CsvTable;
  try {
    table = await readCsv(file);
  } catch (e) {
    if (e instanceof UnreadableFileError) return { ...report, error: e.message };
    throw e;
  }
  report.rows = table.records.length;
  if (table.encoding === 'latin-1')
    report.warnings.push(`${basename(file)} is not valid UTF-8: decoded as Latin-1 (ISO-8859-1); check the accents`);
  const dataset = DATASETS.find((d) => hasColumns(table.header, d.signature));
  if (!dataset) {
    const known = DATASETS.map((d) => `${d.name} (${d.signature.join(', ')})`).join('; ');
    return { ...report, error: `unrecognised header: expected the columns of one of ${known}` };
  }
  report.dataset = dataset.name;
  const resolved = resolveColumns(table.header, dataset.columns);
  if (!('index' in resolved)) {
    const which = resolved.missing.map((c) => `"${c}"`).join(', ');
    return { ...report, error: `missing required column(s) ${which} for dataset ${dataset.name}` };
  }
  options.onProgress?.({ file, done: 0, total: report.rows });
  const records: unknown[] = [];
  for (const { line, values } of table.records) {
    try {
      records.push(dataset.parse(rowAccessor(resolved.index, values)));
    } catch (e) {
      if (!(e instanceof LineRejected)) throw e;
      report.rejected.push({ file, line, reason: e.message });
    }
  }
  const counts = await inTransaction(store, (exec) => dataset.write(exec, records));
  report.inserted = counts.inserted;
  report.updated = counts.updated;
  report.unchanged = counts.unchanged;
  report.warnings.push(...(counts.warnings ?? []));
  return report;
}
