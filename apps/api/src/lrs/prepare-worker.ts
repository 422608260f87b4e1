import { type EstablishmentTerritory, createPseudonymKey, enrichedRow } from '@ent-observatory/xapi';
import { LrsException, parseJson, prepareWrite } from '@ent-observatory/lrs/pure';
import { serveJobs } from '../common/worker-pool.js';
import { type PrepareJob, type PrepareSetup, type ThreadPrepared, packPending } from './prepare-thread.js';

/**
 * A statement preparation thread of the API (statement-preparer.ts): parses a POST body, checks it and makes its
 * rows, with the same key and directory snapshot as the main thread.
 */
serveJobs<PrepareSetup, PrepareJob, ThreadPrepared, [string, EstablishmentTerritory][]>((setup) => {
  const key = createPseudonymKey(Buffer.from(setup.keySecret));
  let snapshot: ReadonlyMap<string, EstablishmentTerritory> = new Map(setup.snapshot);
  return {
    onUpdate(entries) {
      snapshot = new Map(entries);
    },
    run(job) {
      let count = 0;
      try {
        const body = parseJson(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength), 'the body');
        count = Array.isArray(body) ? body.length : 1;
        const pending = prepareWrite(body, false, { ...job.ctx, stored: new Date(job.ctx.stored) }, (s) =>
          enrichedRow(s, { snapshot, key }),
        );
        const packed = packPending(pending);
        return { result: { count, packed }, transfer: [packed.lines.buffer, packed.offsets.buffer] as ArrayBuffer[] };
      } catch (e) {
        if (!(e instanceof LrsException)) throw e;
        return { result: { count, error: { code: e.code, message: e.message, details: e.details } } };
      }
    },
  };
});
