import type { Problem } from '@ent-observatory/xapi';

/** Every way an xAPI request can fail; the filter maps each to its HTTP status with an exhaustive switch. */
export enum LrsErrorCode {
  InvalidJson = 'invalid_json',
  InvalidEncoding = 'invalid_encoding',
  UnsupportedMediaType = 'unsupported_media_type',
  /** A Statement resource write that is neither application/json nor multipart/mixed: 400 (XAPI-00127). */
  InvalidContentType = 'invalid_content_type',
  PayloadTooLarge = 'payload_too_large',
  InvalidStatement = 'invalid_statement',
  InvalidParameter = 'invalid_parameter',
  InvalidDocument = 'invalid_document',
  MissingVersion = 'missing_version',
  UnsupportedVersion = 'unsupported_version',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  PreconditionFailed = 'precondition_failed',
  PreconditionRequired = 'precondition_required',
  NotImplemented = 'not_implemented',
  TooManyRequests = 'too_many_requests',
  StorageUnavailable = 'storage_unavailable',
}

export class LrsException extends Error {
  constructor(
    readonly code: LrsErrorCode,
    message: string,
    readonly details: Problem[] = [],
  ) {
    super(message);
  }
}

export function httpStatusOf(code: LrsErrorCode): number {
  switch (code) {
    case LrsErrorCode.InvalidJson:
    case LrsErrorCode.InvalidEncoding:
    case LrsErrorCode.InvalidStatement:
    case LrsErrorCode.InvalidParameter:
    case LrsErrorCode.InvalidDocument:
    case LrsErrorCode.InvalidContentType:
    case LrsErrorCode.MissingVersion:
    case LrsErrorCode.UnsupportedVersion:
      return 400;
    case LrsErrorCode.Unauthorized:
      return 401;
    case LrsErrorCode.Forbidden:
      return 403;
    case LrsErrorCode.NotFound:
      return 404;
    case LrsErrorCode.Conflict:
      return 409;
    case LrsErrorCode.PreconditionFailed:
      return 412;
    case LrsErrorCode.PayloadTooLarge:
      return 413;
    case LrsErrorCode.UnsupportedMediaType:
      return 415;
    case LrsErrorCode.TooManyRequests:
      return 429;
    case LrsErrorCode.PreconditionRequired:
      return 428;
    case LrsErrorCode.NotImplemented:
      return 501;
    case LrsErrorCode.StorageUnavailable:
      return 503;
  }
}
