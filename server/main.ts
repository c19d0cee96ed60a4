/**
 * The only file that listens: reads the configuration, builds the real parts (links, fleet,
 * HTTP) and starts them. `startServer` is also used by `npm start` and the system tests.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import type { RouteRoleEntry } from './api/auth-hook.ts';
import { buildApp } from './app.ts';
import { Authenticator } from './auth/authenticator.ts';
import { ConfigError, loadConfig, type Config, type LinkConfig } from './config.ts';
import { Fleet } from './fleet/fleet.ts';
import { HistoryRecorder } from './fleet/history-recorder.ts';
import { MissionService } from './fleet/missions.ts';
import type { Link } from './mavlink/links/link.ts';
import { TcpLink } from './mavlink/links/tcp-link.ts';
import { UdpLink } from './mavlink/links/udp-link.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { systemClock, type Clock } from './time/clock.ts';
import { BroadcastService } from './warnings/broadcast-service.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface RunningServer {
  url: string;
  fleet: Fleet;
  links: Link[];
  store: Store;
  /** Loudspeaker broadcasts (the parking-advisory loop uses it too). */
  broadcasts: BroadcastService;
  /** Every /api route with the role it needs. */
  routeRoles: RouteRoleEntry[];
  /** The admin token generated at this (first) start, shown once; null otherwise. */
  generatedAdminToken: string | null;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function makeLink(c: LinkConfig, clock: Clock): Link {
  return c.kind === 'udp' ? new UdpLink({ id: c.id, host: c.host, port: c.port, clock }) : new TcpLink({ id: c.id, host: c.host, port: c.port, clock });
}

export async function startServer(config: Config, opts: { clock?: Clock; logger?: Logger } = {}): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? pino({ level: config.logLevel, base: { service: 'eagle-eye' } });
  const store = openSqliteStore(config.dbPath);
  const auth = new Authenticator(store);
  const { generatedToken } = auth.bootstrapAdmin(config.adminToken);
  if (generatedToken && !LOOPBACK.has(config.http.host)) {
    store.close();
    throw new ConfigError(`EAGLE_HTTP binds ${config.http.host}, beyond this machine, but no operator is configured: set EAGLE_ADMIN_TOKEN (or create operators on a loopback start first)`);
  }
  if (generatedToken) {
    logger.warn('no EAGLE_ADMIN_TOKEN: generated an admin token; it is shown once, below');
    process.stderr.write(`\n  Eagle Eye admin token (shown once): ${generatedToken}\n\n`);
  }
  const fleet = new Fleet({
    clock, logger, linkLostAfterMs: config.linkLostAfterMs,
    register: (vehicle, nowMs, inUse) => store.drones.resolve(vehicle, new Date(nowMs).toISOString(), inUse),
  });
  const links = config.links.map((c) => makeLink(c, clock));
  for (const link of links) {
    fleet.addLink(link);
    await link.start();
    logger.info({ link: link.id, address: link.address() }, 'MAVLink link up');
  }
  fleet.start();
  const history = new HistoryRecorder({ fleet, store, clock });
  const broadcasts = new BroadcastService({ fleet, store, clock, logger, audibleRangeM: config.speakerRangeM });
  const app = await buildApp({ fleet, missions: new MissionService({ clock }), broadcasts, store, auth, clock, logger, version: VERSION, commandRateLimitPerMin: config.commandRatePerMin });
  await app.listen({ host: config.http.host, port: config.http.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  logger.info({ url }, 'Eagle Eye listening');
  return {
    url, fleet, links, store, broadcasts, generatedAdminToken: generatedToken, routeRoles: app.routeRoles,
    async close() {
      await app.close();
      await fleet.close();
      broadcasts.close();
      history.close();
      store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`eagle-eye: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`eagle-eye: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
