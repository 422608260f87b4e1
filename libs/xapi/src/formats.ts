/**
 * Lexical formats used by the xAPI Data part (section 4: IRIs, UUIDs, timestamps, durations, language tags).
 * Regular expressions are compiled once: validation runs on the ingest hot path.
 */

/** Absolute IRI: a scheme, a colon, then no whitespace, control characters or the characters RFC 3987 excludes. */
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\p{Cc}]+$/u;
/** IRL: an IRI that can be dereferenced, so it is restricted to http(s). */
const IRL = /^https?:\/\/[^\s<>"{}|\\^`\p{Cc}]+$/iu;
/** RFC 4122 standard string form (any version, any variant: the spec only recommends variant 2). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * ISO 8601 combined date and time in extended format, as RFC 3339 profiles it, with an optional offset
 * (xAPI 1.0.3 only says a timestamp SHOULD carry a time zone; 2.0.0 requires one, checked by the caller).
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
/** ISO 8601:2004 4.4.3.2 duration; the week form stands alone. Components are checked by the caller. */
const DURATION =
  /^P(?:(\d+(?:[.,]\d+)?)W|(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?)$/;
/** RFC 5646 language tag (well-formedness: language, script, region, variants, extensions, private use). */
const LANGUAGE_TAG =
  /^(?:(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z\d]{2,8})+)*(?:-[Xx](?:-[A-Za-z\d]{1,8})+)?|[Xx](?:-[A-Za-z\d]{1,8})+|i-[A-Za-z]{2,8}|und)$/;
const SHA1_HEX = /^[0-9a-f]{40}$/i;
const SHA2_HEX = /^(?:[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{96}|[0-9a-f]{128})$/i;
/** RFC 6838 media type: type "/" subtype, then optional parameters. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(?:\s*;.*)?$/;
const MAILTO = /^mailto:[^\s@]+@[^\s@]+$/i;

/** An mbox as compared and joined: only the domain is case-insensitive (Data 2.3.1). */
export function normaliseMbox(mbox: string): string {
  const at = mbox.lastIndexOf('@');
  return at === -1 ? mbox : mbox.slice(0, at) + mbox.slice(at).toLowerCase();
}

export const isIri = (v: string): boolean => IRI.test(v);
export const isIrl = (v: string): boolean => IRL.test(v);
export const isUuid = (v: string): boolean => UUID.test(v);
export const isLanguageTag = (v: string): boolean => LANGUAGE_TAG.test(v);
export const isSha1Hex = (v: string): boolean => SHA1_HEX.test(v);
export const isSha2Hex = (v: string): boolean => SHA2_HEX.test(v);
export const isMediaType = (v: string): boolean => MEDIA_TYPE.test(v);
export const isMailto = (v: string): boolean => MAILTO.test(v);

export type TimestampCheck = 'ok' | 'malformed' | 'invalid-date' | 'negative-zero-offset' | 'no-offset';

/** Checks a timestamp's form and calendar values; `requireOffset` is xAPI 2.0.0's rule. */
export function checkTimestamp(v: string, requireOffset: boolean): TimestampCheck {
  const m = TIMESTAMP.exec(v);
  if (!m) return 'malformed';
  const [, y, mo, d, h, mi, s, , offset] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(y), month)) return 'invalid-date';
  // 24:00 is not accepted: RFC 3339 forbids it and it would silently shift the day.
  // Leap seconds (:60) are refused too: JavaScript time has none, so such a statement could not be stored.
  if (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59)) return 'invalid-date';
  if (offset === undefined) return requireOffset ? 'no-offset' : 'ok';
  // RFC 3339 4.3: "-00:00" means "offset unknown", which xAPI cannot order in time.
  if (offset.startsWith('-') && /^-00(?::?00)?$/.test(offset)) return 'negative-zero-offset';
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(-2)) > 59)) return 'invalid-date';
  return Number.isNaN(timestampToMillis(v)) ? 'invalid-date' : 'ok';
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** ISO 8601 duration: at least one component, and only the smallest one may carry a fraction. */
export function isDuration(v: string): boolean {
  const m = DURATION.exec(v);
  if (!m) return false;
  const parts = m.slice(1).filter((p): p is string => p !== undefined);
  if (parts.length === 0) return false;
  if (v.endsWith('T')) return false;
  const fractional = parts.findIndex((p) => /[.,]/.test(p));
  return fractional === -1 || fractional === parts.length - 1;
}

/** Parses a timestamp already accepted by {@link checkTimestamp} to epoch milliseconds (UTC when no offset). */
export function timestampToMillis(v: string): number {
  const hasOffset = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(v.slice(16));
  const normalised = v
    .replace(',', '.')
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    .replace(/([+-]\d{2})$/, '$1:00');
  return Date.parse(hasOffset ? normalised : `${normalised}Z`);
}
