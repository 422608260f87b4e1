import { DocumentRepository, type Store } from '@ent-observatory/store';
import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type Agent, QUERY_KEY, actorIfi } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import { AttachmentRepository } from './attachment.repository.js';
import { eraseStatements } from './derived-tables.js';
import { StatementReader } from './statement-reader.js';
import { StatementRepository } from './statement.repository.js';
import { eraseFromVisitRollups } from '@ent-observatory/indicators';

/** What one erasure removed. */
export interface ErasureReport {
  /** The agent's identifier as stored (statements.actor_ifi, xapi_documents.agent_ifi). */
  agent: string;
  /** Statements whose actor is the agent. */
  statements: number;
  /** Statements of other actors that voided one of the agent's statements. */
  voidingStatements: number;
  stateDocuments: number;
  agentProfileDocuments: number;
  /** Attachment contents no remaining statement refers to. */
  attachments: number;
}

/**
 * Right to erasure (GDPR art. 17) for one agent: their statements (as actor) and the statements voiding them, in
 * ClickHouse (with their copies in the query tables and the attachment contents left unreferenced), and their State and Agent Profile documents in PostgreSQL. The journal is moved into ClickHouse
 * first, so statements acknowledged but not yet moved are erased too; statements of the agent written while the
 * erasure runs are not (run it once the source has stopped sending them).
 */
export class ErasureService {
  private readonly documents: DocumentRepository;

  constructor(
    private readonly warehouse: Warehouse,
    store: Store,
    private readonly statements: StatementRepository,
    private readonly attachments: AttachmentRepository,
    private readonly reader: StatementReader,
    private readonly logger: Logger,
    /** Called once the statements are erased (caches of figures computed from them compare a counter). */
    private readonly onDataChanged: () => void,
  ) {
    this.documents = new DocumentRepository(store);
  }

  async erase(agent: Agent): Promise<ErasureReport> {
    const ifi = actorIfi(agent);
    await this.statements.journal.moveNow();
    const client = this.warehouse.client;
    const own = await queryRows<{ id: string }>(
      client,
      `SELECT id FROM ${TABLES.statements} WHERE actor_ifi = {ifi:String}`,
      { ifi },
    );
    const voiders = await queryRows<{ id: string }>(
      client,
      `SELECT id FROM ${TABLES.statements} WHERE actor_ifi != {ifi:String}
       AND voiding_target IN (SELECT id FROM ${TABLES.statements} WHERE actor_ifi = {ifi:String})`,
      { ifi },
    );
    const ids = [...own, ...voiders].map((r) => r.id);
    // The attachment contents these statements refer to, read before their keys go.
    const referenced =
      ids.length === 0
        ? []
        : await queryRows<{ sha2: string }>(
            client,
            `SELECT DISTINCT substring(key, {from:UInt32}) AS sha2 FROM ${TABLES.statementKeys}
             WHERE id IN {ids:Array(UUID)} AND startsWith(key, {prefix:String})`,
            { ids, prefix: QUERY_KEY.attachment, from: QUERY_KEY.attachment.length + 1 },
          );
    // The person's rows in the observatory's rollups (migration 020) are keyed by their pseudonym: erased too.
    // Their own statements only: whoever voided one of them is another person, whose activity stays.
    const ownIds = own.map((r) => r.id);
    const pseudonyms =
      ownIds.length === 0
        ? []
        : (
            await queryRows<{ p: string }>(
              client,
              `SELECT DISTINCT actor_pseudonym AS p FROM ${TABLES.statements}
               WHERE id IN {ids:Array(UUID)} AND actor_pseudonym != ''`,
              { ids: ownIds },
            )
          ).map((r) => r.p);
    // `statements` and every table fed from it: the query tables' copies, the follow-up's events and homework, the
    // person-level rollups, and space_daily recomputed for the days these statements counted in.
    await eraseStatements(this.warehouse, ids, pseudonyms);
    // Then the visit rollups, under their lease: the person's rows deleted, visit_cube's months they counted in
    // rebuilt without them (after activity_actor_daily lost their rows, so that no catch-up can count them back).
    await eraseFromVisitRollups(this.warehouse, pseudonyms);
    this.onDataChanged();
    this.reader.forgetReferences();
    // Contents only these statements referred to; shared ones stay for the other statements.
    const attachments = await this.attachments.deleteUnreferenced(referenced.map((r) => r.sha2));
    const docs = await this.documents.removeAgent(ifi);
    const report: ErasureReport = {
      agent: ifi,
      statements: own.length,
      voidingStatements: voiders.length,
      attachments: attachments.length,
      stateDocuments: docs.state,
      agentProfileDocuments: docs.agent_profile,
    };
    this.logger.info(report, 'agent erased');
    return report;
  }
}
