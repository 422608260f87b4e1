import { randomUUID } from 'node:crypto';
import { CredentialRepository } from '@ent-observatory/store';
import { TABLES, queryRows } from '@ent-observatory/warehouse';
import { authorityFor } from '../apps/api/src/lrs/credentials.service.js';
import { type TestServer, basicAuth, startServer, xapiHeaders } from './support/server.js';
import { makeStatement } from './support/statements.js';

interface ErrorBody {
  error: string;
  message: string;
  details: { path: string; message: string }[];
}

describe('xAPI bad input and access control', () => {
  let server: TestServer;
  const postRaw = (body: string, headers: Record<string, string>) =>
    fetch(`${server.url}/xapi/statements`, { method: 'POST', headers, body });
  const count = async () => {
    await server.settle();
    return Number(
      (await queryRows<{ n: string }>(server.warehouse.client, `SELECT count() AS n FROM ${TABLES.statements}`))[0]?.n,
    );
  };

  beforeAll(async () => {
    server = await startServer({ XAPI_MAX_BODY_BYTES: String(64 * 1024) });
    const repo = new CredentialRepository(server.store.db);
    await repo.upsert({
      key: 'reader',
      secret: 'reader-secret',
      scopes: ['statements/read'],
      authority: authorityFor('reader'),
    });
    await repo.upsert({
      key: 'writer',
      secret: 'writer-secret',
      scopes: ['statements/write'],
      authority: authorityFor('writer'),
    });
    await repo.upsert({ key: 'off', secret: 'off-secret', scopes: ['all'], authority: authorityFor('off') });
    await repo.setEnabled('off', false);
  });
  afterAll(async () => {
    await server.close();
  });

  async function expectError(res: Response, status: number, code: string, version = '1.0.3'): Promise<ErrorBody> {
    expect(res.status).toBe(status);
    expect(res.headers.get('x-experience-api-version')).toBe(version);
    expect(res.headers.get('x-experience-api-consistent-through')).not.toBeNull();
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toBe(code);
    expect(body.message.length).toBeGreaterThan(10);
    expect(Array.isArray(body.details)).toBe(true);
    return body;
  }

  it('rejects malformed JSON with 400 invalid_json', async () => {
    const body = await expectError(await postRaw('{"actor": ', xapiHeaders()), 400, 'invalid_json');
    expect(body.message).toMatch(/not valid JSON/);
  });

  it('rejects a statement write that is neither application/json nor multipart/mixed with 400 (XAPI-00127)', async () => {
    await expectError(
      await postRaw(JSON.stringify(makeStatement()), xapiHeaders({ 'Content-Type': 'text/plain' })),
      400,
      'invalid_content_type',
    );
  });

  it('rejects a body over the configured limit with 413', async () => {
    const big = JSON.stringify(Array.from({ length: 400 }, (_, i) => makeStatement(i)));
    expect(big.length).toBeGreaterThan(64 * 1024);
    const body = await expectError(await postRaw(big, xapiHeaders()), 413, 'payload_too_large');
    expect(body.message).toContain('XAPI_MAX_BODY_BYTES');
  });

  it('requires the version header and refuses unknown versions, naming the latest version it speaks (Communication 3.3)', async () => {
    const headers = xapiHeaders();
    delete headers['X-Experience-API-Version'];
    // No version was agreed: the answer names the latest one this LRS implements.
    await expectError(await postRaw(JSON.stringify(makeStatement()), headers), 400, 'missing_version', '2.0.0');
    for (const version of ['0.95', '1.1.0', '2.1.0', '3']) {
      await expectError(
        await postRaw(JSON.stringify(makeStatement()), xapiHeaders({ 'X-Experience-API-Version': version })),
        400,
        'unsupported_version',
        '2.0.0',
      );
    }
    const get = await fetch(`${server.url}/xapi/statements?statementId=${randomUUID()}`, {
      headers: { Authorization: headers.Authorization ?? '' },
    });
    expect(get.status).toBe(400);
    expect(get.headers.get('x-experience-api-version')).toBe('2.0.0');
    // Every 1.0.x is accepted and answered as 1.0.3; every 2.0.x as 2.0.0.
    for (const [version, answer] of [
      ['1.0', '1.0.3'],
      ['1.0.9', '1.0.3'],
      ['2.0', '2.0.0'],
      ['2.0.1', '2.0.0'],
    ]) {
      const res = await fetch(`${server.url}/xapi/statements?limit=1`, {
        headers: xapiHeaders({ 'X-Experience-API-Version': version ?? '' }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-experience-api-version')).toBe(answer);
    }
  });

  it('lists every problem of an invalid statement with its path', async () => {
    const s = {
      ...makeStatement(),
      actor: { mbox: 'eleve@example.fr' },
      result: { score: { scaled: 2 } },
      timestamp: 'hier',
    };
    const body = await expectError(await postRaw(JSON.stringify(s), xapiHeaders()), 400, 'invalid_statement');
    expect(body.details.map((d) => d.path)).toEqual(['$.actor.mbox', '$.result.score.scaled', '$.timestamp']);
  });

  it('asks for content of attachments that have no fileUrl', async () => {
    const s = {
      ...makeStatement(),
      attachments: [
        {
          usageType: 'http://adlnet.gov/expapi/attachments/signature',
          display: { fr: 'x' },
          contentType: 'text/plain',
          length: 1,
          sha2: 'a'.repeat(64),
        },
      ],
    };
    const body = await expectError(await postRaw(JSON.stringify(s), xapiHeaders()), 400, 'invalid_statement');
    expect(body.details[0]?.path).toBe('$.attachments[0].fileUrl');
  });

  it('answers 401 without credentials, with a wrong secret, or for a disabled key', async () => {
    const statement = JSON.stringify(makeStatement());
    const none = xapiHeaders();
    delete none.Authorization;
    const res = await postRaw(statement, none);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expectError(res, 401, 'unauthorized');
    await expectError(
      await postRaw(statement, xapiHeaders({ Authorization: basicAuth('test-key', 'wrong') })),
      401,
      'unauthorized',
    );
    await expectError(
      await postRaw(statement, xapiHeaders({ Authorization: basicAuth('off', 'off-secret') })),
      401,
      'unauthorized',
    );
  });

  it('answers 403 when the credential lacks the scope, and lets each scope do its own job', async () => {
    const statement = JSON.stringify(makeStatement());
    await expectError(
      await postRaw(statement, xapiHeaders({ Authorization: basicAuth('reader', 'reader-secret') })),
      403,
      'forbidden',
    );
    const written = await postRaw(statement, xapiHeaders({ Authorization: basicAuth('writer', 'writer-secret') }));
    expect(written.status).toBe(200);
    const [id] = (await written.json()) as string[];
    const readByWriter = await fetch(`${server.url}/xapi/statements?statementId=${id}`, {
      headers: xapiHeaders({ Authorization: basicAuth('writer', 'writer-secret') }),
    });
    await expectError(readByWriter, 403, 'forbidden');
    const readByReader = await fetch(`${server.url}/xapi/statements?statementId=${id}`, {
      headers: xapiHeaders({ Authorization: basicAuth('reader', 'reader-secret') }),
    });
    expect(readByReader.status).toBe(200);
    expect(((await readByReader.json()) as { authority: unknown }).authority).toEqual(authorityFor('writer'));
  });

  it('stored nothing from any rejected request and is still up', async () => {
    // only the writer's statement above was accepted
    expect(await count()).toBe(1);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    // Once the journal has moved it (server.settle() above), nothing acknowledged is left outside ClickHouse.
    expect(((await health.json()) as { lrs: { pending: number } }).lrs.pending).toBe(0);
  });
});
