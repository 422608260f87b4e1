import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, UseFilters } from '@nestjs/common';
import {
  Cmi5Launcher,
  CourseRepository,
  TrainingErrorCode,
  TrainingException,
  importCoursePackage,
  packageFormatOf,
} from '@ent-observatory/training';
import type { FastifyRequest } from 'fastify';
import { AllowApi, Public, type Principal } from '../auth/access.js';
import { TRAINING_OPENAPI } from './openapi.js';
import { CurrentPrincipal } from '../auth/access.guard.js';
import { ENV } from '../common/tokens.js';
import type { Env } from '../config/env.js';
import { publicBaseUrl } from './base-url.js';
import { TrainingAccessService } from './training-access.service.js';
import { TrainingHttpFilter } from './training-http.filter.js';

interface LaunchBody {
  courseId?: unknown;
  auIndex?: unknown;
  actor?: unknown;
  registration?: unknown;
  launchMode?: unknown;
  returnUrl?: unknown;
}

/**
 * The integration API of the cmi5 LMS (docs/training-api.md): import a package, launch an AU for any actor, waive
 * an AU, abandon a session. For ENTs and scripts (HTTP Basic) as well as the training space itself.
 */
@Controller('formation/api')
@UseFilters(TrainingHttpFilter)
export class IntegrationController {
  constructor(
    @Inject(CourseRepository) private readonly courses: CourseRepository,
    @Inject(Cmi5Launcher) private readonly launcher: Cmi5Launcher,
    @Inject(TrainingAccessService) private readonly access: TrainingAccessService,
    @Inject(ENV) private readonly env: Env,
  ) {}

  @Get('openapi.json')
  @Public()
  openapi() {
    return TRAINING_OPENAPI;
  }

  @Post('packages')
  @AllowApi(['admin', 'trainer'])
  @HttpCode(201)
  async importPackage(@Req() req: FastifyRequest, @CurrentPrincipal() principal: Principal) {
    const format = packageFormatOf(req.headers['content-type']);
    if (!format) {
      throw new TrainingException(
        TrainingErrorCode.InvalidPackage,
        'cmi5 §14: send the package as application/zip or text/xml (Content-Type)',
      );
    }
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new TrainingException(TrainingErrorCode.InvalidPackage, 'cmi5 §14: the request body is empty');
    }
    const courseId = await importCoursePackage(this.courses, req.body, format, this.access.userIdOf(principal), {
      maxUncompressedBytes: this.env.TRAINING_MAX_PACKAGE_BYTES * 4,
      maxEntries: 20_000,
    });
    return { courseId };
  }

  @Post('launches')
  @AllowApi(['admin', 'trainer'])
  @HttpCode(200)
  async launch(@Req() req: FastifyRequest, @Body() body: LaunchBody, @CurrentPrincipal() principal: Principal) {
    const b = body ?? {};
    if (typeof b.courseId !== 'string')
      throw input('courseId is required (the id POST /formation/api/packages answered)');
    if (typeof b.auIndex !== 'number') throw input("auIndex is required: the AU's position in the course, from 0");
    if (b.registration !== undefined && typeof b.registration !== 'string') throw input('registration must be a UUID');
    if (b.launchMode !== undefined && typeof b.launchMode !== 'string') throw input('launchMode must be a string');
    if (b.returnUrl !== undefined && typeof b.returnUrl !== 'string') throw input('returnUrl must be a URL');
    const course = await this.launcher.courseOf(b.courseId);
    this.access.assertCourse(principal, course);
    const result = await this.launcher.launch({
      courseId: b.courseId,
      auIndex: b.auIndex,
      actor: b.actor,
      registration: b.registration,
      launchMode: b.launchMode,
      returnUrl: b.returnUrl,
      baseUrl: publicBaseUrl(req),
    });
    return {
      url: result.url,
      registration: result.registration,
      sessionId: result.sessionId,
      launchMethod: result.launchMethod,
    };
  }

  @Post('registrations/:registration/waive')
  @AllowApi(['admin', 'trainer'])
  @HttpCode(204)
  async waive(
    @Param('registration') registration: string,
    @Body() body: { auIndex?: unknown; reason?: unknown },
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const b = body ?? {};
    if (typeof b.auIndex !== 'number') throw input("auIndex is required: the AU's position in the course, from 0");
    if (typeof b.reason !== 'string' || !b.reason.trim())
      throw input('reason is required, e.g. "Tested Out" or "Administrative"');
    const found = await this.launcher.registrations.find(registration);
    if (found) this.access.assertCourse(principal, await this.launcher.courseOf(found.courseId));
    await this.launcher.waive(registration, b.auIndex, b.reason);
  }

  @Post('sessions/:sessionId/abandon')
  @AllowApi(['admin', 'trainer'])
  @HttpCode(204)
  async abandon(@Param('sessionId') sessionId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    const courseId = await this.launcher.courseOfSession(sessionId);
    this.access.assertCourse(principal, await this.launcher.courseOf(courseId));
    await this.launcher.abandon(sessionId);
  }
}

function input(message: string): TrainingException {
  return new TrainingException(TrainingErrorCode.InvalidInput, message);
}
