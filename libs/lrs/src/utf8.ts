import { isUtf8 } from 'node:buffer';
import { LrsErrorCode, LrsException } from './lrs.exception.js';

/**
 * The text of a body that must be UTF-8. A lenient decoder would replace invalid bytes (`C3 28`, a lone continuation
 * byte, the overlong `C0 AF`) with U+FFFD and the LRS would store something other than what it acknowledged: such a
 * body is refused instead, naming the first invalid byte.
 */
export function decodeUtf8(bytes: Buffer, what: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  throw new LrsException(
    LrsErrorCode.InvalidEncoding,
    `${what} is not valid UTF-8 (first invalid byte at offset ${firstInvalidByte(bytes)}): send UTF-8 text`,
  );
}

/** JSON from bytes that must be UTF-8 (400 naming `what` otherwise). */
export function parseJson(bytes: Buffer, what: string): unknown {
  const text = decodeUtf8(bytes, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LrsException(LrsErrorCode.InvalidJson, `${what} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Where a buffer stops being UTF-8 (only computed for the error message). */
function firstInvalidByte(b: Buffer): number {
  for (let i = 0; i < b.length;) {
    const c = b[i] as number;
    const more =
      c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    // isUtf8 on the one sequence also rejects overlong forms, surrogates and continuation bytes out of range.
    if (more < 0 || i + more >= b.length || !isUtf8(b.subarray(i, i + more + 1))) return i;
    i += more + 1;
  }
  return b.length;
}

/**
 * Percent-decodes a form or query string strictly: `%C3%28` is refused rather than decoded to U+FFFD (which
 * URLSearchParams and most query parsers do), so that a parameter or an alternate-syntax `content` reaches the LRS as
 * sent or not at all.
 */
export function strictForm(text: string, what: string): [string, string][] {
  if (text === '') return [];
  return text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    return [decodeComponent(name, what), decodeComponent(value, what)];
  });
}

function decodeComponent(s: string, what: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new LrsException(
      LrsErrorCode.InvalidEncoding,
      `${what}: "${s.slice(0, 60)}" is not percent-encoded UTF-8 (encode each byte of the UTF-8 text as %XX)`,
    );
  }
}
