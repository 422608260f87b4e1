import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import type { TestServer } from './server.js';

/** Every "METHOD /path" the Nest application maps, read from the controllers' route metadata. */
export function nestRoutes(server: TestServer): string[] {
  const routes = new Set<string>();
  for (const mod of server.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (method === undefined || path === undefined) continue;
        for (const b of [base ?? ''].flat()) {
          for (const p of [path].flat()) {
            const url = `/${[b, p]
              .map((s) => s.replace(/^\/|\/$/g, ''))
              .filter(Boolean)
              .join('/')}`;
            routes.add(`${RequestMethod[method]} ${url}`);
          }
        }
      }
    }
  }
  return [...routes].sort();
}
