import { Inject, Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_KEY, type AccessRule } from './access.js';

/** One thing a client can call: a GraphQL root field or an HTTP route, with its access rule (if any). */
export interface Operation {
  kind: 'Query' | 'Mutation' | 'Subscription' | 'HTTP';
  /** GraphQL field name, or `METHOD /path`. */
  name: string;
  handler: string;
  rule: AccessRule | undefined;
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * Lists every GraphQL root field and HTTP route of the application with its access rule, and refuses to start an
 * application where one has none: deny by default is checked once at start, not left to each author.
 */
@Injectable()
export class AccessRegistry implements OnApplicationBootstrap {
  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const missing = this.operations().filter((op) => !op.rule);
    if (missing.length > 0) {
      throw new Error(
        `handlers without an access rule (@Public, @Allow or @LrsScopes): ${missing.map((m) => m.handler).join(', ')}`,
      );
    }
  }

  operations(): Operation[] {
    const ops: Operation[] = [];
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const cls = wrapper.metatype as new (...args: never[]) => unknown;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = prototype[methodName] as (...args: unknown[]) => unknown;
        const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [method, cls]);
        const handler = `${cls.name}.${methodName}`;
        const gqlType = Reflect.getMetadata('graphql:resolver_type', method) as string | undefined;
        if (gqlType && ROOT_TYPES.has(gqlType)) {
          const name = (Reflect.getMetadata('graphql:resolver_name', method) as string | undefined) ?? methodName;
          ops.push({ kind: gqlType as Operation['kind'], name, handler, rule });
          continue;
        }
        const path = Reflect.getMetadata('path', method) as string | string[] | undefined;
        const verb = Reflect.getMetadata('method', method) as number | undefined;
        if (path === undefined || verb === undefined) continue;
        const base = (Reflect.getMetadata('path', cls) as string | undefined) ?? '';
        const route = `/${[base, ...[path].flat()].filter((p) => p && p !== '/').join('/')}`;
        ops.push({ kind: 'HTTP', name: `${RequestMethod[verb]} ${route}`, handler, rule });
      }
    }
    return ops.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }
}
