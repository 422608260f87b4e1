import type { Store } from '@ent-observatory/store';
import { type Announcement, type Warehouse, announce, presentHolders } from '@ent-observatory/warehouse';
import { hostname } from 'node:os';
import { lockJournal } from '@ent-observatory/lrs';
import { WRITER_PRESENCE } from '../lrs/writer-presence.service.js';
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

/**
 * For a command that writes what an API's writer assumes it alone writes (statements with their duplicate check, the
 * visit rollups whole): refuses while an LRS writer is present on the database (the error says `whatToDo`), then
 * announces the command as one for as long as it runs, so that an API starting meanwhile logs an error and
 * lrs_writers counts it. Stop the announcement when done.
 */
export async function asOnlyWriter(w: Warehouse, command: string, whatToDo: string): Promise<Announcement> {
  const writers = await presentHolders(w, WRITER_PRESENCE);
  if (writers.length > 0) {
    throw new CommandFailed(`an LRS writer is running on this database (${writers.join(', ')}): ${whatToDo}`);
  }
  const presence = announce(w, WRITER_PRESENCE, `${command}:${hostname()}:${process.pid}`);
  await presence.ready;
  return presence;
}
