import { handInIfDone } from './assignments.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Query, Store } from '@ent-observatory/store';
import { type Actor, actorIfi, isUuid, validateAgent } from '@ent-observatory/xapi';
import { type AuNode, type CourseStructure, ancestorBlocks, auAt, ausOf } from './course-structure.js';
import type { Course, CourseRepository } from './course-repository.js';
import type { LrsPort } from './lrs-port.js';
import {
  type ContextExtras,
  DEFAULT_LEARNER_PREFERENCES,
  type Statement,
  abandonedStatement,
  contextTemplateOf,
  launchDataOf,
  launchUrlOf,
  launchedStatement,
  satisfiedStatement,
  waivedStatement,
} from './lms-statements.js';
import { evaluateMoveOn } from './move-on.js';
import { type Registration, RegistrationRepository } from './registrations.js';
import { TrainingErrorCode, TrainingException } from './training.exception.js';
import { LAUNCH_DATA_STATE_ID, LAUNCH_MODES, type LaunchMode, type LaunchMethod } from './vocabulary.js';

export const FETCH_PATH = '/formation/api/fetch/';
export const CONTENT_PATH = '/formation/contenus/';

export interface LaunchRequest {
  courseId: string;
  auIndex: number;
  actor: unknown;
  registration?: string | undefined;
  launchMode?: string | undefined;
  returnUrl?: string | undefined;
  /** The origin the AU reaches us at (scheme://host[:port]): endpoint, fetch and package urls are built on it. */
  baseUrl: string;
  userId?: string | null;
  /** ENT profile context (uai, class) for the training space's own learners. */
  extras?: ContextExtras;
}

export interface LaunchResult {
  url: string;
  registration: string;
  sessionId: string;
  launchMethod: LaunchMethod;
}

export type FetchAnswer = { 'auth-token': string } | { 'error-code': '1' | '2' | '3'; 'error-text': string };

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The key of the LRS credential an auth token carries: `cmi5-<session id>` (never a stored LRS key). */
export const SESSION_KEY_PREFIX = 'cmi5-';

/**
 * The LMS side of a cmi5 launch (§8, §10, §11) and the LMS's own statements (§9.3): registrations, launch URL,
 * one-time fetch, abandon, waive, and satisfied blocks and course when moveOn is met.
 */
