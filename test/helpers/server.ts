/** Start the real server (real UDP link, real HTTP) on ephemeral ports for a system test. */
import { pino } from 'pino';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/main.ts';

export interface TestServer extends RunningServer {
  mavlink: { host: string; port: number };
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** `opts`: an authenticator, stream tuning (small limits make backpressure quick to test). */
export async function startTestServer(env: Record<string, string> = {}, opts: Omit<StartOptions, 'logger'> = {}): Promise<TestServer> {
  const config = loadConfig({ EAGLE_HTTP: '127.0.0.1:0', EAGLE_MAVLINK: 'udp:127.0.0.1:0', EAGLE_DB: ':memory:', ...env });
  const logger = pino({ level: process.env.EAGLE_TEST_LOG ?? 'silent' });
  const server = await startServer(config, { ...opts, logger });
  const mavlink = server.links[0]!.address();
  return {
    ...server,
    mavlink,
    async api(method, path, body) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}
