import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type Announcement, type Warehouse, announce, presentHolders } from '@ent-observatory/warehouse';
import { Gauge } from 'prom-client';
import { WAREHOUSE } from '../common/tokens.js';
import { MetricsService } from '../metrics/metrics.service.js';

/**
 * The claims every API instance keeps in ClickHouse's `leases` table while it accepts statements (an embedded store's,
 * which one process alone can open, in that process: libs/warehouse lease.ts).
 */
export const WRITER_PRESENCE = 'lrs-writer';

/**
 * The LRS has one writer per database: duplicate-id checks (the group-commit buffer) and the journal are per
 * process, so two API instances writing statements to one ClickHouse could both accept two different statements
 * with the same id (docs/operations.md, "Several processes on one database"). Each instance announces itself in
 * ClickHouse for as long as it runs; a second one is logged at error level as it starts, counted in /metrics
 * (`lrs_writers`: alert above 1) and reported by /health (`status: degraded`).
 */
@Injectable()
export class WriterPresenceService implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('LrsWriters');
  private readonly holder = `api:${hostname()}:${process.pid}`;
  private announcement: Announcement | undefined;

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    const count = () => this.writers();
    new Gauge({
      name: 'lrs_writers',
      help: 'API instances accepting statements on this ClickHouse database (one expected: alert above 1)',
      registers: [metrics.registry],
      async collect() {
        this.set(await count());
      },
    });
  }

  async onModuleInit(): Promise<void> {
    this.announcement = announce(this.warehouse, WRITER_PRESENCE, this.holder);
    await this.announcement.ready;
    const others = (await presentHolders(this.warehouse, WRITER_PRESENCE)).filter((h) => h !== this.holder);
    if (others.length > 0)
      this.log.error(
        `another API instance accepts statements on this database (${others.join(', ')}): duplicate statement ids ` +
          'are checked per instance, run one writer per database (docs/operations.md)',
      );
  }

  async onModuleDestroy(): Promise<void> {
    await this.announcement?.stop();
  }

  /** How many API instances accept statements on this database now. */
  async writers(): Promise<number> {
    return (await presentHolders(this.warehouse, WRITER_PRESENCE)).length;
  }
}
