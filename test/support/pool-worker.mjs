// A worker thread for worker-pool.spec.ts, speaking the pool's protocol by hand (serveJobs is TypeScript):
// doubles numbers, answers 'throw' with an error, ends its thread on 'die', and keeps the last update it got.
import { parentPort, workerData } from 'node:worker_threads';

let update = workerData.initial;
parentPort.on('message', (m) => {
  if (!('seq' in m)) {
    update = m.update;
    return;
  }
  if (m.job === 'die') process.exit(3);
  if (m.job === 'throw') parentPort.postMessage({ seq: m.seq, error: 'asked to throw' });
  else if (m.job === 'update') parentPort.postMessage({ seq: m.seq, result: update });
  else parentPort.postMessage({ seq: m.seq, result: m.job * 2 });
});
