import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Store } from '@ent-observatory/store';
import {
  Attestations,
  Cmi5Sessions,
  CourseRepository,
  type SessionCredential,
  SessionFollowUp,
  TrainingErrorCode,
  TrainingException,
  attestationPdf,
  auAt,
  gradeQuiz,
  quizForLearner,
  textOf,
} from '@ent-observatory/training';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ANY_SIGNED_IN, Allow, Public, type Principal } from '../auth/access.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { STORE } from '../common/tokens.js';
import { parseBasic } from '../lrs/lrs-auth.guard.js';
import { publicBaseUrl } from './base-url.js';
import { TrainingAccessService } from './training-access.service.js';
import { TrainingHttpFilter } from './training-http.filter.js';

/**
 * What native activities (AUs served by the training space) ask of it with their cmi5 auth token — their content,
 * the grading of a quiz, a « dépôt » — and the attestation and grid files of the training space.
 */
@Controller('formation/api')
@UseFilters(TrainingHttpFilter)
export class NativeAuController {
  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(Cmi5Sessions) private readonly sessions: Cmi5Sessions,
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(Attestations) private readonly attestations: Attestations,
    @Inject(SessionFollowUp) private readonly followUp: SessionFollowUp,
    @Inject(TrainingAccessService) private readonly access: TrainingAccessService,
  ) {}

  /** The activity the token's session launched, as the learner may see it (no quiz answers). */
  @Get('au/content')
  @Public()
  async content(@Req() req: FastifyRequest) {
    const { session, au } = await this.sessionAu(req);
    const native = au.native!;
    return {
      title: textOf(au.title),
      launchMode: session.launchMode,
      masteryScore: au.masteryScore ?? null,
      activity: native.kind === 'quiz' ? quizForLearner(native) : native,
    };
  }

  @Post('au/quiz')
  @Public()
  @HttpCode(200)
  async grade(@Req() req: FastifyRequest, @Body() body: { answers?: Record<string, number[] | string> }) {
    const { session, au } = await this.sessionAu(req);
    if (au.native?.kind !== 'quiz') throw input('this activity is not a quiz');
    if (session.ended) throw new TrainingException(TrainingErrorCode.Forbidden, `this session is ${session.ended}`);
    const grade = gradeQuiz(au.native, au.masteryScore ?? 1, body?.answers ?? {});
    await this.sessions.recordGrade(session.sessionId, grade);
    return grade;
  }

  /** A « dépôt »: the file as the body, its name in ?filename=. */
  @Post('au/submission')
  @Public()
  @HttpCode(201)
  async submit(@Req() req: FastifyRequest, @Query('filename') filename: unknown) {
    const { session, au } = await this.sessionAu(req);
    if (au.native?.kind !== 'depot') throw input('this activity is not a dépôt');
    if (session.ended) throw new TrainingException(TrainingErrorCode.Forbidden, `this session is ${session.ended}`);
    const name = typeof filename === 'string' ? filename.split(/[\\/]/).pop()!.slice(0, 200) : '';
    if (!name) throw input('give the file name in ?filename=');
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw input('send the file as the request body');
    const id = randomUUID();
    await this.store.query(
      `INSERT INTO training_submissions (id, registration, au_index, filename, content_type, content) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        id,
        session.registration,
        session.auIndex,
        name,
        req.headers['content-type'] ?? 'application/octet-stream',
        req.body,
      ],
    );
    return { id, filename: name, size: req.body.length };
  }

  /** Public check of an attestation by its code (the verification page shows it). */
  @Get('attestations/:code')
  @Public()
  async verify(@Param('code') code: string) {
    const found = await this.attestations.verify(code);
    if (!found) throw new TrainingException(TrainingErrorCode.NotFound, `aucune attestation ne porte le code ${code}`);
    return found;
  }

  /** The PDF, for its learner (or the staff of the session). */
  @Get('attestations/:code/pdf')
  @Allow(ANY_SIGNED_IN)
  async pdf(
    @Param('code') code: string,
    @CurrentPrincipal() p: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const found = await this.attestations.verify(code);
    if (!found) throw new TrainingException(TrainingErrorCode.NotFound, `aucune attestation ne porte le code ${code}`);
    const [owner] = await this.store.query<{ user_id: string; session_id: string }>(
      `SELECT e.user_id::text, e.session_id::text FROM training_attestations a JOIN training_enrolments e ON e.registration = a.registration
       WHERE a.code = $1`,
      [found.code],
    );
    if (owner?.user_id !== p.userId) await this.access.assertSession(p, owner?.session_id ?? '');
    const pdf = await attestationPdf(found, `${publicBaseUrl(req)}/formation/verifier/${found.code}`);
    void reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="attestation-${found.code}.pdf"`)
      .send(pdf);
  }

  @Get('sessions/:sessionId/grid.csv')
  @Allow(['admin', 'trainer'])
  async gridCsv(@Param('sessionId') sessionId: string, @CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    await this.access.assertSession(p, sessionId);
    void reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="suivi-session-${sessionId}.csv"`)
      .send(await this.followUp.gridCsv(sessionId));
  }

  /**
   * A file handed in to a « dépôt », for the staff of its session and for the learner who handed it in. Always a
   * download, never rendered by the browser (a hand-in is whatever the learner sent).
   */
  @Get('submissions/:id')
  @Allow(ANY_SIGNED_IN)
  async submission(@Param('id') id: string, @CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    if (!UUID.test(id)) throw input(`id: expected the UUID of a handed-in file, got "${id.slice(0, 40)}"`);
    const file = await this.followUp.submission(id);
    if (!file) throw new TrainingException(TrainingErrorCode.NotFound, `no handed-in file ${id}`);
    if (file.userId !== p.userId) await this.access.assertSession(p, file.sessionId);
    void reply
      .header('Content-Type', 'application/octet-stream')
      .header('Content-Disposition', contentDisposition(file.filename))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .header('Cache-Control', 'private, no-store')
      .send(Buffer.from(file.content));
  }

  private async sessionAu(
    req: FastifyRequest,
  ): Promise<{ session: SessionCredential; au: NonNullable<ReturnType<typeof auAt>> }> {
    const basic = parseBasic(req.headers.authorization);
    const session = basic ? await this.sessions.resolve(basic.key, basic.secret) : null;
    if (!session)
      throw new TrainingException(TrainingErrorCode.Forbidden, 'send the auth token of the AU session (cmi5 §8.2)');
    const course = await this.courses.cached(session.courseId);
    const au = course && auAt(course.structure, session.auIndex);
    if (!au?.native) throw input('this AU is not an activity of the training space');
    return { session, au };
  }
}

function input(message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.InvalidInput, message);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `attachment` with the name as sent (RFC 6266 / 5987) and a plain ASCII fallback for old clients. */
function contentDisposition(filename: string): string {
  const ascii =
    filename
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '_') || 'fichier';
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
