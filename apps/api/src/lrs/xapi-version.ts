import type { XapiVersion } from '@ent-observatory/xapi';
import { LrsErrorCode, LrsException } from '@ent-observatory/lrs';

export const XAPI_VERSION_HEADER = 'X-Experience-API-Version';
export const CONSISTENT_THROUGH_HEADER = 'X-Experience-API-Consistent-Through';

type Headers = Record<string, string | string[] | undefined>;

/**
 * Every 1.0.x (and "1.0") is the same protocol, so a request starting with "1.0" is accepted (Communication 3.3) and
 * answered in 1.0.3; 2.0.x (IEEE 9274.1.1) likewise in 2.0.0. Answers name the newest patch version of each line.
 */
export function negotiateVersion(headers: Headers): XapiVersion {
  const header = headers[XAPI_VERSION_HEADER.toLowerCase()];
  const v = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!v) {
    throw new LrsException(
      LrsErrorCode.MissingVersion,
      `the ${XAPI_VERSION_HEADER} header is required; send "1.0.3" or "2.0.0"`,
    );
  }
  if (/^1\.0(\.\d+)?$/.test(v)) return '1.0.3';
  if (/^2\.0(\.\d+)?$/.test(v)) return '2.0.0';
  throw new LrsException(
    LrsErrorCode.UnsupportedVersion,
    `${XAPI_VERSION_HEADER} "${v}" is not supported; this LRS speaks 1.0.x (1.0.3) and 2.0.0`,
  );
}

/**
 * The version to put on a response, even an error one (Communication 3.3: every response carries it): the request's
 * if it named one the LRS speaks; otherwise none was agreed, and the header names the latest version this LRS
 * implements, 2.0.0 — what a 2.0.0 client expects on the 400 for a missing header (XAPI-00331), and what the "latest
 * patch version" rule asks for.
 */
export function responseVersion(headers: Headers): XapiVersion {
  try {
    return negotiateVersion(headers);
  } catch (e) {
    if (!(e instanceof LrsException)) throw e;
    return '2.0.0';
  }
}
