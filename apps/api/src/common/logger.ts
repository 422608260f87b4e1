import type { LoggerService } from '@nestjs/common';
import { type Logger, pino } from 'pino';

/** Structured JSON logs (pino) for the whole process; Nest's own messages go through the same logger. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'ent-observatory' }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * Nest's start-up chatter (one line per module and per route, some eighty lines): debug, not info, so that a start
 * shows what an operator acts on. LOG_LEVEL=debug brings it back.
 */
const FRAMEWORK_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'GraphQLModule',
  'NestApplication',
]);

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    if (context !== undefined && FRAMEWORK_CONTEXTS.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
