import { createHash } from 'node:crypto';
import type { Store } from './database.js';

/** One throttling key: how many failures are free, and the longest wait after that (doubling from 1 s). */
export interface ThrottleRule {
  key: string;
  freeFailures: number;
  maxDelaySeconds: number;
}

/** Failures older than this (with no wait pending) are forgotten. Longer than any cap, so waiting it out resets. */
const FORGET_AFTER = "interval '24 hours'";

/** When a key with `f` failures may try again: at once while they are free, then after 1, 2, 4… s up to $3. */
const nextAt = (f: string) =>
  `now() + CASE WHEN ${f} >= $2 THEN make_interval(secs => LEAST($3::float8, power(2::float8, ${f} - $2))) ELSE interval '0' END`;

function hash(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * Counts sign-in attempts per key in PostgreSQL (migration 041), so every API process sees the same counts. An
 * attempt is counted before the password is checked (parallel guesses cannot all slip through) and forgiven when it
 * succeeds.
 */
export class SignInThrottleRepository {
  constructor(private readonly store: Store) {}

  /** Seconds until every one of these keys may try again (0: now). */
  async waitSeconds(keys: string[]): Promise<number> {
    const [row] = await this.store.query<{ wait: number | string | null }>(
      `SELECT max(EXTRACT(EPOCH FROM next_attempt_at - now()))::float8 AS wait
       FROM sign_in_throttle WHERE key_hash = ANY($1::text[])`,
      [keys.map(hash)],
    );
    return Math.max(0, Math.ceil(Number(row?.wait ?? 0)));
  }

  /**
   * Counts one attempt against a key, and sets when the next may come: at once while failures are free, then
   * after 1, 2, 4… seconds up to the rule's cap. Returns false, counting nothing, when the key must still wait.
   */
  async take(rule: ThrottleRule): Promise<boolean> {
    const failures = `CASE WHEN t.updated_at < now() - ${FORGET_AFTER} THEN 1 ELSE t.failures + 1 END`;
    const rows = await this.store.query<{ failures: number }>(
      `INSERT INTO sign_in_throttle AS t (key_hash, failures, next_attempt_at, updated_at)
       VALUES ($1, 1, ${nextAt('1')}, now())
       ON CONFLICT (key_hash) DO UPDATE SET failures = ${failures}, next_attempt_at = ${nextAt(failures)}, updated_at = now()
       WHERE t.next_attempt_at <= now()
       RETURNING t.failures`,
      [hash(rule.key), rule.freeFailures, rule.maxDelaySeconds],
    );
    return rows.length > 0;
  }

  /**
   * The attempt failed: its wait starts now rather than when it was counted, so that a slow password check does
   * not shorten it.
   */
  async failed(rule: ThrottleRule): Promise<void> {
    await this.store.query(
      `UPDATE sign_in_throttle t SET next_attempt_at = ${nextAt('t.failures')} WHERE key_hash = $1`,
      [hash(rule.key), rule.freeFailures, rule.maxDelaySeconds],
    );
  }

  /** A successful sign-in: the key's failures are forgotten. */
  async forgive(key: string): Promise<void> {
    await this.store.query('DELETE FROM sign_in_throttle WHERE key_hash = $1', [hash(key)]);
  }

  /** A successful sign-in counted against a shared key: its attempt is given back, the others stay. */
  async refund(key: string): Promise<void> {
    await this.store.query('UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE key_hash = $1', [
      hash(key),
    ]);
  }

  /** Drops keys nobody has tried for a day (their failures would be forgotten anyway). */
  async prune(): Promise<void> {
    await this.store.query(
      `DELETE FROM sign_in_throttle WHERE updated_at < now() - ${FORGET_AFTER} AND next_attempt_at <= now()`,
    );
  }
}

/** Browsers known to have signed in to an account: a random token in a cookie, kept here as a hash. */
export class KnownDeviceRepository {
  constructor(private readonly store: Store) {}

  /** The account a device token belongs to, if any. */
  async ownerOf(token: string): Promise<string | undefined> {
    const [row] = await this.store.query<{ user_id: string }>(
      'SELECT user_id FROM sign_in_devices WHERE token_hash = $1',
      [hash(token)],
    );
    return row?.user_id;
  }

  /** Records (or refreshes) a device of an account, keeping only its `keep` most recently used ones. */
  async remember(token: string, userId: string, keep: number): Promise<void> {
    await this.store.query(
      `INSERT INTO sign_in_devices (token_hash, user_id) VALUES ($1, $2)
       ON CONFLICT (token_hash) DO UPDATE SET last_used_at = now() WHERE sign_in_devices.user_id = $2`,
      [hash(token), userId],
    );
    await this.store.query(
      `DELETE FROM sign_in_devices WHERE user_id = $1 AND token_hash NOT IN (
         SELECT token_hash FROM sign_in_devices WHERE user_id = $1 ORDER BY last_used_at DESC LIMIT $2)`,
      [userId, keep],
    );
  }
}
