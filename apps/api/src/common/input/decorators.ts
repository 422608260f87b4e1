import { Body, Query } from '@nestjs/common';
import { Args, type ArgsOptions } from '@nestjs/graphql';
import type { Declared } from './formats.js';
import { FIELD_FORMATS, fieldFormatsOf } from './input-check.js';

const ARG_FORMATS = 'ent:input-args';
/** Where a REST handler's body format is recorded among its arguments. */
export const BODY = '@body';

/** What each argument of a handler is declared to be (by @Arg, @QueryArg, @BodyArg). */
export function argFormatsOf(handler: object): Record<string, Declared> {
  return (Reflect.getMetadata(ARG_FORMATS, handler) as Record<string, Declared> | undefined) ?? {};
}

function declareArg(target: object, key: string | symbol | undefined, name: string, declared: Declared): void {
  if (key === undefined) throw new Error(`@Arg('${name}') is for handler methods`);
  const handler = (target as Record<string | symbol, object>)[key]!;
  Reflect.defineMetadata(ARG_FORMATS, { ...argFormatsOf(handler), [name]: declared }, handler);
}

/**
 * A GraphQL argument with its format: `@Arg('id', Formats.uuid) id: string`, or an input type whose fields carry
 * @Checked: `@Arg('filter', ObservatoryFilter, { type: () => ObservatoryFilter })`. AccessGuard checks it after the
 * role and before the scope, so nothing malformed reaches a store (docs/security.md, "Arguments").
 */
export function Arg(name: string, declared: Declared, options?: ArgsOptions): ParameterDecorator {
  return (target, key, index) => {
    declareArg(target, key, name, declared);
    (options ? Args(name, options) : Args(name))(target, key, index);
  };
}

/** A REST query parameter with its format: `@QueryArg('filename', Formats.text(200)) filename: string`. */
export function QueryArg(name: string, declared: Declared): ParameterDecorator {
  return (target, key, index) => {
    declareArg(target, key, name, declared);
    Query(name)(target, key, index);
  };
}

/** A REST JSON body whose fields carry @Checked formats. */
export function BodyArg(declared: Declared): ParameterDecorator {
  return (target, key, index) => {
    declareArg(target, key, BODY, declared);
    Body()(target, key, index);
  };
}

/** The format of one field of an input type: `@Field() @Checked(Formats.uai) uai?: string`. */
export function Checked(declared: Declared): PropertyDecorator {
  return (target, key) => {
    const cls = target.constructor as abstract new () => unknown;
    Reflect.defineMetadata(FIELD_FORMATS, { ...fieldFormatsOf(cls), [String(key)]: declared }, cls);
  };
}
