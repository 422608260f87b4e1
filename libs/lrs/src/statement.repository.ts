import { GroupCommitBuffer, type Warehouse } from '@ent-observatory/warehouse';
import type { Logger } from 'pino';
import { type StatementRow, type StoredStatement, VOIDED_VERB } from '@ent-observatory/xapi';
import { sameAsStored } from './statement-checks.js';
import { type JournalMetrics, StatementJournal } from './statement-journal.js';
import { StatementReader } from './statement-reader.js';
import type { JournalRow, PendingStatement, WriteNotes } from './statement-write.js';

/** What happened to one write request. */
export type StoreOutcome = { kind: 'stored'; ids: string[]; inserted: number } | { kind: 'conflict'; id: string };

export interface FoundStatement {
  statement: StoredStatement;
  voided: boolean;
}

/** The settings of the statement store, named after the environment variables that carry them (docs/operations.md). */
export interface StatementStoreSettings {
  DATA_DIR: string;
  JOURNAL_MOVE_MS: number;
  INSERT_BATCH_ROWS: number;
  INSERT_WAIT_MS: number;
  INSERT_MAX_PENDING_ROWS: number;
  INSERT_CONCURRENT_WRITES: number;
}

/** What the statement store reports (the API's Prometheus metrics). */
export interface StatementStoreMetrics {
  readonly journal: JournalMetrics;
  readonly pendingRows: { set(rows: number): void };
  /** Where the gauge of journaled rows is read at each scrape: set once the journal is recovered. */
  journalPending: (() => number) | undefined;
  recordWrite(rows: number, ms: number): void;
  /** Counts what the statements just written say about enrichment and the follow-up profile. */
  recordWritten(notes: readonly WriteNotes[]): void;
}

/** Builds the `statements` row of a stored statement, with its enrichment columns (the API's EnrichmentService). */
export interface StatementRowBuilder {
  /** Resolves once rows can be built (the directory snapshot the enrichment reads is loaded). */
  ready(): Promise<void>;
  row(statement: StoredStatement): StatementRow;
}

/**
 * Statements in ClickHouse. Writes go through the group-commit buffer, whose single writer is also where
 * duplicate ids are settled: it sees every write in order, so two concurrent requests with the same id can never
 * both insert it (same content: the second is a no-op; different content: 409).
 *
 * `onModuleInit` (recover the journal) and `onApplicationShutdown` (flush it) are named after Nest's lifecycle
 * hooks: the API provides this class, and Nest calls them.
 */
export class StatementRepository {
  private readonly buffer: GroupCommitBuffer<PendingStatement, StoreOutcome>;
  /** `stored` instants (ms) of requests handed to the buffer and not yet answered, for Consistent-Through. */
  private readonly pendingStored = new Map<symbol, number>();
  /** Client-chosen ids being checked and written, each with the end of the write that holds it. */
  private readonly idsInFlight = new Map<string, Promise<void>>();
  readonly journal: StatementJournal;

  constructor(
    warehouse: Warehouse,
    env: StatementStoreSettings,
    logger: Logger,
    private readonly metrics: StatementStoreMetrics,
    private readonly reader: StatementReader,
    private readonly enrichment: StatementRowBuilder,
    /** Called after every insert into `statements` (caches of figures computed from them compare a counter). */
    onDataChanged: () => void,
  ) {
    this.journal = new StatementJournal(
      warehouse,
      logger,
      env.DATA_DIR,
      {
        moveEveryMs: env.JOURNAL_MOVE_MS,
        generationRows: env.INSERT_BATCH_ROWS,
        maxPendingRows: env.INSERT_MAX_PENDING_ROWS,
      },
      metrics.journal,
      (s) => enrichment.row(s),
      onDataChanged,
    );
    this.buffer = new GroupCommitBuffer(
      (requests) => this.writeGroup(requests),
      {
        maxBatchRows: env.INSERT_BATCH_ROWS,
        maxWaitMs: env.INSERT_WAIT_MS,
        maxPendingRows: env.INSERT_MAX_PENDING_ROWS,
        maxConcurrentWrites: env.INSERT_CONCURRENT_WRITES,
      },
      (rows, ms) => metrics.recordWrite(rows, ms),
    );
  }

  /** Stores one request's statements atomically; resolves once they are durably written. */
  async store(statements: PendingStatement[], stored: Date): Promise<StoreOutcome> {
    const release = this.hold(stored);
    this.metrics.pendingRows.set(this.buffer.pendingRows + statements.length);
    try {
      return await this.buffer.submit(statements);
    } finally {
      release();
      this.metrics.pendingRows.set(this.buffer.pendingRows);
    }
  }

