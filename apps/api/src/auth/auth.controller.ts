import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { type User, normaliseEmail } from '@ent-observatory/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrorCode, ApiException } from '../common/api-error.js';
import { ANY_SIGNED_IN, Allow, Public } from './access.js';
import { type AuthedRequest, CurrentPrincipal } from './access.guard.js';
import type { Principal } from './access.js';
import { SessionService, csrfTokenFor, sessionTokenOf } from './session.service.js';
import { SignInThrottle } from './sign-in-throttle.js';

export interface SessionView {
  user: { id: string; email: string; displayName: string; roles: { role: string; scope: string }[] };
  csrfToken: string;
}

/** Sign-in and sign-out for both web apps (same origin, cookie sessions; see SessionService for why). */
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SignInThrottle) private readonly throttle: SignInThrottle,
  ) {}

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  async signIn(@Body() body: unknown, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // JSON only: a cross-site HTML form (text/plain) cannot sign a victim's browser into another account.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      throw new ApiException(ApiErrorCode.UnsupportedMediaType, 'send the credentials as application/json');
    }
    const { email, password } = (body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      throw new ApiException(ApiErrorCode.BadRequest, 'send a JSON body {"email": "...", "password": "..."}');
    }
    const account = normaliseEmail(email);
    const known = await this.sessions.users.findByEmail(account);
    const client = await this.throttle.clientOf(req, account, known?.user.id);
    const wait = await this.throttle.admit(client);
    if (wait > 0) {
      throw new ApiException(
        ApiErrorCode.TooManyAttempts,
        `too many failed sign-ins from this client: try again in ${wait} s`,
        { 'Retry-After': String(wait) },
      );
    }
    const user = await this.sessions.authenticate({ email, password });
    if (!user) {
      await this.throttle.failed(client);
      throw new ApiException(ApiErrorCode.BadCredentials, 'wrong email or password');
    }
    const csrfToken = await this.sessions.open(user, req, reply);
    // After the session cookie: clients that read the first Set-Cookie get the session.
    await this.throttle.succeeded(client, user.id, req, reply);
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
