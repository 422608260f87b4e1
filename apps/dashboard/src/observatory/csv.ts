import { type Kind, csvValue } from './cells';

export interface Column<R> {
  key: string;
  label: string;
  /** The header in the CSV file when it differs (e.g. the unit of raw values). */
  csvLabel?: string;
  kind: Kind;
  /** The value of this column in a row. */
  value(row: R): number | string | null | undefined;
  /** A link for the value in the on-screen table (e.g. to an establishment's view). */
  href?(row: R): string | undefined;
  /** Whether the value is under statistical secrecy in this row. */
  suppressed?(row: R): boolean;
}

const quote = (s: string): string => (/[";\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * A CSV file of exactly the rows and columns shown: `;`-separated with a byte-order mark and CRLF, as French
 * spreadsheet software expects; the header carries the column labels (with their units).
 */
export function toCsv<R>(columns: Column<R>[], rows: R[], k: number): string {
  const lines = [columns.map((c) => quote(c.csvLabel ?? c.label)).join(';')];
  for (const row of rows) {
    lines.push(columns.map((c) => quote(csvValue(c.value(row), c.kind, c.suppressed?.(row) ?? false, k))).join(';'));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A file name from a chart title: "Visites par semaine" → "visites-par-semaine.csv". */
export function csvFileName(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'donnees'}.csv`;
}
