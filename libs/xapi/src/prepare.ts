import { randomUUID } from 'node:crypto';
import { normaliseStatement } from './canonical.js';
import { timestampToMillis } from './formats.js';
import type { Json } from './problems.js';
import type { Actor, StoredStatement, XapiVersion } from './types.js';

export interface PrepareContext {
  /** The credential's authority: it replaces whatever the client sent (Data 2.4.9). */
  authority: Actor;
  /** When the LRS stores the statement: one instant for a whole batch. */
  stored: Date;
  /** The version negotiated by the request header. */
  version: XapiVersion;
}

/**
 * Fills what the LRS must assign (Data 2.4): id when absent, stored, timestamp (= stored when absent),
 * authority and version. UUIDs are lower-cased so that keys compare without regard to case; timestamps are
 * re-serialised in UTC (the spec lets the LRS change the zone, never the instant).
 */
export function prepareStatement(input: Json, ctx: PrepareContext): StoredStatement {
  const s = normaliseStatement(input); // a copy (canonical.ts copyOf)
  const stored = ctx.stored.toISOString();
  const id = typeof s.id === 'string' ? s.id.toLowerCase() : randomUUID();
  const timestamp = typeof s.timestamp === 'string' ? new Date(timestampToMillis(s.timestamp)).toISOString() : stored;
  const version = typeof s.version === 'string' ? s.version : ctx.version === '2.0.0' ? '2.0.0' : '1.0.0';
  // Set on the copy in this order: where the client sent one it keeps its place, the others follow (as a spread would).
  s.id = id;
  s.timestamp = timestamp;
  s.stored = stored;
  s.authority = ctx.authority;
  s.version = version;
  return s as unknown as StoredStatement;
}
