export { LrsErrorCode, LrsException, httpStatusOf } from './lrs.exception.js';
export { decodeUtf8, parseJson, strictForm } from './utf8.js';
export {
  StatementRepository,
  type FoundStatement,
  type StatementRowBuilder,
  type StatementStoreMetrics,
  type StatementStoreSettings,
  type StoreOutcome,
} from './statement.repository.js';
export { StatementJournal, lockJournal, type JournalMetrics, type JournalOptions } from './statement-journal.js';
export {
  JOURNAL_FILE,
  JournalQuarantine,
  checkLine,
  journalLine,
  lineId,
  lineScope,
  splitLines,
  syncDirectory,
  type LineCheck,
} from './journal-files.js';
export {
  checkDerivedTables,
  derivedViews,
  eraseStatements,
  reconcileScope,
  repairDerivedTables,
  type DerivedReport,
  type FollowUpTableCheck,
  type RowScope,
  type ScopeRepair,
} from './derived-tables.js';
export { StatementReader, type Page } from './statement-reader.js';
export {
  MAX_PAGE_SIZE,
  parseFormat,
  parseSingleOptions,
  parseStatementQuery,
  type StatementFormat,
  type StatementQuery,
} from './statement-query.js';
export { acceptedLanguages, formatStatement } from './statement-format.js';
export { StatementCursors, type CursorState, type PagePosition } from './statement-cursor.js';
export { sameAsStored, writeProblems } from './statement-checks.js';
export {
  journalRow,
  prepareWrite,
  type JournalRow,
  type PendingStatement,
  type WriteNotes,
} from './statement-write.js';
export {
  DocumentsService,
  etagOf,
  isJsonType,
  parseEntityTags,
  type IncomingDocument,
  type Preconditions,
} from './documents.service.js';
export { AttachmentRepository, type AttachmentContent } from './attachment.repository.js';
export { attachmentContents } from './statement-attachments.js';
export { boundaryOf, buildMultipart, parseMultipart, type Part } from './multipart.js';
export { SIGNATURE_USAGE, signatureProblem } from './signature.js';
export { ErasureService, type ErasureReport } from './erasure.service.js';
