import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Transferable, Worker, parentPort, workerData } from 'node:worker_threads';

/** Deaths in a row, with no answer between them, after which a dead thread is not replaced. */
const STARTS_WITHOUT_ANSWER = 3;

/** What the pool sends a thread: a job, or an update every thread keeps (the directory snapshot). */
type ToThread<Job, Update> = { seq: number; job: Job } | { update: Update };
/** What a thread answers a job. */
type FromThread<Result> = { seq: number; result: Result } | { seq: number; error: string };

/**
 * The file of a worker thread's module, next to the module asking for it. From the TypeScript sources (jest) there
 * is no such `.js` file: the built one in `apps/api/dist` runs instead (`npm test` builds first). Undefined when
 * neither exists.
 */
export function threadScript(moduleUrl: string, name: string): URL | undefined {
  const beside = new URL(`./${name}.js`, moduleUrl);
  if (existsSync(fileURLToPath(beside))) return beside;
  const built = new URL(`./${name}.js`, moduleUrl.replace('/apps/api/src/', '/apps/api/dist/'));
  return existsSync(fileURLToPath(built)) ? built : undefined;
}

/**
 * Worker threads running one module's jobs, each job to the thread with the fewest in flight. A thread that dies
 * fails its jobs in flight and is replaced (with the last update), so one bad job never takes the pool down; after
 * STARTS_WITHOUT_ANSWER deaths in a row with no answer between them (the module cannot start), a dead thread is no
 * longer replaced. `close` ends the threads (they keep the process alive until then, as a job in flight must).
 */
export class WorkerPool<Job, Result, Update = never> {
  private readonly threads: { worker: Worker; waiting: Map<number, (r: Result | Error) => void> }[] = [];
  private seq = 0;
  /** Threads that died since the last answer of any thread. */
  private deathsWithoutAnswer = 0;
  private lastUpdate: { update: Update } | undefined;

  constructor(
    private readonly script: URL,
    size: number,
    private readonly setup: unknown,
    /** Names the threads in errors ("a loader thread failed: …"). */
    private readonly what: string,
    /** Told of each thread that died, and whether another took its place. */
    private readonly onDeath: (failure: string, replaced: boolean) => void = () => undefined,
  ) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  /** Threads running (fewer than asked when some could not start). */
  get size(): number {
    return this.threads.length;
  }

  /** Runs a job on a thread; rejects when no thread is left (none could start). */
  run(job: Job, transfer: Transferable[] = []): Promise<Result> {
    if (this.threads.length === 0) return Promise.reject(new Error(`${this.what}: no thread could start`));
    let target = this.threads[0] as (typeof this.threads)[number];
    for (const t of this.threads) if (t.waiting.size < target.waiting.size) target = t;
    const seq = this.seq++;
    return new Promise((resolve, reject) => {
      target.waiting.set(seq, (r) => (r instanceof Error ? reject(r) : resolve(r)));
      target.worker.postMessage({ seq, job } satisfies ToThread<Job, Update>, transfer);
    });
  }

  /** Sends every thread (and every later replacement) an update, ordered before the jobs that follow it. */
  update(update: Update): void {
    this.lastUpdate = { update };
    for (const t of this.threads) t.worker.postMessage(this.lastUpdate satisfies ToThread<Job, Update>);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }

  private spawn(): (typeof this.threads)[number] {
    const worker = new Worker(this.script, { workerData: this.setup });
    const thread = { worker, waiting: new Map<number, (r: Result | Error) => void>() };
    worker.on('message', (m: FromThread<Result>) => {
      this.deathsWithoutAnswer = 0;
      const settle = thread.waiting.get(m.seq);
      thread.waiting.delete(m.seq);
      settle?.('result' in m ? m.result : new Error(`${this.what} failed: ${m.error}`));
    });
    let failure = 'it stopped';
    worker.on('error', (e) => (failure = e.message));
    // A thread that ends (an uncaught exception, or worse) fails what it held, and another takes its place.
    worker.on('exit', () => {
      for (const settle of thread.waiting.values()) settle(new Error(`${this.what} died: ${failure}`));
      thread.waiting.clear();
      const at = this.threads.indexOf(thread);
      if (at === -1) return; // closing
      this.deathsWithoutAnswer += 1;
      if (this.deathsWithoutAnswer >= STARTS_WITHOUT_ANSWER) {
        this.threads.splice(at, 1);
        this.onDeath(failure, false);
        return;
      }
      this.onDeath(failure, true);
      const replacement = this.spawn();
      this.threads[at] = replacement;
      if (this.lastUpdate) replacement.worker.postMessage(this.lastUpdate);
    });
    return thread;
  }
}

/**
 * The thread's side: answers each job with `run` (its result, and the buffers to move rather than copy) and keeps
 * each update with `onUpdate`. An exception answers that job with its error; the thread goes on.
 */
export function serveJobs<Setup, Job, Result, Update = never>(
  start: (setup: Setup) => {
    run(job: Job): { result: Result; transfer?: Transferable[] };
    onUpdate?(update: Update): void;
  },
): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs runs in a worker thread');
  const handler = start(workerData as Setup);
  port.on('message', (m: ToThread<Job, Update>) => {
    if (!('seq' in m)) return handler.onUpdate?.(m.update);
    try {
      const { result, transfer } = handler.run(m.job);
      port.postMessage({ seq: m.seq, result } satisfies FromThread<Result>, transfer ?? []);
    } catch (e) {
      port.postMessage({ seq: m.seq, error: (e as Error).stack ?? String(e) } satisfies FromThread<Result>);
    }
  });
}

/**
 * Many small byte strings as one buffer and their offsets (item i is bytes[offsets[i], offsets[i + 1])), so that a
 * thread moves them in one transfer: a structured clone of each small Buffer would copy the whole pooled
 * allocation it lives in.
 */
export function packBytes(items: readonly Uint8Array[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const offsets = new Uint32Array(items.length + 1);
  items.forEach((b, i) => (offsets[i + 1] = (offsets[i] as number) + b.byteLength));
  const bytes = new Uint8Array(offsets[items.length] as number);
  items.forEach((b, i) => bytes.set(b, offsets[i]));
  return { bytes, offsets };
}
