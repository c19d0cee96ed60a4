/** Roles on every route, the audit log, rate limits and body caps, against the real server. */
import { afterEach, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { installAuth } from '../../server/api/auth-hook.ts';
import { Authenticator } from '../../server/auth/authenticator.ts';
import { openSqliteStore } from '../../server/store/sqlite-store.ts';
import { ScriptedVehicle } from '../helpers/scripted-vehicle.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

let server: TestServer | null = null;
let vehicle: ScriptedVehicle | null = null;
afterEach(async () => {
  await vehicle?.close();
  vehicle = null;
  await server?.close();
  server = null;
});

async function tokenFor(role: 'viewer' | 'operator' | 'admin'): Promise<string> {
  const res = await server!.api('POST', '/api/operators', { name: `${role}-user`, role });
  expect(res.status).toBe(201);
  return res.body.token;
}

const RANK = { public: 0, viewer: 1, operator: 2, admin: 3 } as const;

describe('operators, roles and audit', () => {
  it('enforces the declared role on every /api route: 401 without a token, 403 below the role', async () => {
    server = await startTestServer();
    const tokens = { viewer: await tokenFor('viewer'), operator: await tokenFor('operator'), admin: await tokenFor('admin') };
    expect(server.routeRoles.length).toBeGreaterThanOrEqual(15);
    for (const route of server.routeRoles) {
      const path = route.url.replace(/:(\w+)/g, 'E99');
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const anonymous = await server.api(route.method, path, body, null);
      if (route.role === 'public') {
        expect(anonymous.status, `${route.method} ${route.url}`).not.toBe(401);
        continue;
      }
      expect(anonymous.status, `${route.method} ${route.url} without a token`).toBe(401);
      for (const held of ['viewer', 'operator', 'admin'] as const) {
        const res = await server.api(route.method, path, body, tokens[held]);
        if (RANK[held] < RANK[route.role]) expect(res.status, `${route.method} ${route.url} as ${held}`).toBe(403);
        else expect([401, 403], `${route.method} ${route.url} as ${held}`).not.toContain(res.status);
      }
    }
  });

  it('declares the traffic routes with viewer reads and operator writes', async () => {
    server = await startTestServer();
    const traffic = server.routeRoles.filter((r) => /^\/api\/(roads|traffic)/.test(r.url)).map((r) => `${r.method} ${r.url} ${r.role}`).sort();
    expect(traffic).toEqual([
      'DELETE /api/roads/:id operator',
      'GET /api/roads viewer',
      'GET /api/roads/:id viewer',
      'GET /api/traffic viewer',
      'GET /api/traffic/events viewer',
      'GET /api/traffic/junctions viewer',
      'POST /api/roads operator',
      'POST /api/roads/:id/broadcasts operator',
      'POST /api/roads/:id/patrol-plan operator',
      'PUT /api/roads/:id operator',
    ]);
    expect(server.routeRoles.find((r) => r.method === 'POST' && r.url === '/api/observations')?.role).toBe('operator');
  });

  it('refuses at start-up a route that declares no role', async () => {
    const store = openSqliteStore(':memory:');
    const app = Fastify();
    installAuth(app, new Authenticator(store));
    expect(() => app.get('/api/forgotten', async () => ({}))).toThrow(/GET \/api\/forgotten declares no role/);
    expect(() => app.get('/api/declared', { config: { role: 'viewer' } }, async () => ({}))).not.toThrow();
    store.close();
  });

  it('revoking an operator ends its token at once', async () => {
    server = await startTestServer();
    const created = await server.api('POST', '/api/operators', { name: 'temp', role: 'viewer' });
    expect((await server.api('GET', '/api/drones', undefined, created.body.token)).status).toBe(200);
    expect((await server.api('DELETE', `/api/operators/${created.body.id}`)).status).toBe(200);
    expect((await server.api('GET', '/api/drones', undefined, created.body.token)).status).toBe(401);
    expect((await server.api('GET', '/api/operators')).body.operators.map((o: any) => o.name)).not.toContain('temp');
  });

  it('audits every command before it is sent, with who sent it and how it ended', async () => {
    server = await startTestServer();
    vehicle = await new ScriptedVehicle({ server: server.mavlink, failures: ['DenyArm'] }).start();
    const drone = await waitFor(async () => (await server!.api('GET', '/api/drones')).body.drones[0], { what: 'a drone' });
    const pilot = await server.api('POST', '/api/operators', { name: 'zhang.min', role: 'operator' });
    const arm = await server.api('POST', `/api/drones/${drone.id}/commands`, { type: 'arm' }, pilot.body.token);
    expect(arm.status).toBe(409);
    const speed = await server.api('POST', `/api/drones/${drone.id}/commands`, { type: 'speed', speedMps: 8 }, pilot.body.token);
    expect(speed.status).toBe(200);
    const audit = await server.api('GET', `/api/audit?droneId=${drone.id}`);
    expect(audit.body.entries).toMatchObject([
      { operator: 'zhang.min', droneId: drone.id, action: 'command:speed', request: { type: 'speed', speedMps: 8 }, result: { ok: true } },
      { operator: 'zhang.min', droneId: drone.id, action: 'command:arm', request: { type: 'arm' }, result: { ok: false, code: 'COMMAND_DENIED', details: { mavResult: 'MAV_RESULT_FAILED' } } },
    ]);
    const byOperator = await server.api('GET', '/api/audit?operator=admin');
    expect(byOperator.body.entries.map((e: any) => e.action)).toEqual(['operator:create']);
  });

  it('rate-limits commands per operator with 429 and caps request bodies with 413', async () => {
    server = await startTestServer({ EAGLE_COMMAND_RATE_PER_MIN: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await server.api('POST', '/api/drones/E99/commands', { type: 'hold' })).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const limited = await server.api('POST', '/api/drones/E99/commands', { type: 'hold' });
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const other = await tokenFor('operator');
    expect((await server.api('POST', '/api/drones/E99/commands', { type: 'hold' }, other)).status).toBe(404);
    const huge = await server.api('PUT', '/api/drones/E99/mission', { items: [], pad: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
