import { Injectable } from '@nestjs/common';
import type { Json, StoredStatement } from '@ent-observatory/xapi';
import type { Credential } from './credentials.service.js';

/**
 * Limits a credential that is not an LRS key (a cmi5 AU session's auth token) puts on the requests it makes.
 * Every method throws LrsException to refuse.
 */
export interface CredentialPolicy {
  /** Before the route runs: refuses the request, or returns query parameters to add (narrowing a read). */
  authorize(request: { method: string; route: string; query: Record<string, unknown> }): Record<string, string>;
  /** With statements validated and about to be stored: refuses them, or says what to do once stored or failed. */
  beforeStore(statements: Json[]): Promise<{ stored(): Promise<void>; failed(): Promise<void> }>;
  /** Whether a statement asked for by id may be shown. */
  canRead(statement: StoredStatement): boolean;
}

/** Issues credentials of another kind than stored LRS keys, recognised by their key. */
export interface CredentialExtension {
  owns(key: string): boolean;
  /** The credential (with its policy) for a key this extension owns, or null when the secret is wrong. */
  verify(key: string, secret: string): Promise<Credential | null>;
}

/** The seam through which a feature (the training space's cmi5 LMS) adds its credentials to the LRS. */
@Injectable()
export class LrsCredentialExtensions {
  private readonly extensions: CredentialExtension[] = [];

  register(extension: CredentialExtension): void {
    this.extensions.push(extension);
  }

  ownerOf(key: string): CredentialExtension | undefined {
    return this.extensions.find((e) => e.owns(key));
  }
}
