/**
 * Group commit: requests hand in their rows and wait; the buffer writes the rows of many requests as one insert
 * and answers each request only once that insert has completed. Many small requests become few large inserts,
 * which is what ClickHouse (and chdb) are fast at: a 100-row insert costs about as much as a 1,000-row one.
 *
 * - A request's rows are never split across two writes, so a request is stored entirely or not at all.
 * - At most `maxConcurrentWrites` writes run at once: an fsynced insert mostly waits on the disk, so a second one
 *   overlaps it; the writer is responsible for ordering writes that must not overlap.
 * - Memory is bounded: when `maxPendingRows` are waiting, further requests wait for room (backpressure); nothing
 *   is ever dropped.
 */
export interface GroupCommitOptions {
  /** Rows per write. Large enough to reach ClickHouse's bulk speed; beyond ~10k rows the gain flattens. */
  maxBatchRows: number;
  /** How long the first waiting request may wait for company before a write starts. Bounds added latency. */
  maxWaitMs: number;
  /** Rows held in memory (waiting + being written) before new requests must wait. */
  maxPendingRows: number;
  /** Writes in flight at once. */
  maxConcurrentWrites: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxBatchRows: 10_000,
  maxWaitMs: 5,
  maxPendingRows: 100_000,
  maxConcurrentWrites: 2,
};

/**
 * Writes one group of requests. Returns one outcome per request, in order; throwing fails every request of the
 * group (none of them is acknowledged).
 */
export type GroupWriter<T, R> = (requests: readonly (readonly T[])[]) => Promise<R[]>;

interface Pending<T, R> {
  rows: readonly T[];
  resolve: (outcome: R) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitStats {
  writes: number;
  rowsWritten: number;
}

export class GroupCommitBuffer<T, R> {
  private queue: Pending<T, R>[] = [];
  private queuedRows = 0;
  private inFlightRows = 0;
  private activeWrites = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Requests waiting for room, first come first served: a large one is not overtaken forever by small ones. */
  private waitingForRoom: { rows: number; admit: () => void }[] = [];
  /** Rows of requests admitted from the waiting line but not yet queued (they resume on a later tick). */
  private admittedRows = 0;
  private closed = false;
  readonly stats: GroupCommitStats = { writes: 0, rowsWritten: 0 };

  constructor(
    private readonly write: GroupWriter<T, R>,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
    private readonly onWrite?: (rows: number, ms: number) => void,
  ) {}

  /** Hands in one request's rows; resolves with its outcome once they are written (or rejects if the write failed). */
  async submit(rows: readonly T[]): Promise<R> {
    if (this.closed) throw new Error('the insert buffer is closed');
    if (this.waitingForRoom.length > 0 || !this.hasRoomFor(rows.length)) {
      await new Promise<void>((admit) => this.waitingForRoom.push({ rows: rows.length, admit }));
      this.admittedRows -= rows.length;
      if (this.closed) throw new Error('the insert buffer is closed');
    }
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      this.schedule();
    });
  }

  /** Rows accepted but not yet written: what X-Experience-API-Consistent-Through must account for. */
  get pendingRows(): number {
    return this.queuedRows + this.inFlightRows;
  }

  /** Writes everything still waiting, then refuses new rows. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.activeWrites > 0) {
      if (this.activeWrites === 0) void this.flush();
      await new Promise((r) => setTimeout(r, 1));
    }
    for (const waiter of this.waitingForRoom.splice(0)) waiter.admit();
  }

  private hasRoomFor(n: number): boolean {
    const pending = this.queuedRows + this.inFlightRows + this.admittedRows;
    // A request larger than the whole bound is let in alone, or it would wait forever.
    return pending === 0 || pending + n <= this.options.maxPendingRows;
  }

  private schedule(): void {
    if (this.activeWrites >= this.options.maxConcurrentWrites) return; // a write ending schedules the next one
    if (this.queuedRows >= this.options.maxBatchRows) {
      this.clearTimer();
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private takeGroup(): { group: Pending<T, R>[]; rows: number } {
    const group: Pending<T, R>[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending<T, R>;
      if (group.length > 0 && rows + next.rows.length > this.options.maxBatchRows) break;
      group.push(next);
      rows += next.rows.length;
      this.queue.shift();
    }
    this.queuedRows -= rows;
    this.inFlightRows += rows;
    return { group, rows };
  }

  private async flush(): Promise<void> {
    if (this.activeWrites >= this.options.maxConcurrentWrites || this.queue.length === 0) return;
    this.clearTimer();
    this.activeWrites += 1;
    const { group, rows } = this.takeGroup();
    const started = performance.now();
    try {
      const outcomes = await this.write(group.map((p) => p.rows));
      this.onWrite?.(rows, performance.now() - started);
      this.stats.writes += 1;
      this.stats.rowsWritten += rows;
      group.forEach((p, i) => p.resolve(outcomes[i] as R));
    } catch (error) {
      group.forEach((p) => p.reject(error));
    } finally {
      this.inFlightRows -= rows;
      this.activeWrites -= 1;
      this.wakeWaiters();
      // Requests that arrived during the write have already waited for it: write them now if there are any.
      if (this.queue.length > 0) void this.flush();
    }
  }

  /** Admits waiting requests in arrival order while they fit, reserving their room until they queue. */
  private wakeWaiters(): void {
    while (this.waitingForRoom.length > 0) {
      const next = this.waitingForRoom[0] as { rows: number; admit: () => void };
      if (!this.hasRoomFor(next.rows)) return;
      this.waitingForRoom.shift();
      this.admittedRows += next.rows;
      next.admit();
    }
  }
}
