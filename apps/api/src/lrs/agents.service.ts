import { Inject, Injectable } from '@nestjs/common';
import { TABLES, type Warehouse, queryRows } from '@ent-observatory/warehouse';
import { type Agent, actorIfi } from '@ent-observatory/xapi';
import { StatementRepository } from '@ent-observatory/lrs';
import { WAREHOUSE } from '../common/tokens.js';

/** Communication 2.4: every property an array; several identifiers allowed, one per kind here. */
export interface Person {
  objectType: 'Person';
  name?: string[];
  mbox?: string[];
  mbox_sha1sum?: string[];
  openid?: string[];
  account?: { homePage: string; name: string }[];
}

/** Names kept per Person: enough to show how an agent has been called, bounded so the answer stays small. */
const MAX_NAMES = 20;

/**
 * The Agents resource. The LRS knows an agent only by the identifier it is given (no directory of personas yet),
 * so the Person holds that identifier and the names statements gave it as actor, found through the actor_ifi
 * bloom-filter index of `statements`. Journaled statements are moved first, so an acknowledged statement counts.
 */
@Injectable()
export class AgentsService {
  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    @Inject(StatementRepository) private readonly repo: StatementRepository,
  ) {}

  async person(agent: Agent): Promise<Person> {
    if (this.repo.journal.oldestPending() !== undefined) await this.repo.journal.moveNow();
    const rows = await queryRows<{ name: string }>(
      this.warehouse.client,
      `SELECT DISTINCT JSONExtractString(raw, 'actor', 'name') AS name FROM ${TABLES.statements}
       WHERE actor_ifi = {ifi:String} AND name != '' LIMIT {limit:UInt32}`,
      { ifi: actorIfi(agent), limit: MAX_NAMES },
    );
    const names = [...new Set([...(agent.name ? [agent.name] : []), ...rows.map((r) => r.name)])];
    const person: Person = { objectType: 'Person' };
    if (names.length > 0) person.name = names.slice(0, MAX_NAMES);
    if (agent.mbox !== undefined) person.mbox = [agent.mbox];
    if (agent.mbox_sha1sum !== undefined) person.mbox_sha1sum = [agent.mbox_sha1sum];
    if (agent.openid !== undefined) person.openid = [agent.openid];
    if (agent.account !== undefined) person.account = [agent.account];
    return person;
  }
}
