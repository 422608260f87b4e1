import { createHash } from 'node:crypto';
import { type Json, type Problem, isObject } from '@ent-observatory/xapi';
import type { AttachmentContent } from './attachment.repository.js';
import { LrsErrorCode, LrsException } from './lrs.exception.js';
import type { Part } from './multipart.js';
import { SIGNATURE_USAGE, signatureProblem } from './signature.js';

/** SHA-2 function by hex digest length: sha2 may be SHA-224, 256, 384 or 512 (Data 2.4.11). */
const SHA2_BY_LENGTH: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

function bad(message: string, details: Problem[] = []): LrsException {
  return new LrsException(LrsErrorCode.InvalidParameter, message, details);
}

interface Declared {
  path: string;
  statement: Json;
  attachment: Json;
  sha2: string;
}

function declaredAttachments(statements: Json[], batch: boolean): Declared[] {
  return statements.flatMap((statement, i) =>
    (Array.isArray(statement.attachments) ? statement.attachments : []).filter(isObject).map((attachment, j) => ({
      path: `$${batch ? `[${i}]` : ''}.attachments[${j}]`,
      statement,
      attachment,
      sha2: String(attachment.sha2).toLowerCase(),
    })),
  );
}

/** The attachment parts of a multipart request, by sha2, each checked against its X-Experience-API-Hash. */
function partsByHash(parts: Part[]): Map<string, Part> {
  const byHash = new Map<string, Part>();
  parts.forEach((part, i) => {
    const hash = part.headers['x-experience-api-hash']?.toLowerCase();
    if (!hash) throw bad(`multipart/mixed body: part ${i + 2} has no X-Experience-API-Hash header`);
    const encoding = part.headers['content-transfer-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'binary') {
      throw bad(`multipart/mixed body: part ${i + 2} has Content-Transfer-Encoding "${encoding}"; binary is required`);
    }
    const algorithm = SHA2_BY_LENGTH[hash.length];
    if (!algorithm || !/^[0-9a-f]+$/.test(hash)) {
      throw bad(`multipart/mixed body: part ${i + 2} has an X-Experience-API-Hash that is not a SHA-2 hex digest`);
    }
    const actual = createHash(algorithm).update(part.body).digest('hex');
    if (actual !== hash) {
      throw bad(`multipart/mixed body: the content of part ${i + 2} does not match its X-Experience-API-Hash ${hash}`);
    }
    byHash.set(hash, part);
  });
  return byHash;
}

/**
 * Matches the attachment parts of a multipart/mixed request with the attachments its statements declare
 * (Communication 1.5.2) by SHA-2 only ("It MUST not do so any other way"): every declared attachment without fileUrl
 * needs its part, every part a declaration; a `length` that differs from the part's size is the client's to answer
 * for, not a reason to refuse. Checks signed statements. Returns the contents to store (once per sha2). Throws 400 naming the problem.
 */
export function attachmentContents(statements: Json[], parts: Part[], batch: boolean): AttachmentContent[] {
  const byHash = partsByHash(parts);
  const declared = declaredAttachments(statements, batch);
  const problems: Problem[] = [];
  const contents = new Map<string, AttachmentContent>();
  for (const d of declared) {
    const part = byHash.get(d.sha2);
    if (part === undefined) {
      if (d.attachment.fileUrl === undefined) {
        problems.push({ path: `${d.path}.sha2`, message: 'has no fileUrl and no multipart part with this hash' });
      }
      continue;
    }
    if (d.attachment.usageType === SIGNATURE_USAGE) {
      if (d.attachment.contentType !== 'application/octet-stream') {
        problems.push({ path: `${d.path}.contentType`, message: 'must be application/octet-stream for a signature' });
      } else {
        const problem = signatureProblem(d.statement, part.body.toString('utf8'));
        if (problem !== undefined) problems.push({ path: d.path, message: `the signature ${problem}` });
      }
    }
    contents.set(d.sha2, { sha2: d.sha2, contentType: String(d.attachment.contentType), content: part.body });
  }
  const extra = [...byHash.keys()].filter((h) => !declared.some((d) => d.sha2 === h));
  if (extra.length > 0) {
    problems.push({ path: '$', message: `parts with hash ${extra.join(', ')} match no attachment of the statements` });
  }
  if (problems.length > 0) {
    throw bad(`the attachments were rejected, nothing was stored: ${problems.length} problem(s)`, problems);
  }
  return [...contents.values()];
}
