import { dataGeneration } from '../common/data-generation.js';

/**
 * Identical view queries within a short window are answered from memory: a dashboard page, its reload and a
 * colleague opening the same view cost one computation. An entry is reused only while no statement was written
 * since it was computed (data generation, bumped by the LRS's inserts) and for at most `ttlMs` (writes by other
 * processes). Keys carry the caller's resolved scope, so two scopes never share an entry.
 */
export class ViewCache {
  private readonly entries = new Map<string, { at: number; generation: number; value: Promise<unknown> }>();

  constructor(
    /** 30 s: a dashboard's refresh interval is longer, a burst of identical requests shorter. */
    private readonly ttlMs = 30_000,
    /** Bounded memory: a view answer is a few kB, 500 of them a few MB. */
    private readonly maxEntries = 500,
  ) {}

  /** The cached answer for `key`, else `compute()` (concurrent identical requests share one computation). */
  async get<T>(key: string, compute: () => Promise<T>, now = Date.now()): Promise<{ value: T; cached: boolean }> {
    const generation = dataGeneration();
    const hit = this.entries.get(key);
    if (hit && hit.generation === generation && now - hit.at < this.ttlMs) {
      return { value: (await hit.value) as T, cached: true };
    }
    const value = compute();
    this.entries.set(key, { at: now, generation, value });
    if (this.entries.size > this.maxEntries) this.evict(now);
    try {
      return { value: await value, cached: false };
    } catch (error) {
      this.entries.delete(key);
      throw error;
    }
  }

  private evict(now: number): void {
    for (const [key, e] of this.entries) {
      if (now - e.at >= this.ttlMs || e.generation !== dataGeneration()) this.entries.delete(key);
    }
    // Still full of fresh entries: drop the oldest (Map keeps insertion order).
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
