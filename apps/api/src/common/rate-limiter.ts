/**
 * Token buckets in memory, one per key: `capacity` requests at once, refilled at `perSecond`. Per process: behind
 * several API processes each counts on its own (put a shared limiter in front of them then).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    /** Bounds memory under a flood of distinct keys: the oldest buckets are dropped first. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Seconds until `key` may try again (0 = now), without consuming anything. */
  retryAfter(key: string, now = Date.now()): number {
    const tokens = this.tokens(key, now);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.perSecond);
  }

  /** Consumes one token; returns the seconds to wait when there was none (and consumes nothing then). */
  take(key: string, now = Date.now()): number {
    const wait = this.retryAfter(key, now);
    if (wait > 0) return wait;
    if (!this.buckets.has(key) && this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
    this.buckets.set(key, { tokens: this.tokens(key, now) - 1, at: now });
    return 0;
  }

  /** Gives back one token taken by `take` (an attempt that turned out legitimate). */
  refund(key: string, now = Date.now()): void {
    if (this.buckets.has(key))
      this.buckets.set(key, { tokens: Math.min(this.capacity, this.tokens(key, now) + 1), at: now });
  }

  reset(key: string): void {
    this.buckets.delete(key);
  }

  private tokens(key: string, now: number): number {
    const b = this.buckets.get(key);
    if (!b) return this.capacity;
    return Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.perSecond);
  }
}
