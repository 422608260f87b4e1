import { recomputeVisitRollups } from '@ent-observatory/indicators';
import type { Announcement } from '@ent-observatory/warehouse';
import { type CliCommand, UsageError } from './command.js';
import { asOnlyWriter, openCliStores } from './stores.js';

/**
 * `rollups:recompute`: every month of the visit rollups counted again whole from `activity_actor_daily`
 * (libs/indicators visit-rollup-full.ts), under the lease every catch-up takes. The incremental catch-up adds
 * persons to the distinct-user counts and cannot take one out: after `lrs:check --repair` rewrote days of
 * `activity_actor_daily`, a person it removed from a cell is still counted there until this runs. Months recomputed
 * one after another are not one snapshot, so it refuses while an API accepts statements on the database.
 */
export const rollupsRecompute: CliCommand = {
  name: 'rollups:recompute',
  usage: '',
  summary: 'count the visit rollups again whole (after lrs:check --repair; the API must not be writing)',
  async run(args, env, io) {
    if (args.length > 0) throw new UsageError(`unknown argument ${args.join(' ')}`);
    const stores = await openCliStores(env);
    let presence: Announcement | undefined;
    try {
      presence = await asOnlyWriter(
        stores.warehouse,
        'cli-rollups-recompute',
        'stop it, recompute, then start it again',
      );
      const started = performance.now();
      const months = await recomputeVisitRollups(stores.warehouse);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      io.out(
        months.length === 0
          ? 'visit rollups: nothing stored, nothing to recompute\n'
          : `visit rollups recomputed: ${months.length} month(s), ${months[0]} to ${months[months.length - 1]}, in ${seconds} s\n`,
      );
      return 0;
    } finally {
      await presence?.stop().catch(() => undefined);
      await stores.close();
    }
  },
};
