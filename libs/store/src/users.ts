import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from './database.js';
import { type UserRow, sessions, userRoles, users } from './schema.js';
import { hashSecret } from './secrets.js';

/** The roles of DESIGN.md's table, in the order they are shown. Keep in step with the CHECK of user_roles (050_follow_up.sql). */
export const ROLES = [
  'admin',
  'national',
  'academy',
  'establishment',
  'teacher',
  'trainer',
  'learner',
  'parent',
  'pupil',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose grant needs a scope value (an académie code, a UAI, a class id, a course id). */
export const SCOPED_ROLES: ReadonlySet<Role> = new Set([
  'academy',
  'establishment',
  'teacher',
  'trainer',
  'parent',
  'pupil',
]);

export interface RoleGrant {
  role: Role;
  /** '' for roles without a scope. */
  scope: string;
}

export interface User {
  id: string;
  email: string;
  displayName: string;
  enabled: boolean;
  hasPassword: boolean;
  roles: RoleGrant[];
  createdAt: Date;
}

export interface NewUser {
  email: string;
  displayName: string;
  password?: string | undefined;
  roles: RoleGrant[];
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Data access for accounts and their roles. Deciding what a role may see is the API's job. */
export class UserRepository {
  constructor(private readonly db: Db) {}

  async create(u: NewUser): Promise<User> {
    const id = randomUUID();
    const passwordHash = u.password === undefined ? null : await hashSecret(u.password);
    await this.db.transaction(async (tx) => {
      await tx.insert(users).values({ id, email: normaliseEmail(u.email), displayName: u.displayName, passwordHash });
      if (u.roles.length > 0) await tx.insert(userRoles).values(u.roles.map((r) => ({ userId: id, ...r })));
    });
    return (await this.findById(id))!;
  }

  /** Creates the account, or resets its password, name and roles and re-enables it (idempotent bootstrap). */
  async ensure(u: NewUser): Promise<User> {
    const existing = await this.findByEmail(u.email);
    if (!existing) return this.create(u);
    const passwordHash = u.password === undefined ? null : await hashSecret(u.password);
    await this.db
      .update(users)
      .set({ displayName: u.displayName, passwordHash, enabled: true, updatedAt: new Date() })
      .where(eq(users.id, existing.user.id));
    await this.setRoles(existing.user.id, u.roles);
    return (await this.findById(existing.user.id))!;
  }

  async findById(id: string): Promise<User | undefined> {
    const rows = await this.db.select().from(users).where(eq(users.id, id)).limit(1);
    return rows[0] ? this.withRoles(rows[0]) : undefined;
  }

  /** The account and its password hash, for sign-in. */
  async findByEmail(email: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
    const rows = await this.db
      .select()
      .from(users)
      .where(eq(users.email, normaliseEmail(email)))
      .limit(1);
    const row = rows[0];
    return row ? { user: await this.withRoles(row), passwordHash: row.passwordHash } : undefined;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.select().from(users).orderBy(asc(users.email));
    const grants = await this.db.select().from(userRoles);
    return rows.map((row) =>
      toUser(
        row,
        grants.filter((g) => g.userId === row.id),
      ),
    );
  }

  async setEnabled(id: string, enabled: boolean): Promise<boolean> {
    const done = await this.db
      .update(users)
      .set({ enabled, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    return done.length > 0;
  }

  /** A new password (already checked by the password policy); false when there is no such user. */
  async setPassword(id: string, password: string): Promise<boolean> {
    const passwordHash = await hashSecret(password);
    const done = await this.db
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning({ id: users.id });
    return done.length > 0;
  }

  /** Replaces every role of the user at once. */
  async setRoles(id: string, roles: RoleGrant[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(userRoles).where(eq(userRoles.userId, id));
      if (roles.length > 0) await tx.insert(userRoles).values(roles.map((r) => ({ userId: id, ...r })));
      await tx.update(users).set({ updatedAt: new Date() }).where(eq(users.id, id));
    });
  }

  private async withRoles(row: UserRow): Promise<User> {
    const grants = await this.db.select().from(userRoles).where(eq(userRoles.userId, row.id));
    return toUser(row, grants);
  }
}

function toUser(row: UserRow, grants: { role: string; scope: string }[]): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    enabled: row.enabled,
    hasPassword: row.passwordHash !== null,
    roles: grants
      .map((g) => ({ role: g.role as Role, scope: g.scope }))
      .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || a.scope.localeCompare(b.scope)),
    createdAt: row.createdAt,
  };
}

/** Only a SHA-256 of a session token is stored: the token itself lives in the user's cookie. */
export function sessionTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Signed-in sessions, keyed by the hash of their token. */
export class SessionRepository {
  constructor(private readonly db: Db) {}

  async create(token: string, userId: string, expiresAt: Date): Promise<void> {
    await this.db.insert(sessions).values({ tokenHash: sessionTokenHash(token), userId, expiresAt });
  }

  /** The user id of a live session, refreshing its last use; undefined when unknown or expired. */
  async touch(token: string, now: Date, idleMs: number): Promise<string | undefined> {
    const rows = await this.db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(
        and(
          eq(sessions.tokenHash, sessionTokenHash(token)),
          gt(sessions.expiresAt, now),
          gt(sessions.lastSeenAt, new Date(now.getTime() - idleMs)),
        ),
      )
      .returning({ userId: sessions.userId });
    return rows[0]?.userId;
  }

  async delete(token: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.tokenHash, sessionTokenHash(token)));
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.userId, userId));
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, now));
  }
}
