import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

export interface CsvTable {
  header: string[];
  /** Data records with the line number where each ends (1 = the header line). */
  records: { line: number; values: string[] }[];
  delimiter: ';' | ',';
  encoding: 'utf-8' | 'latin-1';
}

export class UnreadableFileError extends Error {}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const LATIN1 = new TextDecoder('latin1');

/**
 * Reads a CSV file of the open-data portals: UTF-8 with or without BOM, `;` or `,`, CRLF or LF, quoted fields.
 * A file that is not valid UTF-8 is decoded as Latin-1 (what spreadsheet exports of these files use) and the
 * caller says so in its report, since a wrong guess shows as garbled accents.
 */
export async function readCsv(path: string): Promise<CsvTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new UnreadableFileError(`cannot read ${path}: ${(e as Error).message}`);
  }
  let text: string;
  let encoding: CsvTable['encoding'] = 'utf-8';
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = LATIN1.decode(bytes);
    encoding = 'latin-1';
  }
  // Line numbers: csv-parse counts the CR and the LF of a CRLF inside a quoted field as two lines.
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (firstLine.trim() === '') throw new UnreadableFileError(`${path} is empty: expected a header line`);
  const delimiter = count(firstLine, ';') >= count(firstLine, ',') ? ';' : ',';
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    const options = { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true };
    parsed = parse(text, options) as unknown as typeof parsed;
  } catch (e) {
    throw new UnreadableFileError(`${path} is not valid CSV: ${(e as Error).message}`);
  }
  const [head, ...rest] = parsed;
  return {
    header: head?.record ?? [],
    records: rest.map((r) => ({ line: r.info.lines, values: r.record })),
    delimiter,
    encoding,
  };
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

/** Header names compared without accents, case, spaces or punctuation: `Code postal` = `Code_postal`. */
export function normalizeHeader(name: string): string {
  return foldText(name)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Lower case without diacritics: the form used for accent-insensitive comparisons and searches. */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

export interface ColumnSpec {
  /** Accepted header names (any spelling normalizeHeader() maps to the same key), first = canonical. */
  names: readonly string[];
  required?: boolean;
}

export type Columns<K extends string> = Record<K, ColumnSpec>;

/** A record accessor by field name, built from a file's header; values are trimmed, '' when absent. */
export type Row<K extends string> = (field: K) => string;

/**
 * Maps fields to header positions by name (never by position: column sets differ between years and extracts).
 * Returns the missing required columns instead of an accessor when the header lacks any.
 */
export function resolveColumns<K extends string>(
  header: string[],
  columns: Columns<K>,
): { missing: string[] } | { missing: []; index: Record<K, number> } {
  const positions = new Map(header.map((h, i) => [normalizeHeader(h), i] as const));
  const index = {} as Record<K, number>;
  const missing: string[] = [];
  for (const [field, spec] of Object.entries(columns) as [K, ColumnSpec][]) {
    const at = spec.names.map((n) => positions.get(normalizeHeader(n))).find((i) => i !== undefined);
    if (at === undefined && spec.required) missing.push(spec.names[0] ?? field);
    index[field] = at ?? -1;
  }
  return missing.length > 0 ? { missing } : { missing: [], index };
}

export function rowAccessor<K extends string>(index: Record<K, number>, values: string[]): Row<K> {
  return (field) => {
    const i = index[field];
    return i < 0 ? '' : (values[i] ?? '').trim();
  };
}

/** True when the header has every one of these columns (dataset detection). */
export function hasColumns(header: string[], names: readonly string[]): boolean {
  const present = new Set(header.map(normalizeHeader));
  return names.every((n) => present.has(normalizeHeader(n)));
}
