import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import { lockJournal } from '@ent-observatory/lrs';
import { openRelational, openWarehouse } from '../common/stores.js';
import type { Env } from '../config/env.js';
import { CommandFailed } from './command.js';

export interface CliStores {
  store: Store;
  warehouse: Warehouse;
  close(): Promise<void>;
}

/**
 * The server's stores, from the same environment, migrated. Embedded chdb and PGlite data directories can be
 * opened by one process at a time, so in embedded mode the CLI takes DATA_DIR's lock like the server does: it
 * refuses to run while the server is up (and the server refuses to start while the CLI runs).
 */
export async function openCliStores(env: Env): Promise<CliStores> {
  if (!env.DATABASE_URL || !env.CLICKHOUSE_URL) {
    try {
      lockJournal(env.DATA_DIR);
    } catch (e) {
      throw new CommandFailed(
        `${(e as Error).message}. Embedded stores (no DATABASE_URL/CLICKHOUSE_URL) open in one process at a time: stop the server, then run the command again.`,
      );
    }
  }
  const { warehouse } = await openWarehouse(env);
  const { store } = await openRelational(env);
  return {
    store,
    warehouse,
    close: async () => {
      await warehouse.client.close();
      await store.close();
    },
  };
}
