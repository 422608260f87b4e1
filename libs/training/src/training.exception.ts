/**
 * Everything the training domain refuses, as one code enum: transports map each code to an HTTP status or a
 * GraphQL error through one exhaustive switch.
 */
export enum TrainingErrorCode {
  /** A course package breaks the XSD or a rule of cmi5 §13–14 (the message names the rule). */
  InvalidPackage = 'invalid_package',
  /** A request's input is malformed (the message names the field). */
  InvalidInput = 'invalid_input',
  NotFound = 'not_found',
  /** Allowed in general, but not for this caller or this state (the message says why). */
  Forbidden = 'forbidden',
  /** The state changed in a way that makes the request impossible (already waived, session ended…). */
  Conflict = 'conflict',
  /** An AU statement breaks a cmi5 statement rule (§9): refused, nothing recorded. */
  Cmi5Rule = 'cmi5_rule',
}

export class TrainingException extends Error {
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function invalidPackage(rule: string, message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.InvalidPackage, `${rule}: ${message}`);
}
