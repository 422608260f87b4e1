import { randomUUID } from 'node:crypto';
import type { Warehouse } from './client.js';
import { command, queryRows } from './query.js';
import { TABLES } from './tables.js';

/**
 * A lease held in ClickHouse itself, so that a piece of shared work (a rollup recomputation, a migration) runs in
 * one process at a time among every API instance and CLI command on the same database — the guard lives where the
 * state it guards lives.
 *
 * An embedded store (chdb) is held by one process: chdb locks its data directory (its `status` file), and a second
 * process that opens it is refused ("Cannot lock file …/status"; lease.spec.ts checks it). Every contender for an
 * embedded store's lease is therefore in this process, and the lease is held in this process's memory, keyed by the
 * data directory: no claim to write or read, no settling wait, and a claim left in `leases` by a process killed
 * on the store is nobody's (it is not even read). The same holds for announcements (announce, presentHolders).
 *
 * ClickHouse has no compare-and-set, so a claim is an insert and the winner is decided by reading: every contender
 * inserts its claim stamped by the server's clock, then reads the live claims; the earliest live claim wins and the
 * others withdraw. A claim whose insert was still in flight when the winner read could also think it won, so a
 * winner reads again after `settleMs` before starting (an insert takes milliseconds; the default leaves far more).
 * A holder renews its claim while it works; a holder that dies stops renewing and its claim expires after `ttlMs`.
 */
export interface LeaseOptions {
  ttlMs?: number;
  settleMs?: number;
}

const DEFAULTS = { ttlMs: 60_000, settleMs: 250 };

interface Claim {
  claim: string;
  holder: string;
}

/**
 * The live claims of a lease, earliest first. Each stamp of a claim (its first, its renewals, its release) is a row;
 * the claim is live while its latest stamp's expiry is ahead, and it dates from its first stamp.
 */
async function liveClaims(w: Warehouse, name: string): Promise<Claim[]> {
  return queryRows<Claim>(
    w.client,
    `SELECT toString(claim) AS claim, any(holder) AS holder FROM ${TABLES.leases}
     WHERE name = {name:String} GROUP BY claim
     HAVING argMax(expires, stamped) > now64(6, 'UTC') ORDER BY min(stamped), claim`,
    { name },
  );
}

async function stamp(w: Warehouse, name: string, holder: string, claim: string, ttlMs: number): Promise<void> {
  await command(
    w.client,
    `INSERT INTO ${TABLES.leases} (name, holder, claim, stamped, expires)
     SELECT {name:String}, {holder:String}, {claim:UUID}, now64(6, 'UTC'),
       now64(6, 'UTC') + toIntervalMillisecond({ttl:UInt32})`,
    { name, holder, claim, ttl: ttlMs },
  );
}

/** Ends a claim now (its renewals expire with it). */
async function release(w: Warehouse, name: string, holder: string, claim: string): Promise<void> {
  await stamp(w, name, holder, claim, 0);
}

export class LeaseHeld extends Error {
  constructor(
    readonly lease: string,
    readonly holder: string,
  ) {
    super(`lease "${lease}" is held by ${holder}`);
  }
}

/**
 * Runs `work` while holding the lease `name`, or throws LeaseHeld when another holder has it. `holder` names this
 * process in logs and in the table (e.g. "api:<hostname>:<pid>").
 */
export async function withLease<T>(
  w: Warehouse,
  name: string,
  holder: string,
  work: () => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  if (w.mode === 'embedded') return withLocalLease(w, name, holder, work);
  const { ttlMs, settleMs } = { ...DEFAULTS, ...options };
  const claim = randomUUID();
  const winner = async () => (await liveClaims(w, name))[0];
  const before = await winner();
  if (before) throw new LeaseHeld(name, before.holder);
  await stamp(w, name, holder, claim, ttlMs);
  for (const wait of [0, settleMs]) {
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const first = await winner();
    if (first?.claim !== claim) {
      await release(w, name, holder, claim);
      throw new LeaseHeld(name, first?.holder ?? 'another process');
    }
  }
  const renew = setInterval(() => void stamp(w, name, holder, claim, ttlMs).catch(() => undefined), ttlMs / 3);
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await release(w, name, holder, claim);
  }
}

/** Embedded stores' leases held now: localKey → holder. */
const localLeases = new Map<string, string>();
/** Embedded stores' announcements: localKey → claim → holder, earliest first. */
const localAnnouncements = new Map<string, Map<string, string>>();
/** An embedded store's lease or announcement name, in this process: "<data directory>\0<name>". */
const localKey = (w: Warehouse, name: string) => `${w.location}\0${name}`;

/** withLease on an embedded store, whose contenders are all in this process. */
async function withLocalLease<T>(w: Warehouse, name: string, holder: string, work: () => Promise<T>): Promise<T> {
  const key = localKey(w, name);
  const current = localLeases.get(key);
  if (current !== undefined) throw new LeaseHeld(name, current);
  localLeases.set(key, holder);
  try {
    return await work();
  } finally {
    localLeases.delete(key);
  }
}

/** A claim kept alive without excluding anyone (announce). */
export interface Announcement {
  /** Resolves once the first claim is written (at once on an embedded store: nothing is written). */
  ready: Promise<void>;
  /** Ends the claim now. */
  stop(): Promise<void>;
}

/**
 * Says that `holder` is there under `name` until stopped, without keeping anyone out: the same claims as a lease
 * (renewed every ttl/3, expiring ttl after a holder dies), for telling how many processes do something that only
 * one should (`presentHolders`).
 */
export function announce(w: Warehouse, name: string, holder: string, ttlMs = DEFAULTS.ttlMs): Announcement {
  const claim = randomUUID();
  if (w.mode === 'embedded') {
    // Held in this process, as an embedded store's leases: another process's announcement left in `leases` is that of
    // a process killed on the store, which must not pass for a second writer.
    const key = localKey(w, name);
    const present = localAnnouncements.get(key) ?? new Map<string, string>();
    localAnnouncements.set(key, present.set(claim, holder));
    return { ready: Promise.resolve(), stop: () => Promise.resolve(void present.delete(claim)) };
  }
  const ready = stamp(w, name, holder, claim, ttlMs);
  const renew = setInterval(() => void stamp(w, name, holder, claim, ttlMs).catch(() => undefined), ttlMs / 3);
  renew.unref();
  return {
    ready,
    stop: async () => {
      clearInterval(renew);
      await ready.catch(() => undefined);
      await release(w, name, holder, claim);
    },
  };
}

/** The holders of the live claims of `name`, earliest first. */
export async function presentHolders(w: Warehouse, name: string): Promise<string[]> {
  if (w.mode === 'embedded') return [...(localAnnouncements.get(localKey(w, name))?.values() ?? [])];
  return (await liveClaims(w, name)).map((c) => c.holder);
}
