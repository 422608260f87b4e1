import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { JOURNAL_FILE, checkDerivedTables, repairDerivedTables } from '@ent-observatory/lrs';
import { type CliCommand, CommandFailed, UsageError } from './command.js';
import { openCliStores } from './stores.js';

/**
 * `lrs:check [--repair]`: compares every table derived from `statements` with what `statements` says it must hold,
 * prints the report as JSON, and with --repair derives again what differs. Exit code 0 when consistent (or repaired).
 */
export const lrsCheck: CliCommand = {
  name: 'lrs:check',
  usage: '[--repair]',
  summary: 'check the statement tables derived from `statements` (by id, keys, references, rollups); --repair fixes',
  async run(args, env, io) {
    const unknown = args.filter((a) => a !== '--repair');
    if (unknown.length > 0) throw new UsageError(`unknown argument ${unknown.join(' ')}`);
    const journal = join(env.DATA_DIR, 'journal');
    const pending = existsSync(journal) ? readdirSync(journal).filter((f) => JOURNAL_FILE.test(f)) : [];
    if (pending.length > 0) {
      throw new CommandFailed(
        `${pending.length} journal file(s) in ${journal} hold acknowledged statements not yet in ClickHouse: start the server once (it replays them before answering), stop it, then check again`,
      );
    }
    const stores = await openCliStores(env);
    try {
      const report = await checkDerivedTables(stores.warehouse);
      io.out(`${JSON.stringify(report, null, 2)}\n`);
      if (report.consistent || !args.includes('--repair')) return report.consistent ? 0 : 1;
      for (const line of await repairDerivedTables(stores.warehouse, report)) io.err(`repaired: ${line}\n`);
      const after = await checkDerivedTables(stores.warehouse);
      io.out(`${JSON.stringify(after, null, 2)}\n`);
      return after.consistent ? 0 : 1;
    } finally {
      await stores.close();
    }
  },
};
