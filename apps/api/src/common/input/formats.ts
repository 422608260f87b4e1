import { z } from 'zod';

/**
 * What one argument must look like: a zod schema and, for the error message, what is expected. Every format also
 * gets the checks every string gets (no control characters, no lone surrogates, at most `maxLength`).
 */
export interface Format {
  readonly kind: 'format';
  readonly schema: z.ZodType;
  /** Shown to the caller after the argument's name: "filter.uai: expected a UAI …, got …". */
  readonly expected: string;
  /** Longest string accepted anywhere inside the value (default DEFAULT_MAX_LENGTH). */
  readonly maxLength?: number;
  /** Newlines and tabs allowed (multi-line text); other control characters never are. */
  readonly multiline?: boolean;
}

/** Longest string an argument may carry when its format says nothing else: names, labels, keys, emails. */
export const DEFAULT_MAX_LENGTH = 256;

function format(
  schema: z.ZodType,
  expected: string,
  options: { maxLength?: number; multiline?: boolean } = {},
): Format {
  return { kind: 'format', schema, expected, ...options };
}

const UAI = /^\d{7}[A-Za-z]$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** 2026-02-30 parses in JavaScript (as 2 March): only days that exist. */
function isCalendarDay(value: string): boolean {
  const t = Date.parse(`${value}T00:00:00Z`);
  return DAY.test(value) && !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/**
 * The formats of the API's arguments, in one place: GraphQL arguments (@Arg), fields of input types (@Checked)
 * and REST parameters (@QueryArg) all use these. Add a format here rather than checking a shape in a resolver.
 */
export const Formats = {
  uuid: format(z.uuid(), 'a UUID such as 3f0c2a4e-8d1b-4c55-9a77-2b1f0e6d9c10'),
  /** Établissement id of the annuaire; lower case is accepted (the API upper-cases it). */
  uai: format(z.string().regex(UAI), 'a UAI: 7 digits and a letter, e.g. 0352167R'),
  academie: format(z.string().regex(/^\d{2}$/), "an académie code of 2 digits, e.g. '14' (Rennes)"),
  departement: format(
    z.string().regex(/^(\d{3}|02[AB])$/),
    "a département code of 3 characters, e.g. '035' (Ille-et-Vilaine) or '971'",
  ),
  region: format(z.string().regex(/^\d{2}$/), "a région académique code of 2 digits, e.g. '53' (Bretagne)"),
  /** `UAI:school year:name`, as the roster importer builds it (libs/directory/src/datasets/roster.ts). */
  classId: format(
    z.string().regex(/^\d{7}[A-Z]:\d{4}-\d{4}:.{1,100}$/u),
    'a class id UAI:school year:name, e.g. 0350122T:2025-2026:CM1-CM2 A',
  ),
  /** Course ids of the training space: lower-case words joined by dashes. */
  courseId: format(
    z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/),
    "a course id: lower-case letters, digits and dashes, e.g. 'decouverte-ent'",
  ),
  day: format(z.string().refine(isCalendarDay), 'a calendar day YYYY-MM-DD, e.g. 2026-01-05'),
  email: format(z.string().regex(/^[^@\s]{1,64}@[^@\s]{1,190}$/u), 'an email address like prenom.nom@ac-rennes.fr'),
  /** LRS credential keys: what LRS_BOOTSTRAP_CREDENTIAL or createLrsCredential gave. */
  lrsKey: format(z.string().regex(/^[^\s:]{1,100}$/u), 'an LRS key (no spaces or colons, at most 100 characters)'),
  /** Free text of a given maximum length (names, labels, search words). */
  text: (maxLength: number) => format(z.string().max(maxLength), `at most ${maxLength} characters`, { maxLength }),
  /** Multi-line free text (descriptions, page bodies, messages, pasted CSV): newlines and tabs allowed. */
  paragraphs: (maxLength: number) =>
    format(z.string().max(maxLength), `text of at most ${maxLength} characters`, { maxLength, multiline: true }),
  /** Search words: bounded in length and in number of words, so one request stays one cheap query. */
  searchWords: (maxLength: number, maxWords: number) =>
    format(
      z
        .string()
        .max(maxLength)
        .refine((v) => v.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length <= maxWords),
      `at most ${maxWords} words and ${maxLength} characters`,
      { maxLength },
    ),
  /** A JSON document passed as a string (e.g. an xAPI Agent), newlines allowed. */
  json: (maxLength: number) =>
    format(z.string().max(maxLength), `JSON of at most ${maxLength} characters`, { maxLength, multiline: true }),
  int: (min: number, max: number) => format(z.number().int().min(min).max(max), `a whole number from ${min} to ${max}`),
  /** Passwords are checked for strength by the password policy; here only their size. */
  password: format(z.string().max(256), 'at most 256 characters', { maxLength: 256 }),
} as const;

/** An argument that is a list of values of one format. */
export interface ListOf {
  readonly kind: 'list';
  readonly of: Format | InputClass;
  readonly maxItems: number;
}

export function listOf(of: Format | InputClass, maxItems: number): ListOf {
  return { kind: 'list', of, maxItems };
}

/** A GraphQL input type (or REST body class) whose fields carry @Checked formats. */
export type InputClass = abstract new (...args: never[]) => unknown;

/** What an argument or an input field is declared to be. */
export type Declared = Format | ListOf | InputClass;
