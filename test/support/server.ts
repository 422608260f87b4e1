import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Store } from '@ent-observatory/store';
import type { Logger } from 'pino';
import type { Warehouse } from '@ent-observatory/warehouse';
import { StatementRepository } from '@ent-observatory/lrs';
import { createApp } from '../../apps/api/src/app.js';
import { createLogger } from '../../apps/api/src/common/logger.js';
import { STORE, WAREHOUSE } from '../../apps/api/src/common/tokens.js';
import { loadEnv } from '../../apps/api/src/config/env.js';
import { VisitRollupsService } from '../../apps/api/src/observatory/visit-rollups.service.js';
import { workerDataDir } from './paths.js';
import { resetWarehouse } from './warehouse.js';

export const LRS_KEY = 'test-key';
export const LRS_SECRET = 'test-secret-123';
export const ADMIN_EMAIL = 'admin@observatoire.test';
export const ADMIN_PASSWORD = 'admin-password-123';
/** /metrics answers only with this bearer token (METRICS_TOKEN); see scrapeMetrics. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

export interface TestServer {
  url: string;
  app: NestFastifyApplication;
  warehouse: Warehouse;
  store: Store;
  /** Moves journaled statements into `statements`, so direct reads of that table see every acknowledged write. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real application on a random port, on this worker's embedded ClickHouse and on PGlite (or on the PostgreSQL
 * server when DATABASE_URL is set), with empty statement tables.
 */
export async function startServer(
  env: Record<string, string> = {},
  options: { keepData?: boolean; logger?: Logger } = {},
): Promise<TestServer> {
  const config = loadEnv({
    DATA_DIR: workerDataDir(),
    PORT: '0',
    LOG_LEVEL: 'silent',
    LRS_BOOTSTRAP_CREDENTIAL: `${LRS_KEY}:${LRS_SECRET}`,
    ADMIN_BOOTSTRAP: `${ADMIN_EMAIL}:${ADMIN_PASSWORD}`,
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    METRICS_TOKEN,
    // Tests read their own writes: a view waits for the recomputation however loaded the machine (the freshness
    // test sets a short wait).
    ROLLUP_WAIT_MS: '60000',
    // Fixed-date fixtures: retention off unless the test sets it (global-setup.ts).
    STATEMENT_RETENTION_MONTHS: '0',
    PERSON_ROLLUP_RETENTION_MONTHS: '0',
    ...env,
  });
  const app = await createApp(config, options.logger ?? createLogger(config.LOG_LEVEL));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const warehouse = app.get<Warehouse>(WAREHOUSE);
  if (!options.keepData) {
    // The start-up catch-up of the visit rollups reads what the previous test file left: let it end before the
    // tables are emptied, or it swaps that file's months back in afterwards.
    await app.get(VisitRollupsService).settle();
    await resetWarehouse(warehouse);
  }
  const repository = app.get(StatementRepository);
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    warehouse,
    store: app.get<Store>(STORE),
    settle: () => repository.journal.moveNow(),
    close: () => app.close(),
  };
}

/** The Prometheus text of a test server's /metrics. */
export async function scrapeMetrics(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

export function basicAuth(key = LRS_KEY, secret = LRS_SECRET): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

/** Headers of a well-formed xAPI JSON request. */
export function xapiHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return {
    Authorization: basicAuth(),
    'X-Experience-API-Version': '1.0.3',
    'Content-Type': 'application/json',
    ...extra,
  };
}
