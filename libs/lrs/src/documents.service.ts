import { createHash } from 'node:crypto';
import {
  type DocumentContent,
  type DocumentKey,
  DocumentRepository,
  type DocumentScope,
  type Store,
  type StoredDocument,
} from '@ent-observatory/store';
import { type XapiVersion, isObject } from '@ent-observatory/xapi';
import { LrsErrorCode, LrsException } from './lrs.exception.js';
import { parseJson } from './utf8.js';

/** The If-Match / If-None-Match of a request: `*` or entity tags (unquoted, lower-case), undefined when absent. */
export interface Preconditions {
  ifMatch?: string[] | undefined;
  ifNoneMatch?: string[] | undefined;
}

/** A document as received: its bytes and media type. */
export interface IncomingDocument {
  content: Buffer;
  contentType: string;
}

/**
 * Writes retried when another write changed the document between our read and our compare-and-set. Only writes
 * without preconditions retry (a conditional one fails with 412 instead), so this bounds how many concurrent
 * writers of one document a request outlasts before answering 409.
 */
const MAX_WRITE_ATTEMPTS = 50;

const JSON_TYPE = 'application/json';

export function isJsonType(contentType: string): boolean {
  return contentType.split(';')[0]?.trim().toLowerCase() === JSON_TYPE;
}

/** ETag of a content: the quoted hex SHA-1 of its bytes (Communication 3.1). */
export function etagOf(content: Buffer): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

/**
 * The document resources' decisions (Communication 2.2–2.7 and 3.1): preconditions, 409/412/428, JSON merge.
 * Every write is a compare-and-set on the version read, retried from a fresh read when another write came first,
 * so no update is lost silently and two conditional writes on the same ETag can never both succeed.
 */
export class DocumentsService {
  private readonly repo: DocumentRepository;
  /**
   * The last write queued per document in this process. Writes to one document wait for each other here, so
   * concurrent requests do not spin on the compare-and-set (measured on PostgreSQL, 16 clients POSTing into one
   * document: 100 merges/s and some 409s without the queue); the compare-and-set still guards against other
   * processes sharing the database.
   */
  private readonly queued = new Map<string, Promise<void>>();

  constructor(store: Store) {
    this.repo = new DocumentRepository(store);
  }

  async get(key: DocumentKey): Promise<StoredDocument> {
    const doc = await this.repo.find(key);
    if (!doc) throw new LrsException(LrsErrorCode.NotFound, `no document "${key.documentId}" here`);
    return doc;
  }

  list(scope: DocumentScope, since: Date | undefined): Promise<{ ids: string[]; lastUpdated: Date | undefined }> {
    return this.repo.listIds(scope, since);
  }

  /** PUT: stores the document as sent, replacing any. Returns the new ETag. */
  async put(key: DocumentKey, incoming: IncomingDocument, pre: Preconditions, version: XapiVersion) {
    checkJson(incoming);
    const doc = await this.write(key, pre, 'PUT', version, () => content(incoming));
    return doc?.etag;
  }

  /** POST: stores the document, or merges its top-level properties into the JSON document already there. */
  async post(key: DocumentKey, incoming: IncomingDocument, pre: Preconditions, version: XapiVersion) {
    // A JSON POST is a merge request (Communication 2.2): only an object can be merged, now or later.
    if (isJsonType(incoming.contentType) && !isObject(parseJson(incoming.content, 'the document sent'))) {
      throw new LrsException(
        LrsErrorCode.InvalidDocument,
        'POST merges JSON objects only: the document sent is JSON but not an object; use PUT to store it as is',
      );
    }
    const doc = await this.write(key, pre, 'POST', version, (current) =>
      current ? merge(current, incoming) : content(incoming),
    );
    return doc?.etag;
  }

  async delete(key: DocumentKey, pre: Preconditions, version: XapiVersion): Promise<void> {
    await this.write(key, pre, 'DELETE', version, () => null);
  }

  /** DELETE without stateId: every State document of the context. */
  async deleteAll(scope: DocumentScope): Promise<number> {
    return this.repo.removeAll(scope);
  }

  /** Runs `write` once every write queued before it on the same document has ended. */
  private async queue<T>(key: DocumentKey, write: () => Promise<T>): Promise<T> {
    const id = JSON.stringify([key.kind, key.activityId, key.agentIfi, key.registration, key.documentId]);
    const run = (this.queued.get(id) ?? Promise.resolve()).then(write);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    this.queued.set(id, done);
    try {
      return await run;
    } finally {
      if (this.queued.get(id) === done) this.queued.delete(id);
    }
  }

  private write(
    key: DocumentKey,
    pre: Preconditions,
    method: 'PUT' | 'POST' | 'DELETE',
    version: XapiVersion,
    next: (current: StoredDocument | undefined) => DocumentContent | null,
  ): Promise<DocumentContent | null> {
    return this.queue(key, () => this.compareAndSet(key, pre, method, version, next));
  }