  /**
   * Keeps Consistent-Through before `stored` until the returned function is called: a request holds it from the
   * instant it gives its statements (before they are prepared, perhaps on a thread) until they are written.
   */
  hold(stored: Date): () => void {
    const token = Symbol('request');
    this.pendingStored.set(token, stored.getTime());
    return () => this.pendingStored.delete(token);
  }

  /**
   * The latest instant up to which every statement is visible to queries: just before the oldest statement still
   * on its way to ClickHouse, or now when none is.
   */
  consistentThrough(): Date {
    let oldest = this.journal.oldestPending() ?? Infinity;
    for (const t of this.pendingStored.values()) if (t < oldest) oldest = t;
    // Strictly before now: a request stored in this very millisecond may not be written yet.
    return new Date(oldest === Infinity ? Date.now() - 1 : oldest - 1);
  }

  async findById(id: string): Promise<FoundStatement | null> {
    // Read the journal before ClickHouse: a move inserts before it forgets, so what is missing here is there.
    const journaled = this.journal.find(id);
    const voidedInJournal = this.journal.voids(id);
    let raw = journaled?.raw;
    let voided: boolean;
    if (raw !== undefined) voided = await this.reader.isVoided(id);
    else {
      const found = await this.reader.findById(id);
      if (!found) return null;
      ({ raw, voided } = found);
    }
    const statement = JSON.parse(raw) as StoredStatement;
    // A voiding statement cannot itself be voided (Data 2.3.2).
    return { statement, voided: (voided || voidedInJournal) && statement.verb.id !== VOIDED_VERB };
  }

  async onModuleInit(): Promise<void> {
    await this.enrichment.ready(); // recovered rows are enriched like new ones
    await this.journal.recover();
    this.metrics.journalPending = () => this.journal.pendingRows;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.buffer.close();
    await this.journal.stop();
  }

  /**
   * Two writes run at once, so a write whose client-chosen ids are also in a running write waits for it before
   * checking them: the check must see the other write's rows, or both would insert the same id.
   */
  private async writeGroup(requests: readonly (readonly PendingStatement[])[]): Promise<StoreOutcome[]> {
    const clientIds = requests.flatMap((r) => r.filter((p) => p.idSent).map((p) => p.row.id));
    if (clientIds.length === 0) return this.checkAndInsert(requests, []);
    const earlier = new Set(clientIds.map((id) => this.idsInFlight.get(id)).filter((p) => p !== undefined));
    const done = Promise.allSettled(earlier).then(() => this.checkAndInsert(requests, clientIds));
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    for (const id of clientIds) this.idsInFlight.set(id, settled);
    try {
      return await done;
    } finally {
      for (const id of clientIds) if (this.idsInFlight.get(id) === settled) this.idsInFlight.delete(id);
    }
  }

  private async checkAndInsert(
    requests: readonly (readonly PendingStatement[])[],
    clientIds: string[],
  ): Promise<StoreOutcome[]> {
    // The stored JSON of each id already there; statements are parsed only to compare two with the same id.
    const existing = await this.existingStatements(clientIds);
    const rows: JournalRow[] = [];
    const notes: WriteNotes[] = [];
    const outcomes = requests.map((pending): StoreOutcome => {
      const fresh: PendingStatement[] = [];
      for (const p of pending) {
        const { id, raw } = p.row;
        const previous = existing.get(id);
        if (previous === undefined) fresh.push(p);
        else if (!sameAsStored(parsed(previous), parsed(raw), p.timestampSent)) return { kind: 'conflict', id };
      }
      for (const p of fresh) {
        if (p.idSent) existing.set(p.row.id, p.row.raw);
        rows.push(p.row);
        notes.push(p.notes);
      }
      return { kind: 'stored', ids: pending.map((p) => p.row.id), inserted: fresh.length };
    });
    if (rows.length > 0) {
      await this.journal.room(rows.length);
      await this.journal.write(rows);
    }
    this.metrics.recordWritten(notes);
    return outcomes;
  }

  /**
   * Statements this process acknowledged that ClickHouse does not hold yet (the journal's rows): the figures and
   * the follow-up pages do not count them until the next move (JOURNAL_MOVE_MS). /health reports it, and the
   * gauge lrs_journal_pending_rows.
   */
  get acknowledgedNotVisible(): number {
    return this.journal.pendingRows;
  }

  /** The stored statements among `ids` (their JSON), found in the journal or statements_by_id. */
  private async existingStatements(ids: string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (ids.length === 0) return found;
    // Journal first: a move running meanwhile inserts into ClickHouse before it forgets the statement here.
    for (const id of ids) {
      const journaled = this.journal.find(id);
      if (journaled) found.set(id, journaled.raw);
    }
    for (const [id, raw] of await this.reader.rawsOf(ids)) if (!found.has(id)) found.set(id, raw);
    return found;
  }
}

function parsed(raw: string): StoredStatement {
  return JSON.parse(raw) as StoredStatement;
}
