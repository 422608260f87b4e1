import { hash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CredentialRepository, type Store, verifySecret } from '@ent-observatory/store';
import type { Actor } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import { ENV, LOGGER, STORE } from '../common/tokens.js';
import type { CredentialPolicy } from './credential-extensions.js';

export const LRS_SCOPES = [
  'all',
  'all/read',
  'statements/write',
  'statements/read',
  'statements/read/mine',
  'state',
  'define',
  'profile',
] as const;
export type LrsScope = (typeof LRS_SCOPES)[number];

export interface Credential {
  key: string;
  scopes: readonly LrsScope[];
  authority: Actor;
  /** What limits a credential of another kind (a cmi5 AU session, credential-extensions.ts) puts on requests. */
  policy?: CredentialPolicy;
}

/** The homePage of credential authorities: a reserved domain, since no public URL is configured. */
export const AUTHORITY_HOME_PAGE = 'https://ent-observatory.invalid/lrs';

/**
 * Verified credentials stay in memory this long: scrypt costs ~50 ms by design, far too much per request, and a
 * disabled credential stops working within this delay.
 */
const CACHE_TTL_MS = 60_000;

interface CacheEntry {
  digest: Buffer;
  credential: Credential;
  expiresAt: number;
}

@Injectable()
export class CredentialsService implements OnModuleInit {
  readonly repo: CredentialRepository;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inFlight = new Map<string, Promise<Credential | null>>();

  constructor(
    @Inject(STORE) store: Store,
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.repo = new CredentialRepository(store.db);
  }

  async onModuleInit(): Promise<void> {
    const boot = this.env.LRS_BOOTSTRAP_CREDENTIAL;
    if (!boot) return;
    await this.repo.upsert({
      key: boot.id,
      secret: boot.secret,
      scopes: ['all'],
      authority: authorityFor(boot.id),
      label: 'LRS_BOOTSTRAP_CREDENTIAL',
    });
    this.logger.info({ key: boot.id }, 'LRS bootstrap credential ensured (scope all)');
  }

  /** Drops a credential from the cache, so that disabling it takes effect at once in this process. */
  forget(key: string): void {
    this.cache.delete(key);
  }

  /** The credential for a key and secret, or null when unknown, disabled or the secret is wrong. */
  async verify(key: string, secret: string): Promise<Credential | null> {
    const digest = hash('sha256', secret, 'buffer'); // one call: no Hash object per request
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > Date.now() && timingSafeEqual(cached.digest, digest)) return cached.credential;
    // Concurrent first requests with the same credential share one scrypt verification.
    const flightKey = `${key}\u0000${digest.toString('hex')}`;
    let pending = this.inFlight.get(flightKey);
    if (!pending) {
      pending = this.verifySlow(key, secret, digest).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, pending);
    }
    return pending;
  }

  private async verifySlow(key: string, secret: string, digest: Buffer): Promise<Credential | null> {
    const row = await this.repo.find(key);
    if (!row || !row.enabled || !(await verifySecret(secret, row.secretHash))) return null;
    const credential: Credential = {
      key: row.key,
      scopes: row.scopes.filter((s): s is LrsScope => (LRS_SCOPES as readonly string[]).includes(s)),
      authority: row.authority,
    };
    this.cache.set(key, { digest, credential, expiresAt: Date.now() + CACHE_TTL_MS });
    return credential;
  }
}

export function authorityFor(key: string): Record<string, unknown> {
  return { objectType: 'Agent', name: key, account: { homePage: AUTHORITY_HOME_PAGE, name: key } };
}

/**
 * Whether a credential's scopes grant a route's requirement: `all` grants everything, `all/read` every read
 * (`isRead`: a GET or HEAD), `statements/read` also what `statements/read/mine` allows.
 */
export function grants(scopes: readonly LrsScope[], required: LrsScope, isRead: boolean): boolean {
  if (scopes.includes('all') || scopes.includes(required)) return true;
  if (isRead && scopes.includes('all/read')) return true;
  return required === 'statements/read/mine' && scopes.includes('statements/read');
}
