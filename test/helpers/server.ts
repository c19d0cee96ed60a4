/** Start the real server (real UDP link, real HTTP, real SQLite) on ephemeral ports for a system test. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/main.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer extends RunningServer {
  mavlink: { host: string; port: number };
  /** EAGLE_DATA: a fresh temporary folder (removed at close) unless the test gave one. */
  dataDir: string;
  /** Calls the API as the admin, or with `token` (null: without any token). */
  api<T = any>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResponse<T>>;
}

/** `opts`: an authenticator, stream tuning (small limits make backpressure quick to test). */
export async function startTestServer(env: Record<string, string> = {}, opts: Omit<StartOptions, 'logger'> = {}): Promise<TestServer> {
  const ownDataDir = env.EAGLE_DATA === undefined ? mkdtempSync(join(tmpdir(), 'eagle-test-')) : null;
  const config = loadConfig({
    EAGLE_HTTP: '127.0.0.1:0', EAGLE_MAVLINK: 'udp:127.0.0.1:0', EAGLE_DB: ':memory:', EAGLE_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ...(ownDataDir ? { EAGLE_DATA: ownDataDir } : {}), ...env,
  });
  const logger = pino({ level: process.env.EAGLE_TEST_LOG ?? 'silent' });
  const server = await startServer(config, { ...opts, logger });
  const mavlink = server.links[0]!.address();
  return {
    ...server,
    mavlink,
    dataDir: config.dataDir,
    async close() {
      await server.close();
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
    },
    async api(method, path, body, token = TEST_ADMIN_TOKEN) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
  };
}
