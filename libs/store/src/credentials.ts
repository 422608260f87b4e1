import { asc, eq } from 'drizzle-orm';
import type { Db } from './database.js';
import { type LrsCredentialRow, lrsCredentials } from './schema.js';
import { hashSecret } from './secrets.js';

export interface NewCredential {
  key: string;
  secret: string;
  scopes: string[];
  authority: Record<string, unknown>;
  label?: string;
}

/** Data access for LRS credentials. Deciding what a credential may do is the API's job. */
export class CredentialRepository {
  constructor(private readonly db: Db) {}

  async find(key: string): Promise<LrsCredentialRow | undefined> {
    const rows = await this.db.select().from(lrsCredentials).where(eq(lrsCredentials.key, key)).limit(1);
    return rows[0];
  }

  /** Creates the credential, or resets its secret, scopes and authority and re-enables it (idempotent bootstrap). */
  async upsert(c: NewCredential): Promise<void> {
    const secretHash = await hashSecret(c.secret);
    const values = { secretHash, scopes: c.scopes, authority: c.authority, label: c.label ?? '', enabled: true };
    await this.db
      .insert(lrsCredentials)
      .values({ key: c.key, ...values })
      .onConflictDoUpdate({ target: lrsCredentials.key, set: { ...values, updatedAt: new Date() } });
  }

  async list(): Promise<LrsCredentialRow[]> {
    return this.db.select().from(lrsCredentials).orderBy(asc(lrsCredentials.key));
  }

  /** Whether a credential with this key existed. */
  async setEnabled(key: string, enabled: boolean): Promise<boolean> {
    const done = await this.db
      .update(lrsCredentials)
      .set({ enabled, updatedAt: new Date() })
      .where(eq(lrsCredentials.key, key))
      .returning({ key: lrsCredentials.key });
    return done.length > 0;
  }
}
