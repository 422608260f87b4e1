import { boolean, customType, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

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

/** Mirrors migrations/011_lrs_attachments.sql: attachment contents, once per sha2. */
export const lrsAttachments = pgTable('lrs_attachments', {
  sha2: text('sha2').primaryKey(),
  contentType: text('content_type').notNull(),
  length: integer('length').notNull(),
  content: bytea('content').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const schema = { lrsCredentials, lrsAttachments };
