import { bigint, boolean, customType, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** Mirrors migrations/001_lrs_credentials.sql: the SQL files are the source of truth for the database. */
export const lrsCredentials = pgTable('lrs_credentials', {
  key: text('key').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  label: text('label').notNull().default(''),
  scopes: text('scopes').array().notNull(),
  authority: jsonb('authority').$type<Record<string, unknown>>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type LrsCredentialRow = typeof lrsCredentials.$inferSelect;

const bytea = customType<{ data: Uint8Array }>({ dataType: () => 'bytea' });

/** Mirrors migrations/010_xapi_documents.sql (State, Activity Profile and Agent Profile documents). */
export const xapiDocuments = pgTable(
  'xapi_documents',
  {
    kind: text('kind').$type<'state' | 'activity_profile' | 'agent_profile'>().notNull(),
    activityId: text('activity_id').notNull().default(''),
    agentIfi: text('agent_ifi').notNull().default(''),
    registration: text('registration').notNull().default(''),
    documentId: text('document_id').notNull(),
    content: bytea('content').notNull(),
    contentType: text('content_type').notNull(),
    etag: text('etag').notNull(),
    version: bigint('version', { mode: 'number' }).notNull().default(1),
    updated: timestamp('updated', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.activityId, t.agentIfi, t.registration, t.documentId] })],
);

export const schema = { lrsCredentials, xapiDocuments };
