import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { LrsErrorCode, LrsException } from '@ent-observatory/lrs';
import { LrsRoute } from '../auth/access.js';
import { LrsCredentialExtensions } from './credential-extensions.js';
import { type Credential, CredentialsService, type LrsScope, grants } from './credentials.service.js';

const SCOPES_KEY = 'lrs:scopes';

/**
 * The scopes that let a credential call a route: any one of them suffices. Also marks the route as an xAPI one
 * for the application-wide AccessGuard (authorised here, by LRS credentials, not by a user session).
 */
export const LrsScopes = (...scopes: LrsScope[]) => applyDecorators(SetMetadata(SCOPES_KEY, scopes), LrsRoute());

export interface LrsRequest extends FastifyRequest {
  credential?: Credential;
}

/** HTTP Basic auth against LRS credentials, then the route's scopes. Deny by default: a route must declare scopes. */
@Injectable()
export class LrsAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialsService,
    private readonly extensions: LrsCredentialExtensions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<LrsScope[] | undefined>(SCOPES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required || required.length === 0) throw new Error('route without @LrsScopes: refusing by default');
    const req = context.switchToHttp().getRequest<LrsRequest>();
    const basic = parseBasic(req.headers.authorization);
    if (!basic) throw new LrsException(LrsErrorCode.Unauthorized, 'send HTTP Basic credentials (LRS key and secret)');
    const extension = this.extensions.ownerOf(basic.key);
    const credential = extension
      ? await extension.verify(basic.key, basic.secret)
      : await this.credentials.verify(basic.key, basic.secret);
    if (!credential) throw new LrsException(LrsErrorCode.Unauthorized, 'unknown or disabled key, or wrong secret');
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (!required.some((scope) => grants(credential.scopes, scope, isRead))) {
      throw new LrsException(
        LrsErrorCode.Forbidden,
        `this credential lacks the scope for this request (needs one of: ${required.join(', ')})`,
      );
    }
    if (credential.policy) {
      const route = req.routeOptions.url ?? req.url.split('?')[0]!;
      const query = req.query as Record<string, unknown>;
      Object.assign(query, credential.policy.authorize({ method: req.method, route, query }));
    }
    req.credential = credential;
    return true;
  }
}

/** HTTP Basic credentials from an Authorization header, or null when absent or malformed. */
export function parseBasic(header: string | undefined): { key: string; secret: string } | null {
  // Not memoised: a table of recent headers would keep clients' secrets in memory for a gain of about 1 µs.
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i <= 0 ? null : { key: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}
