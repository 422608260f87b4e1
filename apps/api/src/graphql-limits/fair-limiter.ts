/** Thrown by FairLimiter.acquire when a key already has as many waiting as its queue holds. */
export class QueueFullError extends Error {}

/**
 * Limits how many jobs run at once, in total and per key (a user), and hands freed slots to waiting keys in turn
 * (round robin) rather than in arrival order: a user who queued twenty views waits behind their own, while another
 * user's single view starts at the next free slot. Per process: each API process limits its own share of the
 * machine, which is what the limit protects (the embedded warehouse runs in-process).
 */
export class FairLimiter {
  private running = 0;
  private readonly runningOf = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Keys with waiting jobs, in the order they get the next free slot. */
  private readonly turn: string[] = [];

  constructor(
    readonly total: number,
    readonly perKey: number,
    readonly queuePerKey: number,
  ) {}

  /** Waits for a slot for `key`; resolves to the function that gives it back. */
  acquire(key: string): Promise<() => void> {
    if (this.canStart(key)) return Promise.resolve(this.start(key));
    const queue = this.waiting.get(key) ?? [];
    if (queue.length >= this.queuePerKey) {
      return Promise.reject(new QueueFullError(`${queue.length} already waiting`));
    }
    return new Promise((resolve) => {
      queue.push(() => resolve(this.start(key)));
      this.waiting.set(key, queue);
      if (!this.turn.includes(key)) this.turn.push(key);
    });
  }

  /** Jobs running and waiting, for /metrics. */
  counts(): { running: number; waiting: number } {
    let waiting = 0;
    for (const q of this.waiting.values()) waiting += q.length;
    return { running: this.running, waiting };
  }

  private canStart(key: string): boolean {
    return this.running < this.total && (this.runningOf.get(key) ?? 0) < this.perKey;
  }

  private start(key: string): () => void {
    this.running += 1;
    this.runningOf.set(key, (this.runningOf.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.runningOf.get(key) ?? 1) - 1;
      if (left === 0) this.runningOf.delete(key);
      else this.runningOf.set(key, left);
      // The key just had its turn: the others go first.
      const at = this.turn.indexOf(key);
      if (at >= 0) this.turn.push(...this.turn.splice(at, 1));
      this.dispatch();
    };
  }

  /** Starts waiting jobs while slots are free, one key at a time in turn. */
  private dispatch(): void {
    let scanned = 0;
    while (this.running < this.total && scanned < this.turn.length) {
      const key = this.turn.shift()!;
      const queue = this.waiting.get(key) ?? [];
      if (queue.length > 0 && (this.runningOf.get(key) ?? 0) < this.perKey) {
        queue.shift()!();
        scanned = 0;
      } else {
        scanned += 1;
      }
      if (queue.length > 0) this.turn.push(key);
      else this.waiting.delete(key);
    }
  }
}
