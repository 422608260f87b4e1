import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Env } from '../config/env.js';

/** Name of the generated key file in DATA_DIR. */
export const KEY_FILE = 'pseudonymization.key';

/** A generated key: 32 random bytes, written as 64 hex characters (the HMAC key is that text). */
const GENERATED_KEY_BYTES = 32;

/**
 * The HMAC key of actor pseudonyms: PSEUDONYMIZATION_KEY when set, else DATA_DIR/pseudonymization.key, generated
 * (mode 0600) on first start. Every process that ingests (server, CLI) calls this with the same environment, so
 * they all compute the same pseudonyms. The key never goes to ClickHouse: without it, a pseudonym cannot be
 * linked back to an account. Changing it changes every pseudonym from then on (continuity breaks), hence the warning.
 */
export function resolvePseudonymizationKey(
  env: Pick<Env, 'PSEUDONYMIZATION_KEY' | 'DATA_DIR'>,
  logger: Logger,
): string {
  if (env.PSEUDONYMIZATION_KEY !== undefined) return env.PSEUDONYMIZATION_KEY;
  const file = join(env.DATA_DIR, KEY_FILE);
  const existing = readKey(file);
  if (existing !== undefined) return existing;
  mkdirSync(env.DATA_DIR, { recursive: true });
  const key = randomBytes(GENERATED_KEY_BYTES).toString('hex');
  try {
    // 'wx': if another process created it meanwhile, keep theirs (both must use one key).
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const theirs = readKey(file);
    if (theirs === undefined) throw new Error(`${file} is empty: delete it or set PSEUDONYMIZATION_KEY`);
    return theirs;
  }
  logger.warn(
    { file },
    'PSEUDONYMIZATION_KEY is not set: generated a pseudonymisation key into DATA_DIR; keep this file (and back it up) or pseudonyms will change',
  );
  return key;
}

function readKey(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (text.length < 32) {
    throw new Error(`${file} holds fewer than 32 characters: restore the key, or delete the file to generate one`);
  }
  return text;
}
