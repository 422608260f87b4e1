import type { XapiVersion } from '@ent-observatory/xapi';
import { LrsErrorCode, LrsException } from './lrs.exception.js';

export const XAPI_VERSION_HEADER = 'X-Experience-API-Version';
export const CONSISTENT_THROUGH_HEADER = 'X-Experience-API-Consistent-Through';

type Headers = Record<string, string | string[] | undefined>;

/** 1.0.0–1.0.3 (and "1.0") are the same protocol; 2.0.0 is IEEE 9274.1.1. Answers name the newest of each line. */
export function negotiateVersion(headers: Headers): XapiVersion {
  const header = headers[XAPI_VERSION_HEADER.toLowerCase()];
  const v = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!v) {
    throw new LrsException(
      LrsErrorCode.MissingVersion,
      `the ${XAPI_VERSION_HEADER} header is required; send "1.0.3" or "2.0.0"`,
    );
  }
  if (/^1\.0(\.[0-3])?$/.test(v)) return '1.0.3';
  if (/^2\.0(\.0)?$/.test(v)) return '2.0.0';
  throw new LrsException(
    LrsErrorCode.UnsupportedVersion,
    `${XAPI_VERSION_HEADER} "${v}" is not supported; this LRS speaks 1.0.x (1.0.3) and 2.0.0`,
  );
}

/** The version to put on a response, even an error one: the request's if it was valid, 1.0.3 otherwise. */
export function responseVersion(headers: Headers): XapiVersion {
  try {
    return negotiateVersion(headers);
  } catch {
    return '1.0.3';
  }
}
