import { Injectable } from '@nestjs/common';
import type { WriteNotes } from '@ent-observatory/lrs';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of the process: one registry per app instance so tests can start several. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly statementsReceived = new Counter({
    name: 'xapi_statements_received_total',
    help: 'Statements received in write requests, valid or not',
    registers: [this.registry],
  });
  readonly statementsStored = new Counter({
    name: 'xapi_statements_stored_total',
    help: 'Statements durably written (duplicates of stored statements excluded)',
    registers: [this.registry],
  });
  readonly statementsRejected = new Counter({
    name: 'xapi_statements_rejected_total',
    help: 'Statements in rejected write requests, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly unknownUai = new Counter({
    name: 'ent_statements_unknown_uai_total',
    help: 'Statements stored with a UAI the directory does not know (stored and flagged uai_known = 0)',
    registers: [this.registry],
  });
  readonly outsideProfile = new Counter({
    name: 'ent_statements_outside_profile_total',
    help: 'Statements stored that name no ENT service of the profile (counted under service "autre")',
    registers: [this.registry],
  });
  readonly profileViolations = new Counter({
    name: 'ent_statements_profile_violations_total',
    help: 'Follow-up statements stored that break a rule of the profile (left out of the follow-up figures), by rule',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  readonly insertBatchRows = new Histogram({
    name: 'clickhouse_insert_batch_rows',
    help: 'Rows per group-commit insert into ClickHouse',
    buckets: [1, 10, 50, 100, 500, 1000, 2500, 5000, 10000, 50000],
    registers: [this.registry],
  });
  readonly insertSeconds = new Histogram({
    name: 'clickhouse_insert_duration_seconds',
    help: 'Duration of one group-commit write (duplicate check + insert)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly pendingRows = new Gauge({
    name: 'insert_buffer_pending_rows',
    help: 'Rows accepted and not yet written',
    registers: [this.registry],
  });

  readonly quarantinedRows = new Gauge({
    name: 'lrs_journal_quarantined_rows',
    help: 'Acknowledged statements ClickHouse refused, held in DATA_DIR/journal/quarantine (alert when above 0)',
    registers: [this.registry],
  });
  readonly quarantinedTotal = new Counter({
    name: 'lrs_journal_quarantined_total',
    help: 'Acknowledged statements set aside in quarantine by this process',
    registers: [this.registry],
  });
  readonly journalMoveFailures = new Counter({
    name: 'lrs_journal_move_failures_total',
    help: 'Failed moves of journaled statements into ClickHouse (retried; the statements stay journaled)',
    registers: [this.registry],
  });
  readonly recoveryRepairs = new Counter({
    name: 'lrs_recovery_repairs_total',
    help: 'Tables found out of step with statements after a crash, for the replayed journal, and rewritten at start',
    labelNames: ['table'],
    registers: [this.registry],
  });
  /** Where lrs_journal_pending_rows is read at each scrape (the statement repository sets it). */
  journalPending: (() => number) | undefined;
  readonly journalPendingRows = new Gauge({
    name: 'lrs_journal_pending_rows',
    help: 'Acknowledged statements in the journal, not yet moved into ClickHouse',
    registers: [this.registry],
    // Read when scraped: set at each write only, it kept the last write's count after the journal had moved it.
    collect: () => {
      if (this.journalPending) this.journalPendingRows.set(this.journalPending());
    },
  });

  /** Where lrs_prepare_threads is read at each scrape (the statement preparer sets it when it starts them). */
  prepareThreads: (() => number) | undefined;
  readonly prepareThreadsRunning = new Gauge({
    name: 'lrs_prepare_threads',
    help: 'Statement preparation threads running (0 until the first batch of 16 kB or more starts them)',
    registers: [this.registry],
    collect: () => {
      this.prepareThreadsRunning.set(this.prepareThreads?.() ?? 0);
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Counts what the statements just written say: unknown UAIs and services outside the profile (enrichment), and
   * the follow-up statements that break the profile (docs/xapi-profile.md, the rules).
   */
  recordWritten(notes: readonly WriteNotes[]): void {
    let unknown = 0;
    let outside = 0;
    for (const n of notes) {
      if (n.unknownUai) unknown += 1;
      if (n.outsideProfile) outside += 1;
      if (n.profileRule !== '') this.profileViolations.inc({ rule: n.profileRule });
    }
    if (unknown > 0) this.unknownUai.inc(unknown);
    if (outside > 0) this.outsideProfile.inc(outside);
  }

  /** What the statement journal reports (JournalMetrics). */
  readonly journal = {
    quarantined: (held: number, added: number): void => {
      this.quarantinedRows.set(held);
      if (added > 0) this.quarantinedTotal.inc(added);
    },
    moveFailed: (): void => this.journalMoveFailures.inc(),
    repaired: (table: string): void => this.recoveryRepairs.inc({ table }),
  };

  recordWrite(rows: number, ms: number): void {
    this.insertBatchRows.observe(rows);
    this.insertSeconds.observe(ms / 1000);
  }
}