  private async compareAndSet(
    key: DocumentKey,
    pre: Preconditions,
    method: 'PUT' | 'POST' | 'DELETE',
    version: XapiVersion,
    next: (current: StoredDocument | undefined) => DocumentContent | null,
  ): Promise<DocumentContent | null> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.repo.find(key);
      checkPreconditions(key, current, pre, method, version);
      const doc = next(current);
      let done: boolean;
      if (doc === null) done = current === undefined || (await this.repo.remove(key, current.version));
      else if (current === undefined) done = await this.repo.insert(key, doc);
      else done = await this.repo.replace(key, current.version, doc);
      if (done) return doc;
    }
    throw new LrsException(
      LrsErrorCode.Conflict,
      `document "${key.documentId}" kept changing under concurrent writes; nothing was changed by this request, retry`,
    );
  }
}

function content(incoming: IncomingDocument): DocumentContent {
  return { ...incoming, etag: etagOf(incoming.content), updated: new Date() };
}

/** A document sent as application/json must be JSON: it is served back as such and POSTs merge into it. */
function checkJson(incoming: IncomingDocument): void {
  if (isJsonType(incoming.contentType)) parseJson(incoming.content, 'the document sent');
}

/** Communication 2.2 "JSON Procedure": top-level properties of the posted object replace those stored. */
function merge(current: StoredDocument, incoming: IncomingDocument): DocumentContent {
  if (!isJsonType(current.contentType) || !isJsonType(incoming.contentType)) {
    throw new LrsException(
      LrsErrorCode.InvalidDocument,
      `POST merges JSON objects only: the stored document is ${current.contentType} and this one ${incoming.contentType}; use PUT to replace the document`,
    );
  }
  const stored = parseJson(current.content, 'the stored document');
  const posted = parseJson(incoming.content, 'the document sent');
  if (!isObject(stored) || !isObject(posted)) {
    throw new LrsException(
      LrsErrorCode.InvalidDocument,
      'POST merges JSON objects only: both the stored document and the one sent must be JSON objects; use PUT to replace the document',
    );
  }
  return content({ content: Buffer.from(JSON.stringify({ ...stored, ...posted }), 'utf8'), contentType: JSON_TYPE });
}

/**
 * Communication 3.1. If-Match / If-None-Match are honoured on every write of every document resource. A PUT with
 * neither header over an existing document is a 409 for the Activity and Agent Profile resources (1.0.3) and for
 * State too in 2.0.0, where the concurrency controls cover State. A profile PUT must carry one of the headers (the
 * client requirement of 3.1), so creating one without is refused too: 400 in 1.0.3 (which has no 428, and whose
 * conformance requirement XAPI-00273 asks for 400), 428 in 2.0.0.
 */
function checkPreconditions(
  key: DocumentKey,
  current: StoredDocument | undefined,
  pre: Preconditions,
  method: 'PUT' | 'POST' | 'DELETE',
  version: XapiVersion,
): void {
  const etag = current && current.etag.slice(1, -1);
  const where = `document "${key.documentId}"`;
  if (pre.ifMatch !== undefined) {
    if (etag === undefined) throw failed(`If-Match: ${where} does not exist`);
    if (!pre.ifMatch.includes('*') && !pre.ifMatch.includes(etag)) {
      throw failed(`If-Match: ${where} has changed, its ETag is now "${etag}"; GET it again before writing`);
    }
  }
  if (pre.ifNoneMatch !== undefined && etag !== undefined) {
    if (pre.ifNoneMatch.includes('*') || pre.ifNoneMatch.includes(etag)) {
      throw failed(`If-None-Match: ${where} already exists (ETag "${etag}")`);
    }
  }
  if (method !== 'PUT' || pre.ifMatch !== undefined || pre.ifNoneMatch !== undefined) return;
  const profile = key.kind !== 'state';
  if (etag !== undefined && (profile || version === '2.0.0')) {
    throw new LrsException(
      LrsErrorCode.Conflict,
      `${where} already exists: check its current state (GET it), then PUT again with If-Match set to its ETag ("${etag}")`,
    );
  }
  if (etag === undefined && profile) {
    throw new LrsException(
      version === '2.0.0' ? LrsErrorCode.PreconditionRequired : LrsErrorCode.InvalidParameter,
      `a profile document PUT needs If-None-Match: * (to create it) or If-Match with the ETag (to replace it); ${where} does not exist yet`,
    );
  }
}

function failed(message: string): LrsException {
  return new LrsException(LrsErrorCode.PreconditionFailed, `precondition failed, nothing was changed (${message})`);
}

/** An If-Match / If-None-Match header as a list of `*` or unquoted tags; weak tags (W/) never match strongly. */
export function parseEntityTags(header: string | string[] | undefined, weakMatches: boolean): string[] | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '' && (weakMatches || !t.startsWith('W/')))
    .map((t) =>
      t
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    );
}
