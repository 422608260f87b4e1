import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { AttachmentRepository } from '@ent-observatory/lrs';
import { type TestServer, startServer, xapiHeaders } from './support/server.js';
import { BOUNDARY, attachment, multipart, sha256 } from './support/attachments.js';
import { makeStatement } from './support/statements.js';

const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';

/** A JWS compact serialization of `payload`, RS256 with `key` (Data 2.6). */
function jws(payload: unknown, privateKey: ReturnType<typeof generateKeyPairSync>['privateKey'], alg = 'RS256') {
  const header = Buffer.from(JSON.stringify({ alg })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = sign('sha256', Buffer.from(`${header}.${body}`), privateKey).toString('base64url');
  return `${header}.${body}.${signature}`;
}

describe('xAPI attachments (multipart/mixed) and signed statements over HTTP', () => {
  let server: TestServer;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const send = (body: Buffer, method = 'POST', query = '', boundary = BOUNDARY) =>
    fetch(`${server.url}/xapi/statements${query}`, {
      method,
      headers: xapiHeaders({ 'Content-Type': `multipart/mixed; boundary=${boundary}` }),
      body: new Uint8Array(body),
    });
  const storedContents = async (sha2: string) =>
    Number(
      (await server.store.query<{ n: string }>('SELECT count(*) AS n FROM lrs_attachments WHERE sha2 = $1', [sha2]))[0]
        ?.n,
    );
  const expectRejected = async (res: Response, naming: string, id: string) => {
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(naming);
    const got = await fetch(`${server.url}/xapi/statements?statementId=${id}`, { headers: xapiHeaders() });
    expect(got.status).toBe(404);
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('stores a statement with its attachment part and returns both with attachments=true', async () => {
    const content = `copie d'élève ${randomUUID()}`;
    const statement = makeStatement(1, { id: randomUUID(), attachments: [attachment(content)] });
    const res = await send(multipart(statement, [{ content }]));
    expect(res.status).toBe(200);
    const single = await fetch(`${server.url}/xapi/statements?statementId=${statement.id as string}&attachments=true`, {
      headers: xapiHeaders(),
    });
    expect(single.status).toBe(200);
    const type = single.headers.get('content-type') ?? '';
    expect(type).toMatch(/^multipart\/mixed; boundary=/);
    const text = await single.text();
    expect(text).toContain(`X-Experience-API-Hash: ${sha256(content)}`);
    expect(text).toContain('Content-Transfer-Encoding: binary');
    expect(text).toContain(content);
    const json = await fetch(`${server.url}/xapi/statements?statementId=${statement.id as string}`, {
      headers: xapiHeaders(),
    });
    expect(json.headers.get('content-type')).toContain('application/json');
    const query = await fetch(`${server.url}/xapi/statements?attachments=true&limit=5`, { headers: xapiHeaders() });
    expect((await query.text()).split(content).length - 1).toBe(1);
  });

  it('stores an attachment content once for two statements, and accepts PUT and fileUrl-only attachments', async () => {
    const content = `partagé ${randomUUID()}`;
    const first = makeStatement(2, { attachments: [attachment(content)] });
    const second = makeStatement(3, {
      attachments: [attachment(content), attachment('ailleurs', { fileUrl: 'https://ent.example.fr/f.txt' })],
    });
    expect((await send(multipart([first, second], [{ content }]))).status).toBe(200);
    const putId = randomUUID();
    expect(
      (
        await send(
          multipart(makeStatement(4, { attachments: [attachment(content)] }), [{ content }]),
          'PUT',
          `?statementId=${putId}`,
        )
      ).status,
    ).toBe(204);
    expect(await storedContents(sha256(content))).toBe(1);
    const query = await fetch(`${server.url}/xapi/statements?attachments=true&limit=3`, { headers: xapiHeaders() });
    expect((await query.text()).split(content).length - 1).toBe(1);
  });

  it('refuses a bad boundary, a missing part, an extra part and a hash mismatch, storing nothing', async () => {
    const content = `refusé ${randomUUID()}`;
    const s = () => makeStatement(5, { id: randomUUID(), attachments: [attachment(content)] });
    let st = s();
    await expectRejected(await send(multipart(st, [{ content }], 'other'), 'POST'), 'boundary', st.id as string);
    st = s();
    await expectRejected(await send(multipart(st, [])), 'no fileUrl and no multipart part', st.id as string);
    st = s();
    await expectRejected(
      await send(multipart(st, [{ content }, { content: 'de trop' }])),
      'match no attachment',
      st.id as string,
    );
    st = s();
    await expectRejected(
      await send(multipart(st, [{ content: 'autre chose', hash: sha256(content) }])),
      'does not match its X-Experience-API-Hash',
      st.id as string,
    );
    expect(await storedContents(sha256(content))).toBe(0);
  });

  it.each(['1.0.3', '2.0.0'])(
    'takes statements with attachments only as application/json or multipart/mixed: others are 400 (Data 2.4.11, %s)',
    async (version) => {
      const post = (body: Buffer | string, contentType: string) =>
        fetch(`${server.url}/xapi/statements`, {
          method: 'POST',
          headers: xapiHeaders({ 'Content-Type': contentType, 'X-Experience-API-Version': version }),
          body: typeof body === 'string' ? body : new Uint8Array(body),
        });
      const fileUrl = makeStatement(2, {
        attachments: [attachment('en ligne', { fileUrl: 'https://ent.example.fr/copies/1.txt' })],
      });
      expect((await post(JSON.stringify(fileUrl), 'application/json')).status).toBe(200);
      expect((await post(multipart(fileUrl, []), `multipart/mixed; boundary=${BOUNDARY}`)).status).toBe(200);
      const formData = await post(JSON.stringify(fileUrl), `multipart/form-data; boundary=${BOUNDARY}`);
      expect(formData.status).toBe(400);
      expect(((await formData.json()) as { error: string }).error).toBe('invalid_content_type');
      // Raw data: accepted as multipart/mixed, refused as multipart/form-data.
      const content = Buffer.from(randomUUID().repeat(20), 'utf8').toString('hex');
      const raw = makeStatement(3, { attachments: [attachment(content, { contentType: 'image/jpeg' })] });
      const body = multipart(raw, [{ content, contentType: 'image/jpeg' }]);
      expect((await post(body, `multipart/form-data; boundary=${BOUNDARY}`)).status).toBe(400);
      expect((await post(body, `multipart/mixed; boundary=${BOUNDARY}`)).status).toBe(200);
      // Parts are matched by SHA-2 alone: a length that is not the part's size does not refuse the request.
      const other = `${content}00`;
      const misdeclared = makeStatement(4, {
        attachments: [attachment(other, { contentType: 'image/jpeg', length: other.length / 2 })],
      });
      const res = await post(
        multipart(misdeclared, [{ content: other, contentType: 'image/jpeg' }]),
        `multipart/mixed; boundary=${BOUNDARY}`,
      );
      expect(res.status).toBe(200);
    },
  );

  it('refuses a statement whose attachments are refused by a 409, keeping no content', async () => {
    const id = randomUUID();
    expect((await send(multipart(makeStatement(6, { id }), []))).status).toBe(200);
    const content = `conflit ${randomUUID()}`;
    const changed = makeStatement(6, {
      id,
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      attachments: [attachment(content)],
    });
    expect((await send(multipart(changed, [{ content }]))).status).toBe(409);
    expect(await storedContents(sha256(content))).toBe(0);
  });

  it('accepts a signed statement whose JWS payload is the statement, and refuses a tampered or malformed one', async () => {
    const statement = makeStatement(7, { id: randomUUID() });
    const signed = (token: string) => ({
      ...statement,
      attachments: [attachment(token, { usageType: SIGNATURE, contentType: 'application/octet-stream' })],
    });
    const good = jws(statement, privateKey);
    expect(
      (await send(multipart(signed(good), [{ content: good, contentType: 'application/octet-stream' }]))).status,
    ).toBe(200);
    const other = { ...statement, id: randomUUID(), verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } };
    const tampered = jws({ ...other, verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' } }, privateKey);
    const tamperedStatement = { ...signed(tampered), id: other.id, verb: other.verb };
    await expectRejected(
      await send(multipart(tamperedStatement, [{ content: tampered, contentType: 'application/octet-stream' }])),
      'differs',
      other.id,
    );
    const hs = `${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify(statement)).toString('base64url')}.x`;
    const hsStatement = { ...signed(hs), id: randomUUID() };
    await expectRejected(await send(multipart(hsStatement, [{ content: hs }])), 'RS256', hsStatement.id);
    const badCert = `${Buffer.from('{"alg":"RS256","x5c":["bm90IGEgY2VydA=="]}').toString('base64url')}.${good.split('.')[1] ?? ''}.${good.split('.')[2] ?? ''}`;
    const certStatement = { ...signed(badCert), id: randomUUID() };
    await expectRejected(await send(multipart(certStatement, [{ content: badCert }])), 'x5c', certStatement.id);
  });

  it.each(['1.0.3', '2.0.0'])(
    'compares a signed statement with its payload ignoring duration precision beyond 0.01 s (Data 4.6, %s)',
    async (version) => {
      const sendAs = (body: Buffer) =>
        fetch(`${server.url}/xapi/statements`, {
          method: 'POST',
          headers: xapiHeaders({
            'Content-Type': `multipart/mixed; boundary=${BOUNDARY}`,
            'X-Experience-API-Version': version,
          }),
          body: new Uint8Array(body),
        });
      const signedWith = (sent: string, signedDuration: string) => {
        const statement = makeStatement(8, { id: randomUUID(), result: { duration: signedDuration } });
        const token = jws(statement, privateKey);
        const body = {
          ...statement,
          result: { duration: sent },
          attachments: [attachment(token, { usageType: SIGNATURE, contentType: 'application/octet-stream' })],
        };
        return multipart(body, [{ content: token, contentType: 'application/octet-stream' }]);
      };
      expect((await sendAs(signedWith('P1DT12H36M0.1237S', 'P1DT12H36M0.12S'))).status).toBe(200);
      // A difference within the hundredths still differs.
      expect((await sendAs(signedWith('P1DT12H36M0.13S', 'P1DT12H36M0.12S'))).status).toBe(400);
    },
  );

  it('deletes attachment contents that no statement references', async () => {
    const repo = server.app.get(AttachmentRepository);
    const orphan = Buffer.from(`orphelin ${randomUUID()}`);
    const kept = `gardé ${randomUUID()}`;
    expect(
      (await send(multipart(makeStatement(8, { attachments: [attachment(kept)] }), [{ content: kept }]))).status,
    ).toBe(200);
    await repo.saveAll([{ sha2: sha256(orphan), contentType: 'text/plain', content: orphan }]);
    const deleted = await repo.deleteUnreferenced();
    expect(deleted).toContain(sha256(orphan));
    expect(deleted).not.toContain(sha256(kept));
    expect(await storedContents(sha256(kept))).toBe(1);
  });
});
