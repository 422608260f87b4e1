import { Body, Controller, Get, HttpCode, HttpException, Inject, Post, Req, Res } from '@nestjs/common';
import type { User } from '@ent-observatory/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ENV } from '../common/tokens.js';
import { RateLimiter } from '../common/rate-limiter.js';
import type { Env } from '../config/env.js';
import { ANY_SIGNED_IN, Allow, Public } from './access.js';
import { type AuthedRequest, CurrentPrincipal } from './access.guard.js';
import type { Principal } from './access.js';
import { SessionService, csrfTokenFor, sessionTokenOf } from './session.service.js';

/** The failure window of sign-in rate limits. */
const WINDOW_SECONDS = 15 * 60;

export interface SessionView {
  user: { id: string; email: string; displayName: string; roles: { role: string; scope: string }[] };
  csrfToken: string;
}

/** Sign-in and sign-out for both web apps (same origin, cookie sessions; see SessionService for why). */
@Controller('auth')
export class AuthController {
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;

  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ENV) env: Env,
  ) {
    const n = env.SIGN_IN_MAX_FAILURES;
    this.perAccount = new RateLimiter(n, n / WINDOW_SECONDS);
    this.perAddress = new RateLimiter(n * 10, (n * 10) / WINDOW_SECONDS);
  }

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  async signIn(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // JSON only: a cross-site HTML form (text/plain) cannot sign a victim's browser into another account.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      throw new HttpException(
        { statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the credentials as application/json' },
        415,
      );
    }
    const { email, password } = (body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      throw new HttpException(
        { statusCode: 400, code: 'BAD_REQUEST', message: 'send a JSON body {"email": "...", "password": "..."}' },
        400,
      );
    }
    const account = email.trim().toLowerCase();
    // Slots are taken before the (slow) password check, so parallel guesses cannot all pass it; a success gives
    // them back.
    const wait = Math.max(this.perAccount.retryAfter(account), this.perAddress.retryAfter(req.ip));
    if (wait === 0) {
      this.perAccount.take(account);
      this.perAddress.take(req.ip);
    }
    if (wait > 0) {
      void reply.header('Retry-After', String(wait));
      throw new HttpException(
        { statusCode: 429, code: 'TOO_MANY_ATTEMPTS', message: `too many failed sign-ins: try again in ${wait} s` },
        429,
      );
    }
    const user = await this.sessions.authenticate({ email, password });
    if (!user) {
      throw new HttpException({ statusCode: 401, code: 'BAD_CREDENTIALS', message: 'wrong email or password' }, 401);
    }
    this.perAccount.reset(account);
    this.perAddress.refund(req.ip);
    const csrfToken = await this.sessions.open(user, req, reply);
    return sessionView(user, csrfToken);
  }

  @Post('sign-out')
  @Allow(ANY_SIGNED_IN)
  @HttpCode(204)
  async signOut(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.close(req, reply);
  }

  /** Who is signed in, and the CSRF token the page must send with GraphQL and other non-GET requests. */
  @Get('session')
  @Allow(ANY_SIGNED_IN)
  session(@CurrentPrincipal() principal: Principal, @Req() req: AuthedRequest): SessionView {
    const { userId, email, displayName, roles } = principal;
    return { user: { id: userId, email, displayName, roles }, csrfToken: csrfTokenFor(sessionTokenOf(req)!) };
  }
}

function sessionView(user: User, csrfToken: string): SessionView {
  return {
    user: { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles },
    csrfToken,
  };
}
