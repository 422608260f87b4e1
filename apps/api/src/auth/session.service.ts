import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  SessionRepository,
  type Store,
  type User,
  UserRepository,
  hashSecret,
  verifySecret,
} from '@ent-observatory/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import { ENV, LOGGER, STORE } from '../common/tokens.js';
import type { Principal } from './access.js';

export const SESSION_COOKIE = 'ento_session';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Verifies who a user is. Passwords today; an ENT single sign-on (OIDC, CAS) provider is another authenticator
 * that maps the identity it asserts (table user_identities: provider + subject → user) to a user, then calls
 * SessionService.open like the password path does. Nothing else changes.
 */
export interface Authenticator {
  authenticate(input: Record<string, string>): Promise<User | null>;
}

/**
 * Cookie sessions. Why cookies rather than bearer tokens: the dashboard and training space are same-origin SPAs,
 * an httpOnly cookie keeps the token out of reach of scripts (XSS cannot steal it), and the server can revoke it
 * (disable a user → their sessions end). CSRF: the cookie is SameSite=Lax, and every state-changing or GraphQL
 * request authenticated by it must also carry X-CSRF-Token = a hash of the session token, which only same-origin
 * scripts can learn (from /auth/session or the sign-in answer; there is no CORS).
 */
@Injectable()
export class SessionService implements OnModuleInit, Authenticator {
  readonly users: UserRepository;
  private readonly sessions: SessionRepository;
  /** Verifying an unknown email costs the same scrypt as a known one: timing tells nothing. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    @Inject(STORE) store: Store,
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.users = new UserRepository(store.db);
    this.sessions = new SessionRepository(store.db);
  }

  async onModuleInit(): Promise<void> {
    const boot = this.env.ADMIN_BOOTSTRAP;
    if (boot) {
      const existing = await this.users.findByEmail(boot.id);
      const roles = existing?.user.roles.some((r) => r.role === 'admin')
        ? existing.user.roles
        : [...(existing?.user.roles ?? []), { role: 'admin' as const, scope: '' }];
      await this.users.ensure({
        email: boot.id,
        displayName: existing?.user.displayName ?? 'Administrateur',
        password: boot.secret,
        roles,
      });
      this.logger.info({ email: boot.id }, 'admin account ensured (ADMIN_BOOTSTRAP)');
    }
    await this.sessions.deleteExpired(new Date());
  }

  /** The enabled user with this email and password, or null (never saying which part was wrong). */
  async authenticate(input: Record<string, string>): Promise<User | null> {
    const found = await this.users.findByEmail(input.email ?? '');
    this.dummyHash ??= hashSecret(randomBytes(16).toString('hex'));
    const ok = await verifySecret(input.password ?? '', found?.passwordHash ?? (await this.dummyHash));
    return ok && found?.user.enabled ? found.user : null;
  }

  /** Starts a session for a verified user: sets the cookie, returns the CSRF token for the page's scripts. */
  async open(user: User, req: FastifyRequest, reply: FastifyReply): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const ttl = this.env.SESSION_TTL_HOURS * 3600;
    await this.sessions.create(token, user.id, new Date(Date.now() + ttl * 1000));
    void reply.header('Set-Cookie', this.cookie(req, token, ttl));
    return csrfTokenFor(token);
  }

  async close(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const token = sessionTokenOf(req);
    if (token) await this.sessions.delete(token);
    void reply.header('Set-Cookie', this.cookie(req, '', 0));
  }

  /** The principal of a request's live session, or null. */
  async principalOf(req: FastifyRequest): Promise<Principal | null> {
    const token = sessionTokenOf(req);
    if (!token) return null;
    const userId = await this.sessions.touch(token, new Date(), this.env.SESSION_IDLE_MINUTES * 60_000);
    if (!userId) return null;
    const user = await this.users.findById(userId);
    if (!user?.enabled) return null;
    return { userId: user.id, email: user.email, displayName: user.displayName, roles: user.roles };
  }

  /** Ends every session of a user (disabled, or roles changed). */
  async closeAllOf(userId: string): Promise<void> {
    await this.sessions.deleteForUser(userId);
  }

  private cookie(req: FastifyRequest, token: string, maxAge: number): string {
    const secure = isSecureRequest(this.env, req);
    return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  }
}

/** Whether cookies set in answer to this request get the Secure attribute (COOKIE_SECURE). */
export function isSecureRequest(env: Env, req: FastifyRequest): boolean {
  return env.COOKIE_SECURE === 'always' || (env.COOKIE_SECURE === 'auto' && req.protocol === 'https');
}

export function sessionTokenOf(req: FastifyRequest): string | undefined {
  return cookieValue(req, SESSION_COOKIE);
}

/** The value of one cookie of a request, if it was sent. */
export function cookieValue(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || undefined;
  }
  return undefined;
}

export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

/** Whether the request carries the CSRF token of its session cookie. */
export function hasValidCsrf(req: FastifyRequest): boolean {
  const token = sessionTokenOf(req);
  const sent = req.headers[CSRF_HEADER];
  if (!token || typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(token));
  const actual = Buffer.from(sent);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
