import {
  type Json,
  type Problem,
  type StoredStatement,
  type XapiVersion,
  isObject,
  isSameStatement,
  unstorableProblems,
  validateStatements,
} from '@ent-observatory/xapi';

/**
 * In an application/json request an attachment can only point to its content (fileUrl); content itself travels in
 * multipart/mixed requests (Communication 1.5.2).
 */
function attachmentsWithoutContent(statements: unknown[], batch: boolean): Problem[] {
  const problems: Problem[] = [];
  statements.forEach((s, i) => {
    const attachments = isObject(s) && Array.isArray(s.attachments) ? s.attachments : [];
    attachments.forEach((a, j) => {
      if (isObject(a) && a.fileUrl === undefined) {
        problems.push({
          path: `$${batch ? `[${i}]` : ''}.attachments[${j}].fileUrl`,
          message: 'is required in an application/json request (send the content as multipart/mixed otherwise)',
        });
      }
    });
  });
  return problems;
}

/**
 * Why the statements of one write cannot be stored, empty when they can: the xAPI rules, what JSON allows but no
 * store keeps as sent, and attachment content outside multipart. The POST/PUT of the LRS and the bulk loader
 * (`cli load`) both decide with this, so a file loaded is held to the same rules as a request.
 */
export function writeProblems(body: unknown, version: XapiVersion, multipart: boolean): Problem[] {
  const problems = validateStatements(body, { version });
  // Per statement, so that a statement nests as deep in a batch as alone.
  if (Array.isArray(body)) body.forEach((s, i) => problems.push(...unstorableProblems(s, `$[${i}]`)));
  else problems.push(...unstorableProblems(body));
  if (problems.length === 0 && !multipart) {
    problems.push(...attachmentsWithoutContent(Array.isArray(body) ? body : [body], Array.isArray(body)));
  }
  return problems;
}

/**
 * The duplicate-id rule: a statement whose id is already stored is the same statement (nothing to store) or a
 * conflict. A timestamp the client did not send was assigned by the LRS, so it cannot make the statements differ.
 */
export function sameAsStored(stored: StoredStatement, incoming: StoredStatement, timestampSent: boolean): boolean {
  const candidate = timestampSent ? incoming : { ...incoming, timestamp: undefined };
  return isSameStatement(stored as unknown as Json, candidate as unknown as Json);
}
