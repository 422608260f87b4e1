import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isSameStatement } from '@ent-observatory/xapi';
import { LrsProcess, freePort } from './support/lrs-process.js';
import { testRoot } from './support/paths.js';
import { xapiHeaders } from './support/server.js';
import { makeStatement } from './support/statements.js';

type Statement = Record<string, unknown>;

/** How many times the server is killed mid-load, and how long load runs between kills (ms). */
const KILLS = 5;
const LOAD_MS = [1500, 3000] as const;

/**
 * An operator's worst day (issues 16 and 21): 32 clients posting or putting single statements (and re-sending some
 * they already stored), 4 clients posting 100- and 1,000-statement batches, the server `kill -9`ed mid-load and
 * restarted on the same data, several times. Clients retry what was not acknowledged, as they must. Afterwards every
 * acknowledged statement is there exactly once, with its content, by id, in every page and in every derived table.
 */
describe('LRS after kill -9 under load', () => {
  const dataDir = join(testRoot(), `crash-${process.pid}`);
  let lrs: LrsProcess;
  const acknowledged = new Map<string, Statement>();
  let stopping = false;
  let requests = 0;
  let retries = 0;

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    lrs = new LrsProcess(dataDir, await freePort(), { JOURNAL_MOVE_MS: '200' });
    await lrs.start();
  });
  afterAll(async () => {
    await lrs.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends until acknowledged: a refused connection, a reset or a 503 is retried with the same ids and content. */
  async function untilAcknowledged(method: 'POST' | 'PUT', statements: Statement[]): Promise<void> {
    const single = method === 'PUT';
    const url = single
      ? `${lrs.url}/xapi/statements?statementId=${statements[0]?.id as string}`
      : `${lrs.url}/xapi/statements`;
    const body = JSON.stringify(single ? statements[0] : statements.length === 1 ? statements[0] : statements);
    for (let attempt = 0; ; attempt++) {
      requests += 1;
      const res = await fetch(url, { method, headers: xapiHeaders(), body }).catch(() => undefined);
      if (res && (res.status === 200 || res.status === 204)) {
        await res.arrayBuffer();
        for (const s of statements) acknowledged.set(s.id as string, s);
        return;
      }
      if (res && res.status !== 503) throw new Error(`${method} answered ${res.status}: ${await res.text()}`);
      await res?.arrayBuffer();
      retries += 1;
      await new Promise((r) => setTimeout(r, 50 + Math.min(attempt, 20) * 25));
    }
  }

  const statement = (n: number): Statement => ({ ...makeStatement(n), id: randomUUID() });

  async function singleClient(c: number): Promise<void> {
    for (let n = 0; !stopping; n++) {
      const roll = (c * 7919 + n * 104_729) % 10;
      const previous = [...acknowledged.values()].at(-1 - (n % 50));
      if (roll === 0 && previous)
        await untilAcknowledged('POST', [previous]); // a re-send: a no-op
      else await untilAcknowledged(roll < 3 ? 'PUT' : 'POST', [statement(c * 1000 + n)]);
    }
  }

  async function batchClient(c: number): Promise<void> {
    for (let n = 0; !stopping; n++) {
      const size = (c + n) % 2 === 0 ? 100 : 1000;
      await untilAcknowledged(
        'POST',
        Array.from({ length: size }, (_, i) => statement(c * 100_000 + n * 1000 + i)),
      );
    }
  }

  it('keeps every acknowledged statement exactly once through repeated kill -9 under mixed load', async () => {
    const clients = [
      ...Array.from({ length: 32 }, (_, c) => singleClient(c)),
      ...Array.from({ length: 4 }, (_, c) => batchClient(c)),
    ];
    const phases: string[] = [];
    const started = Date.now();
    const mark = (what: string) => phases.push(`${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, LOAD_MS[0] + Math.random() * (LOAD_MS[1] - LOAD_MS[0])));
      await lrs.kill();
      mark(`kill ${k + 1} (${acknowledged.size} acknowledged)`);
      await lrs.start();
      mark('restarted');
      // The killed instance's announcement as an LRS writer is not a second writer (its store is this one's alone).
      const health = (await (await fetch(`${lrs.url}/health`)).json()) as { status: string; lrs: { writers: number } };
      expect(health).toMatchObject({ status: 'up', lrs: { writers: 1 } });
    }
    stopping = true;
    await Promise.all(clients);
    mark(`load stopped (${acknowledged.size} acknowledged)`);
    expect(acknowledged.size).toBeGreaterThan(KILLS * 100);
    expect(retries).toBeGreaterThan(0); // the kills did interrupt requests

    // Every acknowledged statement, by id, with the content that was acknowledged.
    const ids = [...acknowledged.keys()];
    for (let i = 0; i < ids.length; i += 32) {
      await Promise.all(
        ids.slice(i, i + 32).map(async (id) => {
          const res = await fetch(`${lrs.url}/xapi/statements?statementId=${id}`, { headers: xapiHeaders() });
          if (res.status !== 200) {
            console.log(`GET ${id} answered ${res.status}: ${await res.clone().text()}\n${lrs.output.slice(-4000)}`);
          }
          expect(res.status).toBe(200);
          const got = (await res.json()) as Statement;
          expect(isSameStatement(got, acknowledged.get(id) as Statement)).toBe(true);
        }),
      );
    }

    // Every page with `more`: each statement once, in order, the cursor never going back.
    mark('every id read back');
    const paged = await pageAll(`${lrs.url}/xapi/statements?limit=500`);
    expect(paged.length).toBe(acknowledged.size);
    expect(new Set(paged).size).toBe(paged.length);
    expect(new Set(paged)).toEqual(new Set(ids));
    // A filtered query: one single client's actor.
    const actor = JSON.stringify(makeStatement(3 * 1000).actor);
    const byAgent = await pageAll(`${lrs.url}/xapi/statements?limit=100&agent=${encodeURIComponent(actor)}`);
    const expected = [...acknowledged.values()].filter((s) => JSON.stringify(s.actor) === actor).map((s) => s.id);
    expect(new Set(byAgent)).toEqual(new Set(expected));
    expect(byAgent.length).toBe(expected.length);

    // Every derived table holds exactly what `statements` says, with no duplicate rows.
    mark('paged');
    await lrs.stop();
    const check = await lrs.cli('lrs:check');
    mark('checked');
    const report = JSON.parse(check.stdout) as { consistent: boolean; statements: { rows: number; ids: number } };
    if (!report.consistent) console.log(`lrs:check found derived tables out of step:\n${check.stdout}`);
    expect(report).toMatchObject({ consistent: true, statements: { rows: acknowledged.size, ids: acknowledged.size } });
    expect(check.code).toBe(0);
    expect(lrs.output).not.toMatch(/quarantine/);
    await lrs.start();
    const repairs = lrs.output.split('\n').filter((l) => l.includes('out of step with the replayed statements'));
    console.log(
      `crash test: ${acknowledged.size} statements acknowledged, ${requests} requests, ${retries} retries, ` +
        `${repairs.length} table(s) rewritten by recovery\n${phases.join('\n')}\n${repairs.join('\n')}`,
    );
  }, 900_000);

  /** Follows `more` to the end; fails if a cursor repeats or a page repeats an id. */
  async function pageAll(first: string): Promise<string[]> {
    const seen: string[] = [];
    const cursors = new Set<string>();
    for (let url: string | undefined = first; url !== undefined;) {
      const res = await fetch(url, { headers: xapiHeaders() });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { statements: Statement[]; more?: string };
      seen.push(...page.statements.map((s) => s.id as string));
      if (page.more) {
        expect(cursors.has(page.more)).toBe(false);
        cursors.add(page.more);
      }
      url = page.more ? `${lrs.url}${page.more}` : undefined;
    }
    return seen;
  }
});
