import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type EstablishmentFacts, loadDirectorySnapshot } from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import type { Logger } from 'pino';
import { LOGGER, STORE } from '../common/tokens.js';

/**
 * How often the server checks whether the directory changed under it (count and latest updated_at of the
 * establishments: one indexed aggregate). Imports through the admin page refresh at once; this catches a
 * `directory:import` run by the CLI in another process against the same PostgreSQL server. A minute is short next
 * to how often the directory changes (a few imports a year) and costs nothing.
 */
export const DIRECTORY_POLL_MS = 60_000;

/**
 * The directory in memory, by UAI, for enrichment at ingest: no database round trip per statement. Loaded before
 * the LRS accepts statements, reloaded after each admin import and when the poll sees a change.
 */
@Injectable()
export class DirectorySnapshotService implements OnModuleInit, OnApplicationShutdown {
  private snapshot: ReadonlyMap<string, EstablishmentFacts> = new Map();
  private stamp = '';
  private loading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private firstLoad: Promise<void> | undefined;

  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Resolves once the first snapshot is loaded, starting the load if needed: whichever init hook asks first (this
   * service's, or the statement repository's before journal recovery) does not depend on Nest's hook order.
   */
  ready(): Promise<void> {
    this.firstLoad ??= this.refresh();
    return this.firstLoad;
  }

  /** The latest snapshot (UAI in upper case → facts). */
  get current(): ReadonlyMap<string, EstablishmentFacts> {
    return this.snapshot;
  }

  async onModuleInit(): Promise<void> {
    await this.ready();
    this.timer = setInterval(
      () =>
        void this.refreshIfChanged().catch((e: unknown) =>
          this.logger.error({ err: e }, 'directory snapshot refresh failed; enrichment keeps the previous one'),
        ),
      DIRECTORY_POLL_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reloads the snapshot (after an import). Concurrent calls share one load that starts after the call. */
  async refresh(): Promise<void> {
    const previous = this.loading ?? Promise.resolve();
    const load = previous
      .catch(() => undefined)
      .then(async () => {
        const stamp = await this.readStamp();
        const facts = await loadDirectorySnapshot(this.store);
        this.snapshot = new Map([...facts].map(([uai, f]) => [uai.toUpperCase(), f]));
        this.stamp = stamp;
        this.logger.info({ establishments: this.snapshot.size }, 'directory snapshot loaded for enrichment');
      });
    this.loading = load;
    try {
      await load;
    } finally {
      if (this.loading === load) this.loading = undefined;
    }
  }

  /** Reloads only when the establishments changed since the last load. */
  async refreshIfChanged(): Promise<boolean> {
    if ((await this.readStamp()) === this.stamp) return false;
    await this.refresh();
    return true;
  }

  private async readStamp(): Promise<string> {
    const [row] = await this.store.query<{ n: string; at: string | null }>(
      `SELECT count(*)::text AS n, max(updated_at)::text AS at FROM establishments`,
    );
    return `${row?.n ?? 0}|${row?.at ?? ''}`;
  }
}
