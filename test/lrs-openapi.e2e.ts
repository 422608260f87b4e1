import type { OpenAPIV3 } from 'openapi-types';
import { nestRoutes } from './support/routes.js';
import { type TestServer, startServer } from './support/server.js';

const METHODS = ['get', 'head', 'put', 'post', 'delete', 'patch', 'options'] as const;

describe('OpenAPI description of the LRS', () => {
  let server: TestServer;
  let doc: OpenAPIV3.Document;

  beforeAll(async () => {
    server = await startServer();
    const res = await fetch(`${server.url}/xapi/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    doc = (await res.json()) as OpenAPIV3.Document;
  });
  afterAll(async () => {
    await server.close();
  });

  const documented = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item?.[m] !== undefined).map((m) => `${m.toUpperCase()} ${path}`),
    );

  it('is served without credentials as OpenAPI 3', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBeTruthy();
  });

  it('describes every route the application registers under /xapi', () => {
    const routes = nestRoutes(server).filter((r) => r.split(' ')[1]?.startsWith('/xapi'));
    expect(routes).toContain('DELETE /xapi/activities/state');
    expect(routes).toContain('POST /xapi/admin/erasure');
    const missing = routes.filter((r) => !documented().includes(r));
    expect(missing).toEqual([]);
  });

  it('describes only routes that exist', () => {
    const fastify = server.app.getHttpAdapter().getInstance();
    const phantom = documented().filter((r) => {
      const [method = '', url = ''] = r.split(' ');
      return !fastify.hasRoute({ method: method, url });
    });
    expect(phantom).toEqual([]);
  });

  it('describes the statement query parameters, JSON agent parameters and multipart statements', () => {
    const statements = doc.paths['/xapi/statements'];
    const names = (statements?.get?.parameters as OpenAPIV3.ParameterObject[]).map((p) => p.name);
    for (const name of ['statementId', 'voidedStatementId', 'agent', 'verb', 'activity', 'registration', 'since']) {
      expect(names).toContain(name);
    }
    for (const name of ['until', 'limit', 'format', 'attachments', 'ascending', 'related_activities']) {
      expect(names).toContain(name);
    }
    const agent = (doc.paths['/xapi/agents']?.get?.parameters as OpenAPIV3.ParameterObject[]).find(
      (p) => p.name === 'agent',
    );
    expect(agent?.content?.['application/json']).toBeDefined();
    const body = statements?.post?.requestBody as OpenAPIV3.RequestBodyObject;
    expect(Object.keys(body.content)).toEqual(['application/json', 'multipart/mixed']);
  });

  it('resolves every schema reference', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    const schemas = Object.keys(doc.components?.schemas ?? {});
    const unresolved = refs.filter((name) => name === undefined || !schemas.includes(name));
    expect(unresolved).toEqual([]);
  });
});
