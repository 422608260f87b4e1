/** One thing wrong with a request's content, located by its JSON path (`$.actor.mbox`, `$[3].verb.id`). */
export interface Problem {
  path: string;
  message: string;
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Collects every problem of a document instead of stopping at the first, so a client fixes them all at once. */
export class Problems {
  readonly list: Problem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Properties the spec does not define are rejected (Data 2.2: "an LRS rejects ... additional properties"). */
  onlyKnown(obj: Json, path: string, allowed: ReadonlySet<string>, what: string): void {
    for (const key in obj) {
      if (!allowed.has(key)) this.add(`${path}.${key}`, `is not a property of ${what}`);
    }
  }

  object(v: unknown, path: string, what: string): v is Json {
    if (isObject(v)) return true;
    this.add(path, `must be ${what} (a JSON object), got ${describe(v)}`);
    return false;
  }

  string(v: unknown, path: string): v is string {
    if (typeof v === 'string') return true;
    this.add(path, `must be a string, got ${describe(v)}`);
    return false;
  }

  boolean(v: unknown, path: string): v is boolean {
    if (typeof v === 'boolean') return true;
    this.add(path, `must be true or false, got ${describe(v)}`);
    return false;
  }

  number(v: unknown, path: string): v is number {
    if (typeof v === 'number' && Number.isFinite(v)) return true;
    this.add(path, `must be a number, got ${describe(v)}`);
    return false;
  }

  array(v: unknown, path: string): v is unknown[] {
    if (Array.isArray(v)) return true;
    this.add(path, `must be an array, got ${describe(v)}`);
    return false;
  }
}
