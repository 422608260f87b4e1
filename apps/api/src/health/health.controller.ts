import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import type { FastifyReply } from 'fastify';
import { StatementRepository } from '@ent-observatory/lrs';
import { STORE, WAREHOUSE } from '../common/tokens.js';
import { Public } from '../auth/access.js';
import { WriterPresenceService } from '../lrs/writer-presence.service.js';

interface Check {
  status: 'up' | 'down';
  mode: string;
  error?: string;
}

/**
 * Liveness of both stores: 200 when both answer, 503 naming the one that does not. `degraded` (still 200): another
 * API instance accepts statements on the same ClickHouse database (`lrs.writers` above 1; one writer per database).
 * `lrs.pending`: statements this instance acknowledged that ClickHouse does not hold yet (its journal), so that a
 * loader knows when what it posted shows in the figures (the demo waits for 0).
 */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(STORE) private readonly store: Store,
    @Inject(WriterPresenceService) private readonly writers: WriterPresenceService,
    @Inject(StatementRepository) private readonly statements: StatementRepository,
  ) {}

  @Get()
  async health(@Res() res: FastifyReply): Promise<void> {
    const [clickhouse, postgres] = await Promise.all([
      check(this.warehouse.mode, async () => {
        const r = await this.warehouse.client.ping();
        if (!r.success) throw r.error;
      }),
      check(this.store.mode, async () => void (await this.store.query('SELECT 1'))),
    ]);
    const up = clickhouse.status === 'up' && postgres.status === 'up';
    if (!up) return void res.status(503).send({ status: 'down', clickhouse, postgres });
    const writers = await this.writers.writers();
    const lrs = { writers, pending: this.statements.acknowledgedNotVisible };
    void res.status(200).send({ status: writers > 1 ? 'degraded' : 'up', clickhouse, postgres, lrs });
  }
}

/** Where each store lives is not reported: /health is public, paths and URLs are for the logs. */
async function check(mode: string, probe: () => Promise<void>): Promise<Check> {
  try {
    await probe();
    return { status: 'up', mode };
  } catch (e) {
    return { status: 'down', mode, error: (e as Error).message };
  }
}
