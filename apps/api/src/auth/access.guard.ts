import { type CanActivate, type ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { ApiErrorCode, ApiException, toGraphQLError, toHttpException } from '../common/api-error.js';
import { checkHandlerInput } from '../common/input/index.js';
import { isXapiRoute } from '../lrs/lrs-rate-limit.js';
import { ACCESS_KEY, type AccessRule, type Principal, type Target } from './access.js';
import { ApiCredentialsService } from './api-credentials.service.js';
import { ScopeService } from './scope.service.js';
import { SessionService, hasValidCsrf } from './session.service.js';

export interface AuthedRequest extends FastifyRequest {
  principal?: Principal;
}

/** Requests that change nothing need no CSRF token; every GraphQL request needs one, whatever its method. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate in front of every route and resolver (registered as APP_GUARD): reads the handler's AccessRule,
 * refuses handlers that have none, resolves the session, checks CSRF, role, the arguments' formats
 * (common/input), then the scope of the target named by the arguments — all before the handler reads any data.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ScopeService) private readonly scopes: ScopeService,
    @Inject(ApiCredentialsService) private readonly apiCredentials: ApiCredentialsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const graphql = context.getType<string>() === 'graphql';
    const req = requestOf(context);
    if (!rule) {
      throw denial(
        graphql,
        ApiErrorCode.Forbidden,
        `${context.getClass().name}.${context.getHandler().name} declares no access rule`,
      );
    }
    if (rule.kind === 'lrs') return true;
    // The LRS validates its own parameters and answers in the xAPI error format (its public routes included).
    if (rule.kind === 'public') return isXapiRoute(req) || checkInput(context, graphql);

    const session = req.principal ?? (await this.sessions.principalOf(req));
    const basic =
      !session && rule.basic && req.headers.authorization ? await this.apiCredentials.principalOf(req) : null;
    const principal = session ?? basic;
    if (!principal)
      throw denial(graphql, ApiErrorCode.Unauthenticated, 'sign in first (or send HTTP Basic credentials)');
    req.principal = principal;
    // A Basic-authenticated call carries no cookie: cross-site forgery has nothing to ride on.
    if (!basic && (graphql || !SAFE_METHODS.has(req.method)) && !hasValidCsrf(req)) {
      throw denial(
        graphql,
        ApiErrorCode.Csrf,
        'send the X-CSRF-Token header your session gave you (GET /auth/session)',
      );
    }
    if (!principal.roles.some((g) => rule.roles.includes(g.role))) {
      throw denial(
        graphql,
        ApiErrorCode.Forbidden,
        `your role does not allow this (needs one of: ${rule.roles.join(', ')})`,
      );
    }
    checkInput(context, graphql);
    const target = rule.target?.(argsOf(context, graphql));
    if (target && !(await this.scopes.permits(principal, target))) {
      throw denial(graphql, ApiErrorCode.Forbidden, `outside your scope: ${describe(target)}`);
    }
    return true;
  }
}

function requestOf(context: ExecutionContext): AuthedRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: AuthedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthedRequest>();
}

function argsOf(context: ExecutionContext, graphql: boolean): Record<string, unknown> {
  if (graphql) return GqlExecutionContext.create(context).getArgs<Record<string, unknown>>();
  const req = context.switchToHttp().getRequest<FastifyRequest>();
  return { ...(req.query as Record<string, unknown>), ...(req.params as Record<string, unknown>) };
}

function denial(graphql: boolean, code: ApiErrorCode, message: string): Error {
  const e = new ApiException(code, message);
  return graphql ? toGraphQLError(e) : toHttpException(e);
}

/** Malformed arguments are refused here, before the scope check reads anything with them. */
function checkInput(context: ExecutionContext, graphql: boolean): true {
  try {
    checkHandlerInput(context);
  } catch (e) {
    if (e instanceof ApiException) throw denial(graphql, e.code, e.message);
    throw e;
  }
  return true;
}

function describe(target: Target): string {
  return Object.entries(target)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ');
}

/** The signed-in principal of a handler guarded by @Allow. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = requestOf(context).principal;
  if (!principal) throw new Error('CurrentPrincipal used on a handler without @Allow');
  return principal;
});
