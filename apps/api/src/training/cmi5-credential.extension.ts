import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  Cmi5Sessions,
  SessionAccessDenied,
  type SessionCredential,
  TrainingErrorCode,
  TrainingException,
  authorizeSessionRequest,
  sessionCanRead,
} from '@ent-observatory/training';
import { LrsErrorCode, LrsException } from '@ent-observatory/lrs';
import { type CredentialExtension, LrsCredentialExtensions } from '../lrs/credential-extensions.js';
import { AUTHORITY_HOME_PAGE, type Credential } from '../lrs/credentials.service.js';

/**
 * Makes cmi5 auth tokens LRS credentials (cmi5 §8.2): an AU session writes and reads on /xapi as its own actor in
 * its own registration, and its statements pass the cmi5 rules before the LRS stores them.
 */
@Injectable()
export class Cmi5CredentialExtension implements CredentialExtension, OnModuleInit {
  constructor(
    @Inject(Cmi5Sessions) private readonly sessions: Cmi5Sessions,
    @Inject(LrsCredentialExtensions) private readonly extensions: LrsCredentialExtensions,
  ) {}

  onModuleInit(): void {
    this.extensions.register(this);
  }

  owns(key: string): boolean {
    return Cmi5Sessions.owns(key);
  }

  async verify(key: string, secret: string): Promise<Credential | null> {
    const session = await this.sessions.resolve(key, secret);
    return session && this.credentialOf(key, session);
  }

  private credentialOf(key: string, session: SessionCredential): Credential {
    return {
      key,
      scopes: ['statements/write', 'statements/read', 'state', 'profile', 'define'],
      // One authority per AU session: what the AU wrote is told apart from what the LMS wrote.
      authority: { objectType: 'Agent', account: { homePage: AUTHORITY_HOME_PAGE, name: key } },
      policy: {
        authorize: (request) => {
          try {
            return authorizeSessionRequest(session, request);
          } catch (e) {
            if (e instanceof SessionAccessDenied) throw new LrsException(LrsErrorCode.Forbidden, e.message);
            throw e;
          }
        },
        beforeStore: async (statements) => {
          try {
            return await this.sessions.beforeStore(session, statements);
          } catch (e) {
            throw asLrsException(e);
          }
        },
        canRead: (statement) => sessionCanRead(session, statement as unknown as Record<string, unknown>),
      },
    };
  }
}

function asLrsException(e: unknown): unknown {
  if (!(e instanceof TrainingException)) return e;
  switch (e.code) {
    case TrainingErrorCode.Cmi5Rule:
    case TrainingErrorCode.InvalidInput:
    case TrainingErrorCode.InvalidPackage:
      return new LrsException(LrsErrorCode.InvalidStatement, `refused, nothing was stored: ${e.message}`);
    case TrainingErrorCode.Forbidden:
      return new LrsException(LrsErrorCode.Forbidden, e.message);
    case TrainingErrorCode.NotFound:
      return new LrsException(LrsErrorCode.Forbidden, e.message);
    case TrainingErrorCode.Conflict:
      return new LrsException(LrsErrorCode.Conflict, e.message);
  }
}
