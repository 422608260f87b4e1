import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit, Optional } from '@nestjs/common';
import { type RefreshResult, refreshVisitRollups, rollupsAsOf } from '@ent-observatory/indicators';
import { StatementRepository } from '@ent-observatory/lrs';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { Env } from '../config/env.js';
import { ENV, WAREHOUSE } from '../common/tokens.js';
import { dataGeneration } from '../common/data-generation.js';

/** How often the background catch-up looks for new statements (this process's, and other processes'). */
const INTERVAL_MS = 2_000;
/** The longest a background catch-up waits after the last one (ROLLUP_IDLE_FACTOR × its duration otherwise). */
const MAX_IDLE_MS = 20_000;
/**
 * How long what the last catch-up or check of this process found stays what a view reports without reading it
 * again: two background intervals, so that on an idle API the views read nothing of it.
 */
const KNOWN_FOR_MS = 2 * INTERVAL_MS;

/** What a view knows of the rollups it reads: how fresh, and which local catch-up it saw. */
export interface RollupState {
  /** Every statement in `statements` before this instant (ISO, UTC) is counted; null: some never computed yet. */
  asOf: string | null;
  /** Bumped each time a catch-up of this process moved counted days in: a cache key part. */
  version: number;
}

/**
 * Keeps the visit rollups (visit_person, visit_cube, visit_starts: libs/indicators visit-rollup.ts) up to date
 * with the statements: a catch-up every 2 s when statements were written, by this process (LRS inserts, journal
 * moves, erasure bump the data generation) or by another one on the same database (person-days marked), and one at
 * start-up; in the background, never sooner after the last one than ROLLUP_IDLE_FACTOR times its duration, and
 * counting on ROLLUP_MAX_THREADS ClickHouse threads: either way leaving the cores to the inserts under a steady flow.
 * Catch-ups run under a lease held in ClickHouse, one at a time among every process (on an embedded store, which one
 * process alone can open, in this process: libs/warehouse lease.ts).
 *
 * A view never waits long for it: `current()` waits for the catch-up of this process's writes at most
 * ROLLUP_WAIT_MS, then the view reads the last complete state and says how fresh it is (meta.asOf).
 */
@Injectable()
export class VisitRollupsService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('VisitRollups');
  /** Data generation the rollups were last brought up to; null: never (catch up on first use). */
  private settled: number | null = null;
  private running: Promise<RefreshResult> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private version = 0;
  /** No background catch-up starts before this instant (ms): see ROLLUP_IDLE_FACTOR. */
  private notBefore = 0;
  private readonly stop = new AbortController();
  private readonly holder = `api:${hostname()}:${process.pid}`;
  /**
   * The latest freshness a catch-up or check of this process found, and when. Still true later: what was counted
   * stays counted (an erasure removes the person's statements too), and it was never later than this process's
   * Consistent-Through, so a statement still in the journal then is after it.
   */
  private known: { asOf: string; at: number } | undefined;

  /**
   * Consistent-Through of this process's LRS: a statement it acknowledged is in `statements` only once its journal
   * generation is moved, so no freshness said here is later than it (absent outside the API: benchmarks).
   */
  private readonly acknowledgedThrough: (() => number) | undefined;

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(ENV) private readonly env: Env,
    @Optional() @Inject(StatementRepository) statements?: StatementRepository,
  ) {
    this.acknowledgedThrough = statements ? () => statements.consistentThrough().getTime() : undefined;
  }

  onModuleInit(): void {
    // Catch up at start-up in the background (statements written while the API was down, or the whole store after
    // migration 058), so the first view does not wait for it from the beginning.
    this.background(this.settle());
    this.timer = setInterval(() => {
      if (Date.now() < this.notBefore) return;
      if (this.settled !== dataGeneration()) this.background(this.settle());
      // Another process's writes: its days are marked in the database (a cheap read when none are).
      else if (!this.running) this.background(this.refresh());
    }, INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.stop.abort();
    await this.running?.catch(() => undefined);
  }

  /**
   * Brings the rollups up to the statements this process had written when called (waits for a catch-up already
   * running, then runs one if writes happened since), however long that takes.
   */
  async settle(): Promise<RefreshResult | null> {
    const target = dataGeneration();
    let last: RefreshResult | null = null;
    while (this.settled === null || this.settled < target) {
      if (this.running) {
        await this.running;
        continue;
      }
      const generation = dataGeneration();
      last = await this.refresh();
      this.settled = generation;
    }
    // The catch-up (of this call) that brought the rollups up to the target; null when none was needed.
    return last;
  }

  /**
   * What a view reads: waits for the catch-up of this process's writes at most ROLLUP_WAIT_MS (a large arrival
   * takes longer, or it waits for another process's), then tells how fresh the rollups are.
   * A catch-up that fails within the wait fails the view; one still running goes on in the background.
   */
  async current(): Promise<RollupState> {
    const settling = this.settle();
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<null>((r) => (timer = setTimeout(() => r(null), this.env.ROLLUP_WAIT_MS)));
    let settled: RefreshResult | null = null;
    try {
      settled = await Promise.race([settling, waited]);
    } finally {
      clearTimeout(timer);
      this.background(settling);
    }
    // A catch-up that just ended knows how fresh it left the rollups, and so does one or a check of the last few
    // seconds (the background's, every 2 s): one read fewer before the view's own.
    if (settled) return { asOf: settled.asOf, version: this.version };
    const known = this.known;
    if (known && Date.now() - known.at <= KNOWN_FOR_MS) return { asOf: known.asOf, version: this.version };
    return { asOf: await rollupsAsOf(this.warehouse, this.acknowledgedThrough), version: this.version };
  }

  private async refresh(): Promise<RefreshResult> {
    const run = refreshVisitRollups(this.warehouse, {
      holder: this.holder,
      signal: this.stop.signal,
      maxThreads: this.env.ROLLUP_MAX_THREADS,
      acknowledgedThrough: this.acknowledgedThrough,
    });
    this.running = run;
    try {
      const result = await run;
      // ISO instants of one format compare as strings. A later check may report an earlier instant (a catch-up's
      // start less its margin): the later instant was true, and stays so.
      if (!this.known || result.asOf >= this.known.asOf) this.known = { asOf: result.asOf, at: Date.now() };
      else this.known.at = Date.now();
      // Under a steady flow each catch-up takes long: back to back, they would take the cores the inserts need.
      this.notBefore = Date.now() + Math.min(this.env.ROLLUP_IDLE_FACTOR * result.milliseconds, MAX_IDLE_MS);
      if (result.days.length > 0) {
        this.version++;
        this.log.debug(`${result.days.length} day(s) counted in ${result.milliseconds.toFixed(0)} ms`);
      }
      return result;
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  private background(work: Promise<unknown>): void {
    work.catch((e: unknown) => {
      if (!this.stop.signal.aborted) this.log.error(`catch-up failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
