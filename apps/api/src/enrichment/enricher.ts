import { loadDirectorySnapshot } from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import { type StatementRow, type StoredStatement, createPseudonymKey, enrichedRow } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import { resolvePseudonymizationKey } from './pseudonymization-key.js';

/**
 * Enrichment outside the server (CLI commands that write statements): the same key resolution and the same
 * directory snapshot as the server's EnrichmentService, loaded once.
 */
export async function openEnricher(
  env: Pick<Env, 'PSEUDONYMIZATION_KEY' | 'DATA_DIR'>,
  store: Store,
  logger: Logger,
): Promise<(statement: StoredStatement) => StatementRow> {
  const key = createPseudonymKey(resolvePseudonymizationKey(env, logger));
  const facts = await loadDirectorySnapshot(store);
  const snapshot = new Map([...facts].map(([uai, f]) => [uai.toUpperCase(), f]));
  return (statement) => enrichedRow(statement, { snapshot, key });
}
