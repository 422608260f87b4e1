import { CommandFailed } from './command.js';

/** Attempts for a batch the LRS asks to retry (429 rate limit, 503 busy), with a doubling pause. */
const ATTEMPTS = 5;

/**
 * Posts statement lines to an LRS (`POST <url>/xapi/statements`) as JSON arrays of `batch` statements, with up to
 * `concurrency` requests in flight. Batches of 500 or more take the LRS's direct-insert path. A refused batch
 * stops the run with the LRS's answer (status and the start of its body), since it means the statements are wrong
 * or the credentials are.
 */
export class StatementPoster {
  posted = 0;
  private pending: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;
  private readonly endpoint: string;
  private readonly headers: Record<string, string>;

  constructor(
    url: string,
    credentials: { key: string; secret: string },
    private readonly batch: number,
    private readonly concurrency: number,
  ) {
    let base: URL;
    try {
      base = new URL(url);
    } catch {
      throw new CommandFailed(`--post "${url}" is not a URL: give the LRS base, e.g. http://localhost:3000`);
    }
    const path = base.pathname.replace(/\/+$/, '');
    this.endpoint = `${base.origin}${path.endsWith('/xapi/statements') ? path : `${path.replace(/\/xapi$/, '')}/xapi/statements`}`;
    this.headers = {
      Authorization: `Basic ${Buffer.from(`${credentials.key}:${credentials.secret}`).toString('base64')}`,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
    };
  }

  /** Queues one statement (a JSON line); a full batch is sent when a request slot is free (see drain). */
  add = (line: string): void => {
    this.pending.push(line);
  };

  /** Sends queued batches, waiting until at most `maxQueuedBatches` remain queued (0: everything acknowledged). */
  async drain(maxQueuedBatches: number): Promise<void> {
    while (
      this.pending.length >= this.batch * Math.max(1, maxQueuedBatches) ||
      (maxQueuedBatches === 0 && (this.pending.length > 0 || this.inFlight.size > 0))
    ) {
      if (this.failure) throw this.failure;
      if (this.pending.length > 0 && this.inFlight.size < this.concurrency) {
        const lines = this.pending.length <= this.batch ? this.pending : this.pending.slice(0, this.batch);
        this.pending = lines === this.pending ? [] : this.pending.slice(this.batch);
        const request = this.send(lines).finally(() => this.inFlight.delete(request));
        this.inFlight.add(request);
        continue;
      }
      await Promise.race(this.inFlight);
    }
    if (this.failure) throw this.failure;
  }

  private async send(lines: string[]): Promise<void> {
    const body = `[${lines.join(',')}]`;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(this.endpoint, { method: 'POST', headers: this.headers, body });
      } catch (e) {
        this.failure ??= new CommandFailed(`cannot reach the LRS at ${this.endpoint}: ${(e as Error).message}`);
        return;
      }
      if (response.ok) {
        await response.arrayBuffer();
        this.posted += lines.length;
        return;
      }
      const text = (await response.text()).slice(0, 500);
      if ((response.status === 429 || response.status === 503) && attempt < ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
        continue;
      }
      this.failure ??= new CommandFailed(
        `the LRS refused a batch of ${lines.length} statements: HTTP ${response.status} ${text}`,
      );
      return;
    }
  }
}
