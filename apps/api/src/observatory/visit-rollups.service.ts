import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type RefreshResult, refreshVisitRollups } from '@ent-observatory/indicators';
import type { Warehouse } from '@ent-observatory/warehouse';
import { WAREHOUSE } from '../common/tokens.js';
import { dataGeneration } from '../common/data-generation.js';

/** How often the background catch-up looks for new statements. */
const INTERVAL_MS = 2_000;

/**
 * Keeps the person-free visit rollups (visit_cube, visit_starts: libs/indicators visit-rollup.ts) up to date with
 * the statements: a background catch-up every 2 s after this process wrote statements (LRS inserts, journal moves,
 * erasure bump the data generation), and `settle()` before every view, so a view never reads rollups older than
 * the statements this process acknowledged (read-your-writes). A catch-up starts with the module, for statements
 * written while the API was down (CLI imports, another process).
 */
@Injectable()
export class VisitRollupsService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('VisitRollups');
  /** Data generation the rollups were last brought up to; null: never (catch up on first use). */
  private settled: number | null = null;
  private current: Promise<RefreshResult> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  onModuleInit(): void {
    // Catch up at start-up in the background (statements written while the API was down, or every month after
    // migration 040 on existing data), so the first view does not wait for it from the beginning.
    void this.settle().catch((e) => this.log.error(`catch-up failed: ${e}`));
    this.timer = setInterval(() => {
      if (this.settled !== dataGeneration()) this.settle().catch((e) => this.log.error(`catch-up failed: ${e}`));
    }, INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.current?.catch(() => undefined);
  }

  /**
   * Brings the rollups up to the statements this process had written when called (waits for a catch-up already
   * running, then runs one if writes happened since): a view waits for at most the months written before it.
   */
  async settle(): Promise<void> {
    const target = dataGeneration();
    while (this.settled === null || this.settled < target) {
      if (this.current) {
        await this.current;
        continue;
      }
      const generation = dataGeneration();
      this.current = refreshVisitRollups(this.warehouse);
      try {
        const { months, milliseconds } = await this.current;
        this.settled = generation;
        if (months.length > 0) this.log.debug(`${months.length} month(s) recomputed in ${milliseconds.toFixed(0)} ms`);
      } finally {
        this.current = null;
      }
    }
  }
}
