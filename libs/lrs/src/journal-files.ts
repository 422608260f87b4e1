import { appendFile, mkdir, open, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { STATEMENT_ROW_COLUMNS, type StatementRow, type StoredStatement, compactRow } from '@ent-observatory/xapi';

/** A journal file's name: its stem is also the insert deduplication token of its move (see insertLinesOnce). */
export const JOURNAL_FILE = /^gen-[0-9a-z-]+\.ndjson$/;

/** One row as the line the journal stores and ClickHouse receives (JSONCompactEachRow, STATEMENT_ROW_COLUMNS). */
export function journalLine(row: StatementRow): string {
  return `${JSON.stringify(compactRow(row))}\n`;
}

/** The complete lines of a journal file, and what follows its last newline (a torn, never acknowledged append). */
export function splitLines(bytes: Buffer): { lines: Buffer[]; torn: number } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(10, start); nl !== -1; nl = bytes.indexOf(10, start)) {
    if (nl > start) lines.push(bytes.subarray(start, nl + 1));
    start = nl + 1;
  }
  return { lines, torn: bytes.length - start };
}

export type LineCheck = { kind: 'row'; id: string } | { kind: 'legacy'; statement: StoredStatement } | { kind: 'bad' };

/**
 * What a recovered line holds: a row (this version's format), a stored statement (the format of journals written
 * before rows were journaled: it is turned into a row again), or something neither (reported, never dropped).
 */
export function checkLine(line: Buffer): LineCheck {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return { kind: 'bad' };
  }
  if (Array.isArray(value)) {
    const [id, , , , , , , , , , , , , , , , , raw] = value as unknown[];
    const rowLike = value.length === STATEMENT_ROW_COLUMNS.length && typeof id === 'string' && typeof raw === 'string';
    return rowLike ? { kind: 'row', id } : { kind: 'bad' };
  }
  if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string') {
    return { kind: 'legacy', statement: value as StoredStatement };
  }
  return { kind: 'bad' };
}

/** The id a journal line names, for logs (a line that does not parse names none). */
export function lineId(line: Buffer): string | undefined {
  const check = checkLine(line);
  return check.kind === 'row' ? check.id : check.kind === 'legacy' ? check.statement.id : undefined;
}

/** The ids and `stored` range of journal lines in this version's format (what a recovery re-checks). */
export function lineScope(lines: Buffer[]): { ids: string[]; storedFrom: string; storedTo: string } {
  const ids: string[] = [];
  let storedFrom = '';
  let storedTo = '';
  for (const line of lines) {
    const [id, stored] = JSON.parse(line.toString('utf8')) as [string, string];
    ids.push(id);
    if (storedFrom === '' || stored < storedFrom) storedFrom = stored;
    if (stored > storedTo) storedTo = stored;
  }
  return { ids, storedFrom, storedTo };
}

/** fsync of a directory: makes a created or removed entry durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/**
 * Acknowledged rows that ClickHouse refuses (data it cannot parse: validation is meant to refuse such statements
 * before they are acknowledged, so this is a bug or a new kind of poison). They are kept, fsynced, in
 * `journal/quarantine/`, counted in /metrics and logged at error with their ids, so that an operator can fix and
 * replay them — and they no longer block every statement behind them.
 */
export class JournalQuarantine {
  private held = 0;

  constructor(
    private readonly dir: string,
    private readonly report: (held: number, added: number) => void,
  ) {}

  /** Counts the rows already in quarantine (at start), so /metrics shows them after a restart too. */
  async count(): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    let held = 0;
    for (const f of await readdir(this.dir)) held += splitLines(await readFile(join(this.dir, f))).lines.length;
    this.held = held;
    this.report(held, 0);
    return held;
  }

  async put(source: string, lines: Buffer[]): Promise<void> {
    const file = join(this.dir, `${source.replace(/[^A-Za-z0-9._-]/g, '_')}.ndjson`);
    await appendFile(file, Buffer.concat(lines));
    const fh = await open(file, 'r');
    try {
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await syncDirectory(this.dir);
    this.held += lines.length;
    this.report(this.held, lines.length);
  }
}
