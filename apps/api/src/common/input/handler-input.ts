import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { BODY, argFormatsOf } from './decorators.js';
import { checkValue } from './input-check.js';

/**
 * Checks every argument of the handler about to run — GraphQL arguments, or a REST route's query, path parameters
 * and JSON body — against its declared format, and undeclared ones against the rules every argument follows.
 * One mechanism for both transports; throws InputError (400 / BAD_USER_INPUT naming the argument).
 */
export function checkHandlerInput(context: ExecutionContext): void {
  const formats = argFormatsOf(context.getHandler());
  if (context.getType<string>() === 'graphql') {
    const args = GqlExecutionContext.create(context).getArgs<Record<string, unknown>>();
    for (const [name, value] of Object.entries(args)) checkValue(name, value, formats[name]);
    return;
  }
  const req = context.switchToHttp().getRequest<FastifyRequest>();
  const named = { ...(req.query as Record<string, unknown>), ...(req.params as Record<string, unknown>) };
  for (const [name, value] of Object.entries(named)) checkValue(name, value, formats[name]);
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && !Buffer.isBuffer(body)) checkValue('', body, formats[BODY]);
}
