import { Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { Cmi5Launcher, CourseRepository } from '@ent-observatory/training';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/access.js';

/**
 * What a launched AU reaches without a session of ours: the one-time fetch URL (cmi5 §8.2) and the files of
 * imported packages. Both are open to AUs served from anywhere (CORS, cors.ts).
 */
@Controller()
export class LaunchRuntimeController {
  constructor(
    @Inject(Cmi5Launcher) private readonly launcher: Cmi5Launcher,
    @Inject(CourseRepository) private readonly courses: CourseRepository,
  ) {}

  /** Always 200 with JSON (§8.2.1): the auth token the first time, an error code afterwards. */
  @Post('formation/api/fetch/:token')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  fetch(@Param('token') token: string) {
    return this.launcher.fetch(token);
  }

  @Get('formation/contenus/:courseId/*')
  @Public()
  async file(@Param('courseId') courseId: string, @Param('*') path: string, @Res() reply: FastifyReply) {
    const file = await this.courses.file(courseId, decodeURIComponent(path));
    if (!file) throw new NotFoundException(`no file "${path}" in the package of course ${courseId}`);
    void reply
      .header('Content-Type', file.contentType)
      .header('Cache-Control', 'private, max-age=300')
      .header('X-Content-Type-Options', 'nosniff')
      .send(file.content);
  }
}
