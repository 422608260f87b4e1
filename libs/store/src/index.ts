export { openStore, type Db, type Query, type Store, type StoreConfig } from './database.js';
export { migrateStore, STORE_MIGRATIONS_DIR } from './migrate.js';
export {
  schema,
  lrsAttachments,
  lrsCredentials,
  users,
  userRoles,
  sessions,
  type LrsCredentialRow,
  type UserRow,
  xapiDocuments,
} from './schema.js';
export { hashSecret, verifySecret } from './secrets.js';
export { CredentialRepository, type NewCredential } from './credentials.js';
export {
  ROLES,
  SCOPED_ROLES,
  SessionRepository,
  UserRepository,
  normaliseEmail,
  sessionTokenHash,
  type NewUser,
  type Role,
  type RoleGrant,
  type User,
} from './users.js';
export {
  DocumentRepository,
  type DocumentContent,
  type DocumentKey,
  type DocumentKind,
  type DocumentScope,
  type StoredDocument,
} from './documents.js';
export { KnownDeviceRepository, SignInThrottleRepository, type ThrottleRule } from './sign-in.js';
