import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Body, Controller, HttpCode, HttpException, Inject, Post, Query } from '@nestjs/common';
import { type FileReport, importDirectory } from '@ent-observatory/directory';
import type { Store } from '@ent-observatory/store';
import type { Warehouse } from '@ent-observatory/warehouse';
import { Allow } from '../auth/access.js';
import { ENV, STORE, WAREHOUSE } from '../common/tokens.js';
import { DirectorySnapshotService } from '../enrichment/directory-snapshot.service.js';
import type { Env } from '../config/env.js';

/** Largest file the admin page may upload (the biggest open-data file we import is 0.6 MB; the CLI has no limit). */
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Runs a directory import of one uploaded CSV file from the admin page: the same importer as
 * `npm run cli -- directory:import`, the same per-file and per-line report.
 */
@Controller('admin/imports')
export class ImportController {
  constructor(
    @Inject(STORE) private readonly store: Store,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(ENV) private readonly env: Env,
    @Inject(DirectorySnapshotService) private readonly snapshots: DirectorySnapshotService,
  ) {}

  @Post()
  @Allow(['admin'])
  @HttpCode(200)
  async import(@Query('filename') filename: unknown, @Body() body: unknown): Promise<FileReport> {
    const name = typeof filename === 'string' ? basename(filename) : '';
    if (!/^[\w.() -]{1,200}$/u.test(name) || /^\.+$/.test(name)) {
      throw bad('give the file name in ?filename= (letters, digits, . _ - and spaces)');
    }
    if (!Buffer.isBuffer(body) || body.length === 0) throw bad('send the CSV file as the request body');
    const dir = await mkdtemp(join(this.env.DATA_DIR, 'import-'));
    try {
      const path = join(dir, name);
      await writeFile(path, body);
      const report = await importDirectory(this.store, this.warehouse, [path]);
      await this.snapshots.refresh(); // statements received from now on are enriched with the new directory
      const file = report.files[0]!;
      return {
        ...file,
        file: name,
        rejected: file.rejected.map((r) => ({ ...r, file: name })),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function bad(message: string): HttpException {
  return new HttpException({ statusCode: 400, code: 'BAD_REQUEST', message }, 400);
}
