import type { Store } from './database.js';

export type DocumentKind = 'state' | 'activity_profile' | 'agent_profile';

/** Where a document lives; the parts a resource does not use are ''. */
export interface DocumentKey {
  kind: DocumentKind;
  activityId: string;
  agentIfi: string;
  registration: string;
  documentId: string;
}

/** A set of documents: every key part but the id; `registration` undefined matches every registration. */
export type DocumentScope = Omit<DocumentKey, 'documentId' | 'registration'> & { registration?: string | undefined };

export interface DocumentContent {
  content: Buffer;
  contentType: string;
  etag: string;
  updated: Date;
}

export interface StoredDocument extends DocumentContent {
  /** Bumped by every write: conditional writes compare it, so two racing writes cannot both succeed. */
  version: number;
}

interface DocumentRow {
  content: Uint8Array;
  content_type: string;
  etag: string;
  version: string | number;
  updated: Date | string;
}

const KEY_WHERE = 'kind = $1 AND activity_id = $2 AND agent_ifi = $3 AND registration = $4 AND document_id = $5';

function keyParams(k: DocumentKey): unknown[] {
  return [k.kind, k.activityId, k.agentIfi, k.registration, k.documentId];
}

/** The WHERE clause and parameters of a scope; `since` (exclusive) narrows it to documents updated after. */
function scopeWhere(s: DocumentScope, since?: Date): { where: string; params: unknown[] } {
  const params: unknown[] = [s.kind, s.activityId, s.agentIfi];
  let where = 'kind = $1 AND activity_id = $2 AND agent_ifi = $3';
  if (s.registration !== undefined) {
    params.push(s.registration);
    where += ` AND registration = $${params.length}`;
  }
  if (since !== undefined) {
    params.push(since);
    where += ` AND updated > $${params.length}`;
  }
  return { where, params };
}

/**
 * Data access for xAPI documents. Writes are compare-and-set on what the caller read (insert only if absent,
 * update or delete only at the version read): the API retries or refuses when another write came first. Plain
 * single statements, so they behave the same on PGlite and on PostgreSQL without holding a transaction open.
 */
export class DocumentRepository {
  constructor(private readonly store: Store) {}

  async find(key: DocumentKey): Promise<StoredDocument | undefined> {
    const [row] = await this.store.query<DocumentRow>(
      `SELECT content, content_type, etag, version, updated FROM xapi_documents WHERE ${KEY_WHERE}`,
      keyParams(key),
    );
    return row && toDocument(row);
  }

  /** Inserts the document if none exists under its key; false when one does (another write came first). */
  async insert(key: DocumentKey, doc: DocumentContent): Promise<boolean> {
    const rows = await this.store.query(
      `INSERT INTO xapi_documents (kind, activity_id, agent_ifi, registration, document_id, content, content_type, etag, updated)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING 1`,
      [...keyParams(key), doc.content, doc.contentType, doc.etag, doc.updated],
    );
    return rows.length === 1;
  }

  /** Replaces the document if it is still at `version`; false otherwise. */
  async replace(key: DocumentKey, version: number, doc: DocumentContent): Promise<boolean> {
    const rows = await this.store.query(
      `UPDATE xapi_documents SET content = $7, content_type = $8, etag = $9, updated = $10, version = version + 1
       WHERE ${KEY_WHERE} AND version = $6 RETURNING 1`,
      [...keyParams(key), version, doc.content, doc.contentType, doc.etag, doc.updated],
    );
    return rows.length === 1;
  }

  /** Deletes the document if it is still at `version`; false otherwise. */
  async remove(key: DocumentKey, version: number): Promise<boolean> {
    const rows = await this.store.query(`DELETE FROM xapi_documents WHERE ${KEY_WHERE} AND version = $6 RETURNING 1`, [
      ...keyParams(key),
      version,
    ]);
    return rows.length === 1;
  }

  /** The ids of a scope's documents (updated after `since` if given), and when the latest of them changed. */
  async listIds(scope: DocumentScope, since?: Date): Promise<{ ids: string[]; lastUpdated: Date | undefined }> {
    const { where, params } = scopeWhere(scope, since);
    const rows = await this.store.query<{ document_id: string; updated: Date | string }>(
      `SELECT document_id, max(updated) AS updated FROM xapi_documents WHERE ${where} GROUP BY document_id ORDER BY document_id`,
      params,
    );
    let lastUpdated: Date | undefined;
    for (const r of rows) {
      const u = new Date(r.updated);
      if (!lastUpdated || u > lastUpdated) lastUpdated = u;
    }
    return { ids: rows.map((r) => r.document_id), lastUpdated };
  }

  /** Deletes every document of a scope; returns how many. */
  async removeAll(scope: DocumentScope): Promise<number> {
    const { where, params } = scopeWhere(scope);
    return (await this.store.query(`DELETE FROM xapi_documents WHERE ${where} RETURNING 1`, params)).length;
  }

  /** Deletes every document keyed by an agent (State and Agent Profile); returns the counts per kind. */
  async removeAgent(agentIfi: string): Promise<Record<DocumentKind, number>> {
    const rows = await this.store.query<{ kind: DocumentKind }>(
      'DELETE FROM xapi_documents WHERE agent_ifi = $1 RETURNING kind',
      [agentIfi],
    );
    const counts: Record<DocumentKind, number> = { state: 0, activity_profile: 0, agent_profile: 0 };
    for (const r of rows) counts[r.kind] += 1;
    return counts;
  }
}

function toDocument(row: DocumentRow): StoredDocument {
  return {
    content: Buffer.from(row.content),
    contentType: row.content_type,
    etag: row.etag,
    version: Number(row.version),
    updated: new Date(row.updated),
  };
}
