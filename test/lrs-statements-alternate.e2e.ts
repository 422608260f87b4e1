import { randomUUID } from 'node:crypto';
import { type TestServer, basicAuth, startServer } from './support/server.js';
import { makeStatement } from './support/statements.js';

describe('xAPI alternate request syntax (Communication 1.3) over HTTP', () => {
  let server: TestServer;
  /** POST ?method=X with headers, content and parameters in a form body, as IE8-era clients send them. */
  const alternate = (method: string, form: Record<string, string>, query = '') =>
    fetch(`${server.url}/xapi/statements?method=${method}${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const headerParams = (version = '1.0.3') => ({
    Authorization: basicAuth(),
    'X-Experience-API-Version': version,
  });

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('stores with method=PUT and reads back with method=GET, parameters and headers in the form', async () => {
    const id = randomUUID();
    const put = await alternate('PUT', {
      ...headerParams(),
      'Content-Type': 'application/json',
      statementId: id,
      content: JSON.stringify(makeStatement(1)),
    });
    expect(put.status).toBe(204);
    const get = await alternate('GET', { ...headerParams(), statementId: id });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { id: string }).id).toBe(id);
  });

  it('posts statements and runs a query through the form', async () => {
    const name = randomUUID();
    const actor = { account: { homePage: 'https://ent.example.fr', name } };
    const post = await alternate('POST', {
      ...headerParams(),
      'Content-Type': 'application/json',
      content: JSON.stringify([makeStatement(2, { actor }), makeStatement(3, { actor })]),
    });
    expect(post.status).toBe(200);
    const query = await alternate('GET', { ...headerParams(), agent: JSON.stringify(actor), limit: '10' });
    expect(((await query.json()) as { statements: unknown[] }).statements).toHaveLength(2);
  });

  it('refuses other query parameters, an unknown method, and version 2.0.0 (where the syntax was removed)', async () => {
    const extra = await alternate('GET', headerParams(), `&statementId=${randomUUID()}`);
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { message: string }).message).toContain('statementId');
    const unknown = await alternate('PATCH', headerParams());
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toContain('method');
    const v2 = await alternate('GET', { ...headerParams('2.0.0'), limit: '1' });
    expect(v2.status).toBe(400);
    expect(((await v2.json()) as { message: string }).message).toContain('2.0.0');
  });

  it('takes content without a Content-Type form parameter as JSON, the form with or without its HTTP Content-Type', async () => {
    const content = JSON.stringify(makeStatement(4));
    // The form's HTTP Content-Type given, no Content-Type form parameter.
    const urlEncoded = await alternate('PUT', { ...headerParams(), statementId: randomUUID(), content });
    expect(urlEncoded.status).toBe(204);
    // No HTTP Content-Type at all (the client only SHOULD* send it), headers as real headers.
    const id = randomUUID();
    const bare = await fetch(`${server.url}/xapi/statements?method=PUT`, {
      method: 'POST',
      headers: headerParams(),
      body: new Blob([new URLSearchParams({ statementId: id, content }).toString()]),
    });
    expect(bare.status).toBe(204);
    const got = await alternate('GET', { ...headerParams(), statementId: id });
    expect(((await got.json()) as { id: string }).id).toBe(id);
  });

  it('answers 400, not 415, to every malformed alternate request', async () => {
    const content = JSON.stringify(makeStatement(5));
    // Not issued as POST.
    const put = await fetch(`${server.url}/xapi/statements?method=POST`, {
      method: 'PUT',
      headers: { ...headerParams(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ content }).toString(),
    });
    expect(put.status).toBe(400);
    // A version header (form parameter) the LRS does not speak.
    const old = await alternate('PUT', {
      ...headerParams(),
      'X-Experience-API-Version': '0.8',
      statementId: randomUUID(),
      content,
    });
    expect(old.status).toBe(400);
    // No content.
    expect((await alternate('PUT', { ...headerParams(), statementId: randomUUID() })).status).toBe(400);
    // A body that is not url-encoded, though the request says it is.
    const json = await fetch(`${server.url}/xapi/statements?method=PUT`, {
      method: 'POST',
      headers: { ...headerParams(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ statementId: randomUUID(), content }),
    });
    expect(json.status).toBe(400);
    // Another media type for the form.
    const other = await fetch(`${server.url}/xapi/statements?method=PUT`, {
      method: 'POST',
      headers: { ...headerParams(), 'Content-Type': 'text/plain' },
      body: new URLSearchParams({ statementId: randomUUID(), content }).toString(),
    });
    expect(other.status).toBe(400);
  });

  it('still authenticates the rewritten request', async () => {
    const res = await alternate('GET', { 'X-Experience-API-Version': '1.0.3', limit: '1' });
    expect(res.status).toBe(401);
  });
});
