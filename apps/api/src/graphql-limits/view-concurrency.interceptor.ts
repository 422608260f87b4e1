import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type Observable, finalize, from, mergeMap } from 'rxjs';
import type { AuthedRequest } from '../auth/access.guard.js';
import { ApiErrorCode, ApiException } from '../common/api-error.js';
import { FairLimiter, QueueFullError } from './fair-limiter.js';

/** The limiter of expensive views, one per process (VIEW_CONCURRENCY, VIEW_CONCURRENCY_PER_USER, VIEW_QUEUE_PER_USER). */
export const VIEW_LIMITER = Symbol('VIEW_LIMITER');

/**
 * Runs a view (see @ViewCost) once the caller's account has a free view slot: at most VIEW_CONCURRENCY_PER_USER of
 * its views at once, VIEW_CONCURRENCY for everyone, freed slots going to each waiting account in turn. A caller
 * with VIEW_QUEUE_PER_USER views already waiting gets 429 TOO_MANY_REQUESTS.
 */
@Injectable()
export class ViewConcurrencyInterceptor implements NestInterceptor {
  constructor(@Inject(VIEW_LIMITER) private readonly limiter: FairLimiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = GqlExecutionContext.create(context).getContext<{ req: AuthedRequest }>().req;
    // AccessGuard ran first: every view needs a session, so there is always an account to count against.
    const key = req.principal?.userId ?? `address:${req.ip}`;
    return from(this.acquire(key)).pipe(mergeMap((release) => next.handle().pipe(finalize(release))));
  }

  private async acquire(key: string): Promise<() => void> {
    try {
      return await this.limiter.acquire(key);
    } catch (e) {
      if (!(e instanceof QueueFullError)) throw e;
      throw new ApiException(
        ApiErrorCode.TooManyRequests,
        `too many views of your account are already running or waiting (${this.limiter.perKey} run at once, ${this.limiter.queuePerKey} wait): retry when they have answered`,
        { 'Retry-After': '1' },
      );
    }
  }
}
