import type { Columns, Row } from '../csv.js';
import type { DatasetName } from '../model.js';
import type { Exec, UpsertCounts } from '../sql.js';

/** One kind of open-data file: how to recognise it, read a line, and write what was read. */
export interface Dataset<K extends string, R> {
  name: DatasetName;
  /** Columns whose presence identifies the dataset (a file missing other required columns is then rejected). */
  signature: readonly string[];
  columns: Columns<K>;
  /** One CSV line → what to store; throws LineRejected for a bad line. */
  parse(row: Row<K>): R;
  /** Writes every accepted line in the caller's transaction; counts are of the dataset's main table. */
  write(exec: Exec, records: R[]): Promise<UpsertCounts & { warnings?: string[] }>;
}

// Datasets differ in field names and record types; the importer only relays between their own methods.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDataset = Dataset<string, any>;

/** Why one line was not imported; the rest of the file still is. */
export class LineRejected extends Error {}

const UAI = /^\d{7}[A-Z]$/;

export function requireUai(value: string, column = 'UAI'): string {
  const uai = value.toUpperCase();
  if (uai === '') throw new LineRejected(`missing ${column}`);
  if (!UAI.test(uai)) throw new LineRejected(`invalid ${column} "${value}" (expected 7 digits and a letter)`);
  return uai;
}

/** A non-negative whole number, or null when the cell is empty. */
export function optionalCount(value: string, column: string): number | null {
  if (value === '') return null;
  if (!/^\d+$/.test(value)) throw new LineRejected(`bad number in ${column}: "${value}"`);
  return Number(value);
}

export function optionalDecimal(value: string, column: string): number | null {
  if (value === '') return null;
  const n = Number(value.replace(',', '.'));
  if (!Number.isFinite(n)) throw new LineRejected(`bad number in ${column}: "${value}"`);
  return n;
}

export function required(value: string, column: string): string {
  if (value === '') throw new LineRejected(`missing ${column}`);
  return value;
}

/** '2022' (rentrée) → '2022-2023'; '2022-2023' and '2022/2023' → '2022-2023'. */
export function schoolYear(value: string, column: string): string {
  const single = /^(\d{4})$/.exec(value);
  if (single) return `${single[1]}-${Number(single[1]) + 1}`;
  const pair = /^(\d{4})\s*[-/]\s*(\d{4})$/.exec(value);
  if (pair && Number(pair[2]) === Number(pair[1]) + 1) return `${pair[1]}-${pair[2]}`;
  throw new LineRejected(`bad school year in ${column}: "${value}" (expected 2024 or 2024-2025)`);
}
