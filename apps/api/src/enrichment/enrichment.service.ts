import { Inject, Injectable } from '@nestjs/common';
import { type PseudonymKey, type StatementRow, type StoredStatement, enrichedRow } from '@ent-observatory/xapi';
import { DirectorySnapshotService } from './directory-snapshot.service.js';

/** Injection token of the pseudonymisation key (a KeyObject, resolved once at start). */
export const PSEUDONYM_KEY = Symbol('PSEUDONYM_KEY');

/**
 * Builds the `statements` row of a stored statement with its enrichment columns (enrichedRow) on the main thread,
 * with the directory snapshot of now: requests prepared here and journal recovery. The preparation threads run
 * enrichedRow too, with the same key and the same snapshot (statement-preparer.ts).
 */
@Injectable()
export class EnrichmentService {
  constructor(
    @Inject(PSEUDONYM_KEY) private readonly key: PseudonymKey,
    @Inject(DirectorySnapshotService) private readonly snapshots: DirectorySnapshotService,
  ) {}

  /** Resolves once the directory snapshot is loaded (rows made before would all have unknown UAIs). */
  ready(): Promise<void> {
    return this.snapshots.ready();
  }

  row(statement: StoredStatement): StatementRow {
    return enrichedRow(statement, { snapshot: this.snapshots.current, key: this.key });
  }
}
