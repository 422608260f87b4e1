import { X509Certificate, verify } from 'node:crypto';
import { type Json, isObject, isSameStatement } from '@ent-observatory/xapi';

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

const HASH_OF_ALG: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Checks a signed statement (Data 2.6): the JWS compact serialization in its signature attachment must use RS256,
 * RS384 or RS512, verify against the x5c certificate when the header has one, and carry as payload the statement
 * itself (without the signature attachment). Returns what is wrong, or undefined when it is valid.
 */
export function signatureProblem(statement: Json, jws: string): string | undefined {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) return 'is not a JWS compact serialization (three base64url parts separated by dots)';
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeJson(headerPart);
  if (!isObject(header)) return 'has a JWS header that is not base64url-encoded JSON';
  const hash = typeof header.alg === 'string' ? HASH_OF_ALG[header.alg] : undefined;
  if (hash === undefined) return `uses alg ${JSON.stringify(header.alg)}; RS256, RS384 or RS512 is required`;
  const payload = decodeJson(payloadPart);
  if (!isObject(payload)) return 'has a JWS payload that is not base64url-encoded JSON';
  if (header.x5c !== undefined) {
    const [first] = Array.isArray(header.x5c) ? (header.x5c as unknown[]) : [];
    let key;
    try {
      key = new X509Certificate(Buffer.from(String(first), 'base64')).publicKey;
    } catch {
      return 'has an x5c header whose first certificate cannot be read';
    }
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    if (!verify(hash, signed, key, Buffer.from(signaturePart, 'base64url'))) {
      return 'does not verify with the public key of its x5c certificate';
    }
  }
  const { id } = statement;
  if (typeof payload.id === 'string' && typeof id === 'string' && payload.id.toLowerCase() !== id.toLowerCase()) {
    return 'signs a statement with another id';
  }
  // Attachments are not compared (the signature attachment was added after signing).
  if (!isSameStatement(payload, statement)) return 'signs a statement that differs from the one sent';
  return undefined;
}
