/**
 * The only file that listens: reads the configuration, builds the real parts (links, fleet,
 * HTTP) and starts them. `startServer` is also used by `npm start` and the system tests.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config, type LinkConfig } from './config.ts';
import { Fleet } from './fleet/fleet.ts';
import { MissionService } from './fleet/missions.ts';
import type { Link } from './mavlink/links/link.ts';
import { TcpLink } from './mavlink/links/tcp-link.ts';
import { UdpLink } from './mavlink/links/udp-link.ts';
import { allowEveryone, type Authenticate } from './stream/auth.ts';
import type { StreamHub, StreamOptions } from './stream/hub.ts';
import { systemClock, type Clock } from './time/clock.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface RunningServer {
  url: string;
  fleet: Fleet;
  links: Link[];
  /** The /api/stream hub (counters, latency). */
  stream: StreamHub;
  close(): Promise<void>;
}

function makeLink(c: LinkConfig, clock: Clock): Link {
  return c.kind === 'udp' ? new UdpLink({ id: c.id, host: c.host, port: c.port, clock }) : new TcpLink({ id: c.id, host: c.host, port: c.port, clock });
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  authenticate?: Authenticate;
  stream?: Partial<StreamOptions>;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? pino({ level: config.logLevel, base: { service: 'eagle-eye' } });
  const fleet = new Fleet({ clock, logger, linkLostAfterMs: config.linkLostAfterMs });
  const links = config.links.map((c) => makeLink(c, clock));
  for (const link of links) {
    fleet.addLink(link);
    await link.start();
    logger.info({ link: link.id, address: link.address() }, 'MAVLink link up');
  }
  fleet.start();
  // TODO(issue 4 auth): the operators/tokens authenticator goes here; until it lands everyone may stream.
  const authenticate = opts.authenticate ?? allowEveryone;
  const app = await buildApp({ fleet, missions: new MissionService({ clock }), clock, logger, version: VERSION, authenticate, stream: opts.stream ?? {} });
  await app.listen({ host: config.http.host, port: config.http.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  logger.info({ url }, 'Eagle Eye listening');
  return {
    url, fleet, links, stream: app.stream,
    async close() {
      await app.close();
      await fleet.close();
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
  const server = await startServer(config);
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
