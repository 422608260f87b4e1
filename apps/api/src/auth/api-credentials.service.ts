import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CredentialsService } from '../lrs/credentials.service.js';
import { parseBasic } from '../lrs/lrs-auth.guard.js';
import type { Principal } from './access.js';
import { SessionService } from './session.service.js';

/** Verified Basic credentials stay in memory this long: each costs a ~50 ms scrypt, far too much per call. */
const CACHE_TTL_MS = 60_000;

/**
 * Who calls an integration route (an ENT, a script) with HTTP Basic instead of a browser session: an account's
 * email and password (its roles apply), or an LRS key with scope `all` (an administrator's credential). Requests
 * authenticated so carry no cookie, hence need no CSRF token.
 */
@Injectable()
export class ApiCredentialsService {
  private readonly cache = new Map<string, { digest: Buffer; principal: Principal; expiresAt: number }>();

  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(CredentialsService) private readonly credentials: CredentialsService,
  ) {}

  async principalOf(req: FastifyRequest): Promise<Principal | null> {
    const basic = parseBasic(req.headers.authorization);
    if (!basic) return null;
    const digest = createHash('sha256').update(`${basic.key}\u0000${basic.secret}`).digest();
    const cached = this.cache.get(basic.key);
    if (cached && cached.expiresAt > Date.now() && timingSafeEqual(cached.digest, digest)) return cached.principal;
    const principal = await this.verify(basic.key, basic.secret);
    if (principal) this.cache.set(basic.key, { digest, principal, expiresAt: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  private async verify(key: string, secret: string): Promise<Principal | null> {
    if (key.includes('@')) {
      const user = await this.sessions.authenticate({ email: key, password: secret });
      return user && { userId: user.id, email: user.email, displayName: user.displayName, roles: user.roles };
    }
    const credential = await this.credentials.verify(key, secret);
    if (!credential?.scopes.includes('all')) return null;
    return { userId: `lrs:${key}`, email: '', displayName: `LRS ${key}`, roles: [{ role: 'admin', scope: '' }] };
  }
}
