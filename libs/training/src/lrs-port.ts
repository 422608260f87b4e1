import type { Actor } from '@ent-observatory/xapi';
import type { Statement } from './lms-statements.js';

/**
 * What the cmi5 LMS needs from the LRS it is integrated with (cmi5 §3: "LMS refers to an integrated entity of LMS
 * and LRS"). The API implements it with its LRS services; the training logic never reaches into the LRS otherwise.
 */
export interface LrsPort {
  /** Stores statements the LMS makes, with the LMS's authority, durably and in the order given. */
  storeStatements(statements: Statement[]): Promise<void>;
  /** Writes (replaces) a State document. */
  putState(
    key: { activityId: string; agent: Actor; registration: string; stateId: string },
    content: object,
  ): Promise<void>;
  /** Writes an Agent Profile document unless one exists (the learner's own choices are kept). */
  ensureAgentProfile(agent: Actor, profileId: string, content: object): Promise<void>;
}