export class Cmi5Launcher {
  readonly registrations: RegistrationRepository;
  private readonly withPreferences = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly courses: CourseRepository,
    private readonly lrs: LrsPort,
    private readonly sessionTtlMs: number,
  ) {
    this.registrations = new RegistrationRepository(store);
  }

  async launch(req: LaunchRequest): Promise<LaunchResult> {
    const course = await this.courseOf(req.courseId);
    const au = auAt(course.structure, req.auIndex);
    if (!Number.isInteger(req.auIndex) || !au) {
      throw input(
        `auIndex ${String(req.auIndex)} is not an AU of course ${course.id} (0 to ${ausOf(course.structure).length - 1})`,
      );
    }
    const actor = checkActor(req.actor);
    const launchMode = checkLaunchMode(req.launchMode);
    const registration = await this.ensureRegistration(course, actor, req.registration, req.userId ?? null, req.extras);
    await this.abandonOpen(registration.id, course);

    const sessionId = randomUUID();
    const fetchToken = randomBytes(24).toString('base64url');
    const launchUrl = absoluteAuUrl(au.url, course.id, req.baseUrl);
    const url = launchUrlOf(launchUrl, {
      endpoint: `${req.baseUrl}/xapi/`,
      fetch: `${req.baseUrl}${FETCH_PATH}${fetchToken}`,
      actor,
      registration: registration.id,
      activityId: au.lmsId,
    });
    const contextTemplate = contextTemplateOf(au, sessionId, req.extras);
    const now = new Date();
    await this.store.query(
      `INSERT INTO training_launch_sessions (id, registration, au_index, launch_mode, fetch_token_hash, launched_at,
         expires_at, context_template, mastery_score) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        sessionId,
        registration.id,
        au.index,
        launchMode,
        sha256(fetchToken),
        now,
        new Date(now.getTime() + this.sessionTtlMs),
        JSON.stringify(contextTemplate),
        au.masteryScore ?? null,
      ],
    );
    // §10, §11 and §9.3.1: the launch data, the learner's preferences and "launched" are recorded before the AU
    // starts; they do not depend on each other, so they are written together.
    await Promise.all([
      this.lrs.putState(
        { activityId: au.lmsId, agent: actor, registration: registration.id, stateId: LAUNCH_DATA_STATE_ID },
        launchDataOf({ au, contextTemplate, launchMode, returnUrl: req.returnUrl }),
      ),
      this.ensurePreferences(actor),
      this.registrations.recordLaunch(registration.id, au.index, now),
      this.lrs.storeStatements([
        launchedStatement({
          actor,
          registration: registration.id,
          sessionId,
          au,
          launchMode,
          launchUrl,
          timestamp: now,
          extras: req.extras,
        }),
      ]),
    ]);
    return { url, registration: registration.id, sessionId, launchMethod: au.launchMethod };
  }

  /**
   * The learner preferences document (§11) of an actor, written once if absent. Actors known to have one are
   * remembered in this process: the insert-if-absent stays the guard, this only saves its round trips.
   */
  private async ensurePreferences(actor: Actor): Promise<void> {
    const ifi = actorIfi(actor);
    if (this.withPreferences.has(ifi)) return;
    await this.lrs.ensureAgentProfile(actor, DEFAULT_LEARNER_PREFERENCES.id, DEFAULT_LEARNER_PREFERENCES.content);
    if (this.withPreferences.size > 100_000) this.withPreferences.clear();
    this.withPreferences.add(ifi);
  }

  /** §8.2: the auth token, once; afterwards (or for an ended session) error 1, for an unknown token error 2. */
  async fetch(fetchToken: string): Promise<FetchAnswer> {
    const secret = randomBytes(24).toString('base64url');
    const rows = await this.store.query<{ id: string }>(
      `UPDATE training_launch_sessions SET fetched_at = now(), auth_token_hash = $2
       WHERE fetch_token_hash = $1 AND fetched_at IS NULL AND terminated_at IS NULL AND abandoned_at IS NULL
         AND expires_at > now() RETURNING id`,
      [sha256(fetchToken), sha256(secret)],
    );
    const id = rows[0]?.id;
    if (id) return { 'auth-token': Buffer.from(`${SESSION_KEY_PREFIX}${id}:${secret}`).toString('base64') };
    const [known] = await this.store.query<{ fetched_at: Date | null }>(
      'SELECT fetched_at FROM training_launch_sessions WHERE fetch_token_hash = $1',
      [sha256(fetchToken)],
    );
    if (!known) return { 'error-code': '2', 'error-text': 'Unknown fetch URL: no AU session was launched with it.' };
    return known.fetched_at
      ? { 'error-code': '1', 'error-text': 'The authorization token has already been returned.' }
      : { 'error-code': '1', 'error-text': 'The AU session has ended or expired.' };
  }

  /** The course an AU session was launched in. */
  async courseOfSession(sessionId: string): Promise<string> {
    const [row] = isUuid(sessionId)
      ? await this.store.query<{ course_id: string }>(
          `SELECT r.course_id FROM training_launch_sessions s JOIN training_registrations r ON r.id = s.registration
           WHERE s.id = $1`,
          [sessionId],
        )
      : [];
    if (!row) throw new TrainingException(TrainingErrorCode.NotFound, `no AU session ${sessionId}`);
    return row.course_id;
  }

  /** Abandons an open session on behalf of its AU (§9.3.6): one "abandoned" statement, then nothing more. */
  async abandon(sessionId: string): Promise<void> {
    if (!isUuid(sessionId)) throw new TrainingException(TrainingErrorCode.NotFound, `no AU session ${sessionId}`);
    const [row] = await this.store.query<{ registration: string; course_id: string }>(
      `SELECT s.registration, r.course_id FROM training_launch_sessions s
       JOIN training_registrations r ON r.id = s.registration WHERE s.id = $1`,
      [sessionId],
    );
    if (!row) throw new TrainingException(TrainingErrorCode.NotFound, `no AU session ${sessionId}`);
    const course = await this.courseOf(row.course_id);
    const done = await this.abandonSessions(course, 'id = $1', [sessionId]);
    if (done === 0) {
      throw new TrainingException(
        TrainingErrorCode.Conflict,
        `AU session ${sessionId} already ended (terminated or abandoned)`,
      );
    }
  }

  /** §9.3.7: the AU's requirements are met otherwise; once per AU and registration, then moveOn. */
  async waive(registrationId: string, auIndex: number, reason: string): Promise<void> {
    if (!isUuid(registrationId))
      throw new TrainingException(TrainingErrorCode.NotFound, `no registration ${registrationId}`);
    if (typeof reason !== 'string' || reason.trim() === '')
      throw input('reason is required (e.g. "Tested Out", "Administrative")');
    const registration = await this.registrations.find(registrationId);
    if (!registration) throw new TrainingException(TrainingErrorCode.NotFound, `no registration ${registrationId}`);
    const course = await this.courseOf(registration.courseId);
    const au = auAt(course.structure, auIndex);
    if (!Number.isInteger(auIndex) || !au)
      throw input(`auIndex ${String(auIndex)} is not an AU of course ${course.id}`);
    const sessionId = randomUUID();
    const statements = await this.store.transaction(async (q) => {
      const locked = await this.registrations.findForUpdate(registrationId, q);
      const current = await this.registrations.aus(registrationId, q);
      if (current.get(auIndex)?.waived) {
        throw new TrainingException(TrainingErrorCode.Conflict, `AU ${auIndex} is already waived in this registration`);
      }
      await this.registrations.applyAu(
        registrationId,
        auIndex,
        {
          completed: false,
          passed: false,
          failed: false,
          waived: { reason },
          satisfied: true,
          scoreScaled: undefined,
          progress: undefined,
          addDurationMs: 0,
          at: new Date(),
        },
        q,
      );
      const base = { actor: registration.actor, registration: registrationId, sessionId };
      const waived = waivedStatement({ ...base, au, reason: reason.trim() });
      const satisfied = await this.satisfy(course, locked ?? registration, base, q, [au.index]);
      return [
        waived,
        ...satisfied,
        ...(await handInIfDone(q, this.courses, this.registrations, registrationId, new Date())),
      ];
    });
    await this.lrs.storeStatements(statements);
  }

  /**
   * The "satisfied" statements moveOn now calls for in a registration (§9.3.9), recorded as satisfied in the same
   * transaction so that two requests cannot both issue them. `auIndexes`: the AUs whose change triggered this
   * (undefined: every block, as at registration time, §9.6.1).
   */
  async satisfy(
    course: Course,
    registration: Registration,
    base: { actor: Actor; registration: string; sessionId: string },
    q: Query,
    auIndexes?: number[],
  ): Promise<Statement[]> {
    const outcomes = await this.registrations.aus(registration.id, q);
    const result = evaluateMoveOn(course.structure, outcomes, {
      blocks: new Set(registration.satisfiedBlocks),
      course: registration.satisfiedAt !== null,
    });
    const relevant = auIndexes
      ? new Set(auIndexes.flatMap((i) => ancestorBlocks(course.structure, i).map((b) => b.lmsId)))
      : undefined;
    const blocks = result.blocks.filter((b) => !relevant || relevant.has(b.lmsId));
    if (blocks.length === 0 && !result.course) return [];
    await this.registrations.markSatisfied(
      registration.id,
      blocks.map((b) => b.lmsId),
      result.course,
      q,
    );
    const now = Date.now();
    const statements = blocks.map((block, i) =>
      satisfiedStatement({ ...base, target: block, kind: 'block', timestamp: new Date(now + i) }),
    );
    if (result.course) {
      statements.push(
        satisfiedStatement({
          ...base,
          target: course.structure.course,
          kind: 'course',
          timestamp: new Date(now + blocks.length),
        }),
      );
    }
    return statements;
  }

  /**
   * The registration to launch in: the one named (which must be this actor's, in this course), or a new one. A
   * new registration evaluates moveOn at once (§9.6.1): blocks of NotApplicable AUs are satisfied now.
   */
  async ensureRegistration(
    course: Course,
    actor: Actor,
    wanted: string | undefined,
    userId: string | null,
    extras?: ContextExtras,
  ): Promise<Registration> {
    if (wanted !== undefined && !isUuid(wanted)) throw input(`registration "${wanted}" is not a UUID`);
    if (wanted !== undefined) {
      const existing = await this.registrations.find(wanted.toLowerCase());
      if (existing) {
        if (existing.courseId !== course.id) throw input(`registration ${wanted} belongs to another course`);
        if (actorIfi(existing.actor) !== actorIfi(actor))
          throw input(`registration ${wanted} belongs to another actor`);
        return existing;
      }
    }
    const id = wanted?.toLowerCase() ?? randomUUID();
    const sessionId = randomUUID();
    const atOnce = evaluateMoveOn(course.structure, new Map(), { blocks: new Set(), course: false });
    if (atOnce.blocks.length === 0 && !atOnce.course) {
      // Nothing is satisfied before any AU is: one insert is the whole registration.
      if (!(await this.registrations.create({ id, courseId: course.id, actor, userId }))) {
        return this.ensureRegistration(course, actor, id, userId, extras);
      }
      return { id, courseId: course.id, actor, userId, satisfiedAt: null, satisfiedBlocks: [] };
    }
    const statements = await this.store.transaction(async (q) => {
      await this.registrations.create({ id, courseId: course.id, actor, userId }, q);
      const created = await this.registrations.findForUpdate(id, q);
      if (!created) throw new Error(`registration ${id} vanished`);
      if (actorIfi(created.actor) !== actorIfi(actor)) throw input(`registration ${id} belongs to another actor`);
      return this.satisfy(course, created, { actor, registration: id, sessionId }, q);
    });
    if (statements.length > 0) await this.lrs.storeStatements(statements.map((s) => withExtras(s, extras)));
    const registration = await this.registrations.find(id);
    if (!registration) throw new Error(`registration ${id} vanished`);
    return registration;
  }

  async courseOf(courseId: string): Promise<Course> {
    const course = typeof courseId === 'string' ? await this.courses.find(courseId) : undefined;
    if (!course) throw new TrainingException(TrainingErrorCode.NotFound, `no course ${String(courseId)}`);
    return course;
  }

  /** §9.3.6: a new launch in a registration abandons its sessions still open. */
  private async abandonOpen(registration: string, course: Course): Promise<void> {
    await this.abandonSessions(course, 'registration = $1 AND terminated_at IS NULL AND abandoned_at IS NULL', [
      registration,
    ]);
  }

  private async abandonSessions(course: Course, where: string, params: unknown[]): Promise<number> {
    const rows = await this.store.query<{
      id: string;
      registration: string;
      au_index: number;
      launched_at: Date | string;
      last_statement_at: Date | string | null;
      context_template: Record<string, unknown> | string;
    }>(
      `UPDATE training_launch_sessions SET abandoned_at = now()
       WHERE ${where} AND terminated_at IS NULL AND abandoned_at IS NULL
       RETURNING id, registration, au_index, launched_at, last_statement_at, context_template`,
      params,
    );
    if (rows.length === 0) return 0;
    const statements: Statement[] = [];
    for (const r of rows) {
      const registration = await this.registrations.find(r.registration);
      const au = auAt(course.structure, r.au_index);
      if (!registration || !au) continue;
      const launched = new Date(r.launched_at).getTime();
      const last = r.last_statement_at === null ? launched : new Date(r.last_statement_at).getTime();
      const durationMs = Math.max(0, last - launched);
      const template = (
        typeof r.context_template === 'string' ? JSON.parse(r.context_template) : r.context_template
      ) as Record<string, unknown>;
      statements.push(
        abandonedStatement({
          actor: registration.actor,
          registration: r.registration,
          sessionId: r.id,
          au,
          durationMs,
          extras: extrasOf(template),
        }),
      );
      await this.store.query(
        'UPDATE training_registration_aus SET duration_ms = duration_ms + $3 WHERE registration = $1 AND au_index = $2',
        [r.registration, r.au_index, durationMs],
      );
    }
    await this.lrs.storeStatements(statements);
    return rows.length;
  }
}

/** The launch URL of an AU: absolute as given, relative to the package's files, or a page of the training space. */
export function absoluteAuUrl(url: string, courseId: string, baseUrl: string): string {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return url;
  if (url.startsWith('/')) return `${baseUrl}${url}`;
  return `${baseUrl}${CONTENT_PATH}${encodeURIComponent(courseId)}/${url.replace(/^\.\//, '')}`;
}

/** The ENT extensions of a context template (everything but the cmi5 session id). */
export function extrasOf(template: Record<string, unknown>): ContextExtras {
  const ext = (template.extensions ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(ext).filter(([k]) => !k.startsWith('https://w3id.org/xapi/cmi5/')));
}

function withExtras(s: Statement, extras: ContextExtras | undefined): Statement {
  if (!extras || Object.keys(extras).length === 0) return s;
  const ctx = s.context as { extensions: Record<string, unknown> };
  return { ...s, context: { ...ctx, extensions: { ...ctx.extensions, ...extras } } };
}

function checkActor(actor: unknown): Actor {
  const problems = validateAgent(actor, '$.actor');
  const a = actor as Record<string, unknown> | undefined;
  if (
    problems.length > 0 ||
    !a ||
    typeof a.account !== 'object' ||
    (a.objectType !== undefined && a.objectType !== 'Agent')
  ) {
    const why = problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw input(`actor must be an xAPI Agent identified by an account (cmi5 §9.2)${why ? `: ${why}` : ''}`);
  }
  return actor as Actor;
}

function checkLaunchMode(mode: string | undefined): LaunchMode {
  if (mode === undefined) return 'Normal';
  if (!(LAUNCH_MODES as readonly string[]).includes(mode))
    throw input(`launchMode must be one of ${LAUNCH_MODES.join(', ')}`);
  return mode as LaunchMode;
}

function input(message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.InvalidInput, message);
}

export type { AuNode, CourseStructure };
