import type { OpenAPIV3 } from 'openapi-types';
import { nestRoutes } from './support/routes.js';
import { type TestServer, startServer } from './support/server.js';

/** Routes under /formation/api that serve the training space's own pages and AUs, not integrators. */
const INTERNAL = [
  'GET /formation/api/au/content',
  'POST /formation/api/au/quiz',
  'POST /formation/api/au/submission',
  'GET /formation/api/attestations/{code}',
  'GET /formation/api/attestations/{code}/pdf',
  'GET /formation/api/sessions/{sessionId}/grid.csv',
  'GET /formation/api/submissions/{id}',
];

describe('OpenAPI description of the training integration API', () => {
  let server: TestServer;
  let doc: OpenAPIV3.Document;

  beforeAll(async () => {
    server = await startServer();
    const res = await fetch(`${server.url}/formation/api/openapi.json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenAPIV3.Document;
  });
  afterAll(async () => {
    await server.close();
  });

  it('describes exactly the integration routes the application registers, both ways', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['get', 'post', 'put', 'delete'] as const).filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = nestRoutes(server)
      .filter((r) => r.split(' ')[1]?.startsWith('/formation/api/'))
      .map((r) => r.replace(/:(\w+)/g, '{$1}'))
      .filter((r) => !INTERNAL.includes(r));
    expect(routes.sort()).toEqual(documented.sort());
    expect(documented).toEqual(
      expect.arrayContaining(['POST /formation/api/packages', 'POST /formation/api/launches']),
    );
  });
});
