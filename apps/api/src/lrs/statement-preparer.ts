import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { LrsException, type PendingStatement, parseJson, prepareWrite } from '@ent-observatory/lrs';
import type { EstablishmentTerritory, PrepareContext, PseudonymKey } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import { ENV, LOGGER } from '../common/tokens.js';
import { WorkerPool, threadScript } from '../common/worker-pool.js';
import type { Env } from '../config/env.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { DirectorySnapshotService } from '../enrichment/directory-snapshot.service.js';
import { EnrichmentService, PSEUDONYM_KEY } from '../enrichment/enrichment.service.js';
import { type PrepareJob, type PrepareSetup, type ThreadPrepared, unpackPending } from './prepare-thread.js';

/**
 * Bodies from this size up are prepared on a thread: below it (a single statement is 1–2 kB) handing the body over
 * and back costs about what preparing it here does (single statements on the thread gained nothing and cost more
 * CPU: bench/results/ingest-threads-2026-12-06.md).
 */
export const THREAD_MIN_BYTES = 16 * 1024;

/** A write request's statements counted, and prepared or refused with the error the client gets. */
export interface Prepared {
  count: number;
  outcome: PendingStatement[] | LrsException;
}

/**
 * Checks a write request's statements and makes their rows, on the API's preparation threads for large JSON
 * bodies (XAPI_PREPARE_THREADS) and in the request otherwise. Parsing, validation, enrichment and the journal line
 * are most of a statement's JavaScript: on threads they use the cores the main thread cannot, and their garbage
 * stays in the threads' heaps. Both paths run `prepareWrite`, so they answer alike.
 */
@Injectable()
export class StatementPreparer implements OnApplicationShutdown {
  private pool: WorkerPool<PrepareJob, ThreadPrepared, [string, EstablishmentTerritory][]> | undefined;
  private poolTried = false;
  /** The snapshot the threads hold: a newer one is sent before the next job. */
  private threadsSnapshot: ReadonlyMap<string, EstablishmentTerritory> | undefined;

  constructor(
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(PSEUDONYM_KEY) private readonly key: PseudonymKey,
    @Inject(DirectorySnapshotService) private readonly snapshots: DirectorySnapshotService,
    @Inject(EnrichmentService) private readonly enrichment: EnrichmentService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  /** Whether a JSON body of this size goes to a thread. */
  onThread(bytes: Buffer): boolean {
    return bytes.length >= THREAD_MIN_BYTES && (this.threads()?.size ?? 0) > 0;
  }

  /** A JSON body (unparsed) prepared on a thread: `onThread` said yes. */
  async onThreads(bytes: Buffer, ctx: PrepareContext): Promise<Prepared> {
    const pool = this.threads() as NonNullable<typeof this.pool>;
    const current = this.snapshots.current;
    if (current !== this.threadsSnapshot) {
      pool.update([...current]);
      this.threadsSnapshot = current;
    }
    // The body is copied once into a buffer of its own, which is then moved: a request's chunks share pooled memory.
    const body = new Uint8Array(bytes);
    const answer = await pool.run({ body, ctx: { ...ctx, stored: ctx.stored.getTime() } }, [body.buffer]);
    if ('error' in answer) {
      return {
        count: answer.count,
        outcome: new LrsException(answer.error.code, answer.error.message, answer.error.details),
      };
    }
    return { count: answer.count, outcome: unpackPending(answer.packed) };
  }

  /** A body prepared here: already parsed (PUT, multipart, a cmi5 session's checks), or `bytes` to parse. */
  here(body: { parsed: unknown } | { bytes: Buffer }, multipart: boolean, ctx: PrepareContext): Prepared {
    let count = 0;
    try {
      const value = 'parsed' in body ? body.parsed : parseJson(body.bytes, 'the body');
      count = Array.isArray(value) ? value.length : 1;
      return { count, outcome: prepareWrite(value, multipart, ctx, (s) => this.enrichment.row(s)) };
    } catch (e) {
      if (!(e instanceof LrsException)) throw e;
      return { count, outcome: e };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }

  /** The threads, started at the first large body (most processes, and most tests, never need them). */
  private threads(): typeof this.pool {
    if (this.poolTried) return this.pool;
    this.poolTried = true;
    const size = this.env.XAPI_PREPARE_THREADS;
    if (size === 0) return undefined;
    const script = threadScript(import.meta.url, 'prepare-worker');
    if (!script) {
      this.logger.warn(
        'statement preparation threads: prepare-worker.js not found (build the server); preparing in requests',
      );
      return undefined;
    }
    const current = this.snapshots.current;
    const setup: PrepareSetup = { keySecret: this.key.secret.export(), snapshot: [...current] };
    this.pool = new WorkerPool(script, size, setup, 'a statement preparation thread', (failure, replaced) =>
      replaced
        ? this.logger.warn(
            { failure },
            'a statement preparation thread died; its batches failed (500) and it was replaced',
          )
        : this.logger.error(
            { failure, running: this.pool?.size },
            'a statement preparation thread died and could not be replaced; when none runs, batches are prepared in the requests',
          ),
    );
    this.metrics.prepareThreads = () => this.pool?.size ?? 0;
    this.threadsSnapshot = current;
    return this.pool;
  }
}
