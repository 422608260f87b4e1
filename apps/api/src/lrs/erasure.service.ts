import { Inject, Injectable } from '@nestjs/common';
import { DocumentRepository, type Store } from '@ent-observatory/store';
import { TABLES, type Warehouse, command, onCluster, queryRows } from '@ent-observatory/warehouse';
import { type Agent, actorIfi } from '@ent-observatory/xapi';
import type { Logger } from 'pino';
import { LOGGER, STORE, WAREHOUSE } from '../common/tokens.js';
import { StatementRepository } from './statement.repository.js';

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
}

/**
 * Right to erasure (GDPR art. 17) for one agent: their statements (as actor) and the statements voiding them, in
 * ClickHouse, and their State and Agent Profile documents in PostgreSQL. The journal is moved into ClickHouse
 * first, so statements acknowledged but not yet moved are erased too; statements of the agent written while the
 * erasure runs are not (run it once the source has stopped sending them).
 */
@Injectable()
export class ErasureService {
  private readonly documents: DocumentRepository;

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(STORE) store: Store,
    @Inject(StatementRepository) private readonly statements: StatementRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.documents = new DocumentRepository(store);
  }

  async erase(agent: Agent): Promise<ErasureReport> {
    const ifi = actorIfi(agent);
    await this.statements.journal.moveNow();
    const client = this.warehouse.client;
    const [own] = await queryRows<{ n: string | number }>(
      client,
      `SELECT count() AS n FROM ${TABLES.statements} WHERE actor_ifi = {ifi:String}`,
      { ifi },
    );
    const voiders = await queryRows<{ id: string }>(
      client,
      `SELECT id FROM ${TABLES.statements} WHERE actor_ifi != {ifi:String}
       AND voiding_target IN (SELECT id FROM ${TABLES.statements} WHERE actor_ifi = {ifi:String})`,
      { ifi },
    );
    const statements = Number(own?.n ?? 0);
    if (statements > 0 || voiders.length > 0) {
      // A mutation rewrites the parts that hold these rows, so the data is physically gone once it returns
      // (mutations_sync = 2: on every replica), unlike a lightweight DELETE which only masks rows until a merge.
      await command(
        client,
        `ALTER TABLE ${TABLES.statements} ${onCluster(this.warehouse)} DELETE
         WHERE actor_ifi = {ifi:String} OR id IN {voiders:Array(UUID)} SETTINGS mutations_sync = 2`,
        { ifi, voiders: voiders.map((v) => v.id) },
      );
    }
    const docs = await this.documents.removeAgent(ifi);
    const report: ErasureReport = {
      agent: ifi,
      statements,
      voidingStatements: voiders.length,
      stateDocuments: docs.state,
      agentProfileDocuments: docs.agent_profile,
    };
    this.logger.info(report, 'agent erased');
    return report;
  }
}
