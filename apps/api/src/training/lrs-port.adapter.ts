import { Inject, Injectable } from '@nestjs/common';
import type { LrsPort, Statement } from '@ent-observatory/training';
import { type Actor, actorIfi } from '@ent-observatory/xapi';
import { DocumentsService, LrsErrorCode, LrsException } from '@ent-observatory/lrs';
import { type Credential, authorityFor } from '../lrs/credentials.service.js';
import { StatementsService } from '../lrs/statements.service.js';

/** The authority of every statement the training space's LMS writes itself (launched, satisfied, waived…). */
export const LMS_CREDENTIAL: Credential = {
  key: 'formation-lms',
  scopes: ['all'],
  authority: authorityFor('formation-lms'),
};

/** The cmi5 LMS's way into the LRS: the same validation, enrichment and durable write as any client. */
@Injectable()
export class LrsPortAdapter implements LrsPort {
  constructor(
    @Inject(StatementsService) private readonly statements: StatementsService,
    @Inject(DocumentsService) private readonly documents: DocumentsService,
  ) {}

  async storeStatements(statements: Statement[]): Promise<void> {
    if (statements.length === 0) return;
    await this.statements.post({ body: statements }, '1.0.3', LMS_CREDENTIAL);
  }

  async putState(
    key: { activityId: string; agent: Actor; registration: string; stateId: string },
    content: object,
  ): Promise<void> {
    await this.documents.put(
      {
        kind: 'state',
        activityId: key.activityId,
        agentIfi: actorIfi(key.agent),
        registration: key.registration,
        documentId: key.stateId,
      },
      { content: Buffer.from(JSON.stringify(content)), contentType: 'application/json' },
      {},
      '1.0.3',
    );
  }

  async ensureAgentProfile(agent: Actor, profileId: string, content: object): Promise<void> {
    const key = {
      kind: 'agent_profile' as const,
      activityId: '',
      agentIfi: actorIfi(agent),
      registration: '',
      documentId: profileId,
    };
    try {
      await this.documents.put(
        key,
        { content: Buffer.from(JSON.stringify(content)), contentType: 'application/json' },
        { ifNoneMatch: ['*'] },
        '1.0.3',
      );
    } catch (e) {
      // The learner already has preferences: they are theirs to keep.
      if (!(e instanceof LrsException && e.code === LrsErrorCode.PreconditionFailed)) throw e;
    }
  }
}
