import { ApiErrorCode, ApiException } from '../api-error.js';
import { DEFAULT_MAX_LENGTH, type Declared, type Format, type InputClass, type ListOf } from './formats.js';

/** Longest list an undeclared argument may carry. */
const DEFAULT_MAX_ITEMS = 100;
/** Deepest nesting an undeclared argument may have (input types nest two or three levels). */
const MAX_NESTING = 8;

export const FIELD_FORMATS = 'ent:input-fields';

/** A malformed argument: 400 / BAD_USER_INPUT, naming the argument's path. */
export class InputError extends ApiException {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(ApiErrorCode.BadUserInput, `${path}: ${problem}`);
  }
}

/** C0 controls (and DEL) break logs, CSV exports and PostgreSQL (NUL); tab and newlines only in multi-line text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;
const LINE_BREAK = /[\t\n\r]/;
/** A UTF-16 surrogate without its pair cannot be encoded as UTF-8: PostgreSQL and ClickHouse would alter it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks one argument against what it is declared to be, or — undeclared — against what every argument must be
 * (strings without control characters or lone surrogates, at most DEFAULT_MAX_LENGTH characters; short lists;
 * shallow objects). Throws InputError naming the path of the first problem.
 */
export function checkValue(path: string, value: unknown, declared: Declared | undefined, depth = 0): void {
  if (value === undefined || value === null) return;
  if (depth > MAX_NESTING) throw new InputError(path, `nested more than ${MAX_NESTING} levels deep`);
  if (declared === undefined) return checkUndeclared(path, value, depth);
  if (typeof declared === 'function') return checkObject(path, value, declared, depth);
  if (declared.kind === 'list') return checkList(path, value, declared, depth);
  return checkFormat(path, value, declared);
}

function checkFormat(path: string, value: unknown, format: Format): void {
  if (typeof value === 'string') checkString(path, value, format.maxLength ?? DEFAULT_MAX_LENGTH, format.multiline);
  if (!format.schema.safeParse(value).success) {
    throw new InputError(path, `expected ${format.expected}, got ${preview(value)}`);
  }
}

function checkList(path: string, value: unknown, list: ListOf, depth: number): void {
  if (!Array.isArray(value)) return checkValue(path, value, list.of, depth);
  if (value.length > list.maxItems) throw new InputError(path, `at most ${list.maxItems} values, got ${value.length}`);
  value.forEach((v, i) => checkValue(`${path}[${i}]`, v, list.of, depth + 1));
}

function checkObject(path: string, value: unknown, cls: InputClass, depth: number): void {
  if (typeof value !== 'object' || Array.isArray(value)) return checkUndeclared(path, value, depth);
  const fields = fieldFormatsOf(cls);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    checkValue(path ? `${path}.${key}` : key, v, fields[key], depth + 1);
  }
}

function checkUndeclared(path: string, value: unknown, depth: number): void {
  if (typeof value === 'string') return checkString(path, value, DEFAULT_MAX_LENGTH, false);
  if (Array.isArray(value)) {
    if (value.length > DEFAULT_MAX_ITEMS) {
      throw new InputError(path, `at most ${DEFAULT_MAX_ITEMS} values, got ${value.length}`);
    }
    value.forEach((v, i) => checkValue(`${path}[${i}]`, v, undefined, depth + 1));
    return;
  }
  if (typeof value === 'object' && value !== null && !Buffer.isBuffer(value)) {
    for (const [key, v] of Object.entries(value)) checkValue(path ? `${path}.${key}` : key, v, undefined, depth + 1);
  }
}

function checkString(path: string, value: string, maxLength: number, multiline = false): void {
  if (value.length > maxLength) throw new InputError(path, `at most ${maxLength} characters, got ${value.length}`);
  const control = CONTROL.exec(value) ?? (multiline ? null : LINE_BREAK.exec(value));
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new InputError(path, `contains the control character U+${code} at position ${control.index + 1}: remove it`);
  }
  const lone = LONE_SURROGATE.exec(value);
  if (lone) throw new InputError(path, `contains an unpaired UTF-16 surrogate at position ${lone.index + 1}`);
}

/** The @Checked formats of an input class and of the classes it extends. */
export function fieldFormatsOf(cls: InputClass): Record<string, Declared> {
  return (Reflect.getMetadata(FIELD_FORMATS, cls) as Record<string, Declared> | undefined) ?? {};
}

/** The value as the error message shows it: short, and without the control characters it may contain. */
function preview(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
