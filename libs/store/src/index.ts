export { openStore, type Db, type Store, type StoreConfig } from './database.js';
export { migrateStore, STORE_MIGRATIONS_DIR } from './migrate.js';
export { schema, lrsAttachments, lrsCredentials, type LrsCredentialRow } from './schema.js';
export { hashSecret, verifySecret } from './secrets.js';
export { CredentialRepository, type NewCredential } from './credentials.js';
