import type { Store } from '@ent-observatory/store';
import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { QUERY_KEY } from '@ent-observatory/xapi';
import { StatementRepository } from './statement.repository.js';

export interface AttachmentContent {
  sha2: string;
  contentType: string;
  content: Buffer;
}

/**
 * Attachment contents in PostgreSQL (lrs_attachments), once per sha2: statements carry only the metadata, and a
 * content is kept while any statement references its sha2 (statement_keys "h:<sha2>").
 */
export class AttachmentRepository {
  constructor(
    private readonly store: Store,
    private readonly warehouse: Warehouse,
    private readonly statements: StatementRepository,
  ) {}

  /** Stores the contents not yet stored, all or none (one statement); returns the sha2 of those it added. */
  async saveAll(attachments: AttachmentContent[]): Promise<string[]> {
    if (attachments.length === 0) return [];
    const params: unknown[] = [];
    const values = attachments.map((a) => {
      params.push(a.sha2, a.contentType, a.content.length, a.content);
      const i = params.length;
      return `($${i - 3}, $${i - 2}, $${i - 1}, $${i})`;
    });
    const added = await this.store.query<{ sha2: string }>(
      `INSERT INTO lrs_attachments (sha2, content_type, length, content) VALUES ${values.join(', ')}
       ON CONFLICT (sha2) DO NOTHING RETURNING sha2`,
      params,
    );
    return added.map((r) => r.sha2);
  }

  async contents(sha2s: string[]): Promise<AttachmentContent[]> {
    if (sha2s.length === 0) return [];
    const rows = await this.store.query<{ sha2: string; content_type: string; content: Uint8Array }>(
      'SELECT sha2, content_type, content FROM lrs_attachments WHERE sha2 = ANY($1::text[])',
      [sha2s],
    );
    return rows.map((r) => ({ sha2: r.sha2, contentType: r.content_type, content: Buffer.from(r.content) }));
  }

  /**
   * Deletes attachment contents no statement references any more (all of them, or only among `candidates`), e.g.
   * after erasure, or after a request whose statements were refused. Returns the sha2 deleted.
   */
  async deleteUnreferenced(candidates?: string[]): Promise<string[]> {
    if (candidates?.length === 0) return [];
    // Journaled statements count as references: move them first so one look-up sees them all.
    await this.statements.journal.moveNow();
    const stored = await this.store.query<{ sha2: string }>(
      candidates ? 'SELECT sha2 FROM lrs_attachments WHERE sha2 = ANY($1::text[])' : 'SELECT sha2 FROM lrs_attachments',
      candidates ? [candidates] : [],
    );
    if (stored.length === 0) return [];
    const referenced = await queryRows<{ sha2: string }>(
      this.warehouse.client,
      `SELECT DISTINCT substring(key, 3) AS sha2 FROM ${TABLES.statementKeys} WHERE key IN {keys:Array(String)}`,
      { keys: stored.map((r) => QUERY_KEY.attachment + r.sha2) },
    );
    const keep = new Set(referenced.map((r) => r.sha2));
    const unreferenced = stored.map((r) => r.sha2).filter((s) => !keep.has(s));
    if (unreferenced.length > 0) {
      await this.store.query('DELETE FROM lrs_attachments WHERE sha2 = ANY($1::text[])', [unreferenced]);
    }
    return unreferenced;
  }
}
