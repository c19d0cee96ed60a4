import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer | null = null;
afterEach(async () => { await server?.close(); server = null; });

describe('OpenAPI document', () => {
  it('describes every /api route with its schemas, and /docs serves a browsable page without a token', async () => {
    server = await startTestServer();
    const doc = (await server.api('GET', '/api/openapi.json', undefined, null)).body;
    for (const route of server.routeRoles) {
      if (route.url === '/api/openapi.json') continue;
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeTruthy();
    }
    const command = doc.paths['/api/drones/{id}/commands'].post;
    expect(command.requestBody.content['application/json'].schema.oneOf.length).toBe(9);
    expect(Object.keys(command.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '504']));
    const page = await fetch(`${server.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });
});
