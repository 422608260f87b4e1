import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GroupCommitBuffer, TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type StoredStatement, VOIDED_VERB, isSameStatement, statementToRow } from '@ent-observatory/xapi';
import type { Env } from '../config/env.js';
import { ENV, WAREHOUSE } from '../common/tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** What happened to one write request. */
export type StoreOutcome = { kind: 'stored'; ids: string[]; inserted: number } | { kind: 'conflict'; id: string };

/** A statement ready to store, and whether its timestamp came from the client (it matters for "same statement"). */
export interface PendingStatement {
  statement: StoredStatement;
  timestampSent: boolean;
}

export interface FoundStatement {
  statement: StoredStatement;
  voided: boolean;
}

/**
 * Statements in ClickHouse. Writes go through the group-commit buffer, whose single writer is also where
 * duplicate ids are settled: it sees every write in order, so two concurrent requests with the same id can never
 * both insert it (same content: the second is a no-op; different content: 409).
 */
@Injectable()
export class StatementRepository implements OnApplicationShutdown {
  private readonly buffer: GroupCommitBuffer<PendingStatement, StoreOutcome>;
  /** `stored` instants (ms) of requests handed to the buffer and not yet answered, for Consistent-Through. */
  private readonly pendingStored = new Map<symbol, number>();

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(ENV) env: Env,
    private readonly metrics: MetricsService,
  ) {
    this.buffer = new GroupCommitBuffer(
      (requests) => this.writeGroup(requests),
      {
        maxBatchRows: env.INSERT_BATCH_ROWS,
        maxWaitMs: env.INSERT_WAIT_MS,
        maxPendingRows: env.INSERT_MAX_PENDING_ROWS,
      },
      (rows, ms) => metrics.recordWrite(rows, ms),
    );
  }

  /** Stores one request's statements atomically; resolves once they are durably written. */
  async store(statements: PendingStatement[], stored: Date): Promise<StoreOutcome> {
    const token = Symbol('request');
    this.pendingStored.set(token, stored.getTime());
    this.metrics.pendingRows.set(this.buffer.pendingRows + statements.length);
    try {
      return await this.buffer.submit(statements);
    } finally {
      this.pendingStored.delete(token);
      this.metrics.pendingRows.set(this.buffer.pendingRows);
    }
  }

  /**
   * The latest instant up to which every statement is visible to queries: just before the oldest statement still
   * on its way to ClickHouse, or now when none is.
   */
  consistentThrough(): Date {
    let oldest = Infinity;
    for (const t of this.pendingStored.values()) if (t < oldest) oldest = t;
    return new Date(oldest === Infinity ? Date.now() : oldest - 1);
  }

  async findById(id: string): Promise<FoundStatement | null> {
    // Step 1 reads the by_id projection; step 2 reads the row through the primary key (stored, id).
    const keys = await queryRows<{ stored: string; verb_id: string }>(
      this.warehouse.client,
      `SELECT stored, verb_id FROM ${TABLES.statements} WHERE id = {id:UUID} LIMIT 1`,
      { id },
    );
    const key = keys[0];
    if (!key) return null;
    const rows = await queryRows<{ raw: string; voided: number }>(
      this.warehouse.client,
      `SELECT raw, (SELECT count() FROM ${TABLES.voids} WHERE target_id = {id:UUID}) > 0 AS voided
       FROM ${TABLES.statements} WHERE stored = {stored:DateTime64(3, 'UTC')} AND id = {id:UUID} LIMIT 1`,
      { id, stored: key.stored },
    );
    const row = rows[0];
    if (!row) return null;
    // A voiding statement cannot itself be voided (Data 2.3.2).
    return {
      statement: JSON.parse(row.raw) as StoredStatement,
      voided: Boolean(row.voided) && key.verb_id !== VOIDED_VERB,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.buffer.close();
  }

  private async writeGroup(requests: readonly (readonly PendingStatement[])[]): Promise<StoreOutcome[]> {
    const existing = await this.existingStatements(requests.flat().map((p) => p.statement.id));
    const rows: ReturnType<typeof statementToRow>[] = [];
    const outcomes = requests.map((pending): StoreOutcome => {
      const fresh: StoredStatement[] = [];
      for (const { statement: s, timestampSent } of pending) {
        const previous = existing.get(s.id);
        // A timestamp the client did not send was assigned here, so it cannot make the statements differ.
        const incoming = timestampSent ? s : { ...s, timestamp: undefined };
        if (previous === undefined) fresh.push(s);
        else if (!isSameStatement(asJson(previous), asJson(incoming))) return { kind: 'conflict', id: s.id };
      }
      for (const s of fresh) {
        existing.set(s.id, s);
        rows.push(statementToRow(s));
      }
      return { kind: 'stored', ids: pending.map((p) => p.statement.id), inserted: fresh.length };
    });
    if (rows.length > 0) {
      await this.warehouse.client.insert({ table: TABLES.statements, values: rows, format: 'JSONEachRow' });
    }
    return outcomes;
  }

  /** The stored statements among `ids` (usually none: the by_id projection answers that cheaply). */
  private async existingStatements(ids: string[]): Promise<Map<string, StoredStatement>> {
    const found = new Map<string, StoredStatement>();
    if (ids.length === 0) return found;
    const present = await queryRows<{ id: string }>(
      this.warehouse.client,
      `SELECT id FROM ${TABLES.statements} WHERE id IN {ids:Array(UUID)}`,
      { ids },
    );
    if (present.length === 0) return found;
    const rows = await queryRows<{ id: string; raw: string }>(
      this.warehouse.client,
      `SELECT id, raw FROM ${TABLES.statements} WHERE id IN {ids:Array(UUID)}`,
      { ids: present.map((r) => r.id) },
    );
    for (const r of rows) found.set(r.id, JSON.parse(r.raw) as StoredStatement);
    return found;
  }
}

function asJson(s: object): Record<string, unknown> {
  return s as Record<string, unknown>;
}
