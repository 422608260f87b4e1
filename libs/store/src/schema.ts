import {
  bigint,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

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

/** Mirrors migrations/005_users.sql. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash'),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    scope: text('scope').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role, t.scope] })],
);

export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const userIdentities = pgTable(
  'user_identities',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.provider, t.subject] })],
);

export type UserRow = typeof users.$inferSelect;

/** Mirrors migrations/002_directory.sql (territories, establishments, enrolments, school map, ENT, classes). */
export const regions = pgTable('regions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const academies = pgTable('academies', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  regionCode: text('region_code').notNull().default(''),
  holidayZone: text('holiday_zone').notNull().default(''),
});

export const departements = pgTable('departements', {
  code: text('code').primaryKey(),
  inseeCode: text('insee_code').notNull().default(''),
  name: text('name').notNull(),
  academieCode: text('academie_code').notNull().default(''),
});

export const communes = pgTable('communes', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  departementCode: text('departement_code').notNull().default(''),
});

export const establishments = pgTable('establishments', {
  uai: text('uai').primaryKey(),
  name: text('name').notNull(),
  searchName: text('search_name').notNull(),
  type: text('type').notNull(),
  rawType: text('raw_type').notNull().default(''),
  natureCode: text('nature_code').notNull().default(''),
  natureLabel: text('nature_label').notNull().default(''),
  sector: text('sector').notNull().default('unknown'),
  rep: text('rep').notNull().default('none'),
  address: text('address').notNull().default(''),
  postalCode: text('postal_code').notNull().default(''),
  communeCode: text('commune_code').notNull().default(''),
  communeName: text('commune_name').notNull().default(''),
  departementCode: text('departement_code').notNull().default(''),
  academieCode: text('academie_code').notNull().default(''),
  regionCode: text('region_code').notNull().default(''),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
  circonscription: text('circonscription').notNull().default(''),
  bassinCode: text('bassin_code').notNull().default(''),
  bassinName: text('bassin_name').notNull().default(''),
  pupils: integer('pupils'),
  status: text('status').notNull().default('open'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const establishmentEnrolments = pgTable(
  'establishment_enrolments',
  {
    uai: text('uai').notNull(),
    schoolYear: text('school_year').notNull(),
    level: text('level').notNull(),
    pupils: integer('pupils').notNull(),
  },
  (t) => [primaryKey({ columns: [t.uai, t.schoolYear, t.level] })],
);

export const schoolMap = pgTable(
  'school_map',
  {
    communeCode: text('commune_code').notNull(),
    locality: text('locality').notNull().default(''),
    street: text('street').notNull().default(''),
    numberFrom: integer('number_from').notNull().default(0),
    suffixFrom: text('suffix_from').notNull().default(''),
    numberTo: integer('number_to').notNull().default(0),
    suffixTo: text('suffix_to').notNull().default(''),
    parity: text('parity').notNull().default(''),
    collegeUai: text('college_uai').notNull(),
    singleSector: boolean('single_sector').notNull(),
    departementCode: text('departement_code').notNull().default(''),
  },
  (t) => [
    primaryKey({
      columns: [
        t.communeCode,
        t.locality,
        t.street,
        t.numberFrom,
        t.suffixFrom,
        t.numberTo,
        t.suffixTo,
        t.parity,
        t.collegeUai,
      ],
    }),
  ],
);

export const sectorColleges = pgTable(
  'sector_colleges',
  {
    schoolUai: text('school_uai').notNull(),
    collegeUai: text('college_uai').notNull(),
    method: text('method').notNull(),
  },
  (t) => [primaryKey({ columns: [t.schoolUai, t.collegeUai] })],
);

export const entPlatforms = pgTable('ent_platforms', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  homepage: text('homepage').notNull().default(''),
});

export const entPlatformAssignments = pgTable(
  'ent_platform_assignments',
  {
    scopeKind: text('scope_kind').notNull(),
    scopeCode: text('scope_code').notNull(),
    platformId: text('platform_id')
      .notNull()
      .references(() => entPlatforms.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.scopeKind, t.scopeCode] })],
);

export const establishmentPlatforms = pgView('establishment_platforms', {
  uai: text('uai').notNull(),
  platformId: text('platform_id').notNull(),
}).existing();

export const schoolClasses = pgTable('school_classes', {
  id: text('id').primaryKey(),
  uai: text('uai').notNull(),
  name: text('name').notNull(),
  level: text('level').notNull().default(''),
  schoolYear: text('school_year').notNull(),
  kind: text('kind').notNull(),
});

export const classMembers = pgTable(
  'class_members',
  {
    classId: text('class_id')
      .notNull()
      .references(() => schoolClasses.id, { onDelete: 'cascade' }),
    memberId: text('member_id').notNull(),
    role: text('role').notNull(),
    displayName: text('display_name').notNull().default(''),
    personId: text('person_id').notNull().default(''),
    entAccount: text('ent_account').notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.classId, t.memberId] }), index('class_members_member').on(t.memberId)],
);

/** Mirrors migrations/050_follow_up.sql: alerts a teacher acknowledged, with their note. */
export const followUpAlertAcks = pgTable(
  'follow_up_alert_acks',
  {
    pupilId: text('pupil_id').notNull(),
    code: text('code').notNull(),
    since: date('since').notNull(),
    note: text('note').notNull().default(''),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id, { onDelete: 'set null' }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pupilId, t.code, t.since] })],
);

/** An establishment's thresholds of the alert rules. */
export const followUpAlertSettings = pgTable(
  'follow_up_alert_settings',
  {
    uai: text('uai').notNull(),
    code: text('code').notNull(),
    threshold: doublePrecision('threshold').notNull(),
  },
  (t) => [primaryKey({ columns: [t.uai, t.code] })],
);

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

/** Mirrors migrations/011_lrs_attachments.sql: attachment contents, once per sha2. */
export const lrsAttachments = pgTable('lrs_attachments', {
  sha2: text('sha2').primaryKey(),
  contentType: text('content_type').notNull(),
  length: integer('length').notNull(),
  content: bytea('content').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const schema = {
  lrsCredentials,
  users,
  userRoles,
  sessions,
  userIdentities,
  regions,
  academies,
  departements,
  communes,
  establishments,
  establishmentEnrolments,
  schoolMap,
  sectorColleges,
  entPlatforms,
  entPlatformAssignments,
  establishmentPlatforms,
  schoolClasses,
  classMembers,
  followUpAlertAcks,
  followUpAlertSettings,
  xapiDocuments,
  lrsAttachments,
};
