import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { STATEMENT_ROW_COLUMNS, statementToRow, type StoredStatement } from '@ent-observatory/xapi';
import { StatementRepository, journalRow } from '@ent-observatory/lrs';
import { type TestServer, basicAuth, scrapeMetrics, startServer, xapiHeaders } from './support/server.js';
import { workerDataDir } from './support/paths.js';
import { makeStatement, withId } from './support/statements.js';

/** What a raw HTTP exchange answered: status line, headers and body text. */
async function rawHttp(url: string, request: string | Buffer): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body });
    });
  });
}

describe('LRS integrity: what is acknowledged is storable, stored as sent, never lost', () => {
  let server: TestServer;
  const postRaw = (body: string | Buffer, headers = xapiHeaders()) =>
    fetch(`${server.url}/xapi/statements`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
  const post = (body: unknown) => postRaw(JSON.stringify(body));
  const getStatement = (id: string) =>
    fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers: xapiHeaders() });
  const count = async () => {
    await server.settle();
    const [row] = await queryRows<{ n: string }>(
      server.warehouse.client,
      `SELECT count() AS n FROM ${TABLES.statements}`,
    );
    return Number(row?.n);
  };
  const metric = async (name: string) => {
    const text = await scrapeMetrics(server.url);
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  describe('values JSON accepts and the store cannot carry are refused with 400 naming their path', () => {
    it('refuses a lone surrogate, alone or in a 600-statement batch, and statement queries keep working', async () => {
      const before = await count();
      const single = await postRaw(
        JSON.stringify(makeStatement(1)).replace(/cahier-de-textes\/1"/, 'cahier-de-textes/1\\ud800x"'),
      );
      expect(single.status).toBe(400);
      const error = (await single.json()) as { error: string; details: { path: string }[] };
      expect(error.error).toBe('invalid_statement');
      expect(error.details.map((d) => d.path)).toEqual(['$.object.id']);

      const batch = Array.from({ length: 600 }, (_, i) => makeStatement(i));
      const text = JSON.stringify(batch).replace('"eleve-317"', '"eleve-317\\udc00"');
      const refused = await postRaw(text);
      expect(refused.status).toBe(400);
      const details = ((await refused.json()) as { details: { path: string }[] }).details;
      expect(details.map((d) => d.path)).toEqual(['$[317].actor.account.name']);
      expect(await count()).toBe(before);

      const queried = await fetch(`${server.url}/xapi/statements`, { headers: xapiHeaders() });
      expect(queried.status).toBe(200);
      expect((await post(makeStatement(2))).status).toBe(200);
    });

    it('refuses numbers beyond double precision instead of storing them as null', async () => {
      const res = await postRaw(
        JSON.stringify(makeStatement(3, { result: { extensions: { 'https://e.fr/n': 0 } } })).replace(
          '"https://e.fr/n":0',
          '"https://e.fr/n":1e400',
        ),
      );
      expect(res.status).toBe(400);
      expect(((await res.json()) as { details: { path: string }[] }).details[0]?.path).toBe(
        '$.result.extensions.https://e.fr/n',
      );
    });

    it('stores NUL and other control characters in statements exactly as sent', async () => {
      const s = withId(makeStatement(4, { result: { response: 'a\u0000b\u0001c\u2028' } }));
      expect((await post(s)).status).toBe(200);
      await server.settle();
      const got = (await (await getStatement(s.id as string)).json()) as { result: { response: string } };
      expect(got.result.response).toBe('a\u0000b\u0001c\u2028');
    });

    it('refuses NUL in what reaches PostgreSQL (document ids, agents) with 400, not a database error', async () => {
      const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:eleve@ent.fr' }));
      const activity = encodeURIComponent('https://ent.example.fr/a');
      const stateNul = await fetch(
        `${server.url}/xapi/activities/state?activityId=${activity}&agent=${agent}&stateId=a%00b`,
        { method: 'PUT', headers: xapiHeaders(), body: '{"x":1}' },
      );
      expect(stateNul.status).toBe(400);
      expect(((await stateNul.json()) as { error: string }).error).toBe('invalid_parameter');
      const nulAgent = encodeURIComponent(JSON.stringify({ account: { homePage: 'https://e.fr', name: 'a\u0000' } }));
      const profile = await fetch(`${server.url}/xapi/agents/profile?agent=${nulAgent}&profileId=p`, {
        method: 'PUT',
        headers: xapiHeaders(),
        body: '{"x":1}',
      });
      expect(profile.status).toBe(400);
    });
  });

  describe('a body that is not UTF-8 is refused, never stored altered', () => {
    const invalid: [string, number[]][] = [
      ['C3 28', [0xc3, 0x28]],
      ['a lone continuation byte', [0x80]],
      ['the overlong C0 AF', [0xc0, 0xaf]],
    ];
    const places = ['actor name', 'object id', 'verb display'];
    for (const [what, bytes] of invalid) {
      it(`refuses ${what} in an actor name, an object id or a verb display`, async () => {
        for (const place of places) {
          const s = makeStatement(5);
          const marker =
            place === 'actor name' ? 'eleve-5' : place === 'object id' ? 'cahier-de-textes/5' : 'a consulté';
          const text = JSON.stringify(s);
          const at = text.indexOf(marker) + marker.length;
          const body = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]);
          const res = await postRaw(body);
          expect(res.status).toBe(400);
          const error = (await res.json()) as { error: string; message: string };
          expect(error.error).toBe('invalid_encoding');
          expect(error.message).toMatch(/not valid UTF-8 \(first invalid byte at offset \d+\)/);
        }
      });
    }

    it('refuses invalid UTF-8 in a JSON document and in an alternate-syntax form', async () => {
      const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:eleve@ent.fr' }));
      const doc = await fetch(
        `${server.url}/xapi/activities/state?activityId=${encodeURIComponent('https://e.fr/a')}&agent=${agent}&stateId=s`,
        {
          method: 'PUT',
          headers: xapiHeaders(),
          body: new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
        },
      );
      expect(doc.status).toBe(400);
      expect(((await doc.json()) as { error: string }).error).toBe('invalid_encoding');
      const form = `Authorization=${encodeURIComponent(basicAuth())}&X-Experience-API-Version=1.0.3&Content-Type=application%2Fjson&content=${encodeURIComponent(JSON.stringify(makeStatement(6))).replace('eleve-6', 'eleve-6%C3%28')}`;
      const alt = await fetch(`${server.url}/xapi/statements?method=POST`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      expect(alt.status).toBe(400);
      expect(((await alt.json()) as { error: string }).error).toBe('invalid_encoding');
    });
  });

  it('answers 409 to a resent id whose extensions differ only under __proto__, definition or objectType', async () => {
    for (const key of ['__proto__', 'definition', 'objectType']) {
      const id = randomUUID();
      const send = (value: number) =>
        postRaw(
          JSON.stringify(
            withId(makeStatement(7, { result: { extensions: { 'https://e.fr/x': { k: 0 } } } }), id),
          ).replace('{"k":0}', `{"${key}":{"v":${value}}}`),
        );
      expect((await send(1)).status).toBe(200);
      expect((await send(1)).status).toBe(200); // the same statement again: a no-op
      const conflict = await send(2);
      expect(conflict.status).toBe(409);
      expect(((await conflict.json()) as { error: string }).error).toBe('conflict');
    }
  });

  describe('every refusal in the documented {error, message, details} shape', () => {
    it('answers a malformed chunked body in the LRS error shape', async () => {
      const res = await rawHttp(
        server.url,
        `POST /xapi/statements HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth()}\r\nX-Experience-API-Version: 1.0.3\r\n` +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      );
      expect(res.status).toBe(400);
      const body = JSON.parse(res.body) as { error: string; message: string; details: unknown[] };
      expect(body.error).toBe('malformed_request');
      expect(body.message).toMatch(/chunked body is malformed/);
      expect(body.details).toEqual([]);
    });

    it('answers a body shorter than its Content-Length in the LRS error shape', async () => {
      const res = await rawHttp(
        server.url,
        `POST /xapi/statements HTTP/1.1\r\nHost: x\r\nAuthorization: ${basicAuth()}\r\nX-Experience-API-Version: 1.0.3\r\n` +
          'Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{"actor":',
      );
      expect(res.status).toBe(400);
      const body = JSON.parse(res.body) as { error: string; message: string };
      expect(body.error).toBe('malformed_request');
      expect(body.message).toMatch(/Content-Length|ended/);
    });

    it('answers 413 to a 2 MB State document, and the client reads the answer', async () => {
      const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:eleve@ent.fr' }));
      const res = await fetch(
        `${server.url}/xapi/activities/state?activityId=${encodeURIComponent('https://e.fr/a')}&agent=${agent}&stateId=big`,
        { method: 'PUT', headers: xapiHeaders(), body: JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }) },
      );
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
    });

    it('refuses to POST-merge JSON that is not an object into State', async () => {
      const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:eleve@ent.fr' }));
      const url = `${server.url}/xapi/activities/state?activityId=${encodeURIComponent('https://e.fr/a')}&agent=${agent}&stateId=merge`;
      for (const body of ['[1,2]', '"text"', '42', 'null']) {
        const res = await fetch(url, { method: 'POST', headers: xapiHeaders(), body });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: string }).error).toBe('invalid_document');
      }
      expect((await fetch(url, { headers: xapiHeaders() })).status).toBe(404);
    });
  });

  describe('the journal never blocks on, nor silently drops, what it acknowledged', () => {
    it('reports what it acknowledged and ClickHouse does not hold yet, until a move takes it in', async () => {
      const repository = server.app.get(StatementRepository);
      await server.settle();
      const rows = [1, 2, 3].map((n) => statementRow(withId(makeStatement(30 + n))));
      await repository.journal.write(rows.map(journalRow));
      expect(await metric('lrs_journal_pending_rows')).toBe(3);
      const pending = async () =>
        ((await (await fetch(`${server.url}/health`)).json()) as { lrs: { pending: number } }).lrs.pending;
      expect(await pending()).toBe(3);
      await server.settle();
      // Read at each scrape: not the count of the last write.
      expect(await metric('lrs_journal_pending_rows')).toBe(0);
      expect(await pending()).toBe(0);
    });

    it('quarantines a row ClickHouse refuses and moves every other row of its generation', async () => {
      const repository = server.app.get(StatementRepository);
      const good = [1, 2, 3].map((n) => statementRow(withId(makeStatement(10 + n))));
      const poison = { ...statementRow(withId(makeStatement(14))), timestamp: 'not a time' };
      const heldBefore = await metric('lrs_journal_quarantined_rows');
      await repository.journal.write(
        ([good[0], poison, good[1], good[2]] as ReturnType<typeof statementRow>[]).map(journalRow),
      );
      await server.settle();
      for (const row of good) expect((await getStatement(row.id)).status).toBe(200);
      expect((await fetch(`${server.url}/xapi/statements`, { headers: xapiHeaders() })).status).toBe(200);
      expect(await metric('lrs_journal_quarantined_rows')).toBe(heldBefore + 1);
      const quarantine = join(workerDataDir(), 'journal', 'quarantine');
      const held = readdirSync(quarantine)
        .map((f) => readFileSync(join(quarantine, f), 'utf8'))
        .join('');
      expect(held).toContain(poison.id);
    });

    it('at start, drops only a torn last line, quarantines a line that is not a row, replays legacy lines', async () => {
      await server.settle();
      const journal = join(workerDataDir(), 'journal');
      const rows = [1, 2].map((n) => statementRow(withId(makeStatement(20 + n))));
      const legacy = stored(withId(makeStatement(23)));
      const lines = [
        JSON.stringify(STATEMENT_ROW_COLUMNS.map((c) => rows[0]?.[c])),
        '{"this is": "not a row"}',
        JSON.stringify(legacy),
        JSON.stringify(STATEMENT_ROW_COLUMNS.map((c) => rows[1]?.[c])),
      ];
      mkdirSync(journal, { recursive: true });
      writeFileSync(join(journal, 'gen-0-0-leftover.ndjson'), `${lines.join('\n')}\n["torn`);
      const heldBefore = await metric('lrs_journal_quarantined_rows');
      await server.close();
      server = await startServer({}, { keepData: true });
      for (const id of [rows[0]?.id, rows[1]?.id, legacy.id])
        expect((await getStatement(id as string)).status).toBe(200);
      expect(await metric('lrs_journal_quarantined_rows')).toBe(heldBefore + 1);
      expect(readdirSync(journal).filter((f) => f.startsWith('gen-'))).toEqual([]);
    });
  });
});

function stored(s: Record<string, unknown>): StoredStatement {
  const now = new Date().toISOString();
  return {
    ...s,
    stored: now,
    authority: { objectType: 'Agent', account: { homePage: 'https://lrs.test', name: 'test-key' } },
    version: '1.0.0',
  } as unknown as StoredStatement;
}

function statementRow(s: Record<string, unknown>) {
  return statementToRow(stored(s));
}
