/**
 * The only file that listens: reads the configuration, builds the real parts (links, fleet,
 * HTTP) and starts them. `startServer` is also used by `npm start` and the system tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import type { RouteRoleEntry } from './api/auth-hook.ts';
import { buildApp } from './app.ts';
import { Authenticator } from './auth/authenticator.ts';
import { ConfigError, loadConfig, type Config, type LinkConfig } from './config.ts';
import { Fleet } from './fleet/fleet.ts';
import { HistoryRecorder } from './fleet/history-recorder.ts';
import { MissionService } from './fleet/missions.ts';
import { OverwatchService } from './fleet/overwatch-service.ts';
import type { Link } from './mavlink/links/link.ts';
import { TcpLink } from './mavlink/links/tcp-link.ts';
import { UdpLink } from './mavlink/links/udp-link.ts';
import { type Authenticate } from './stream/auth.ts';
import type { StreamHub, StreamOptions } from './stream/hub.ts';
import { openSqliteStore } from './store/sqlite-store.ts';
import type { Store } from './store/store.ts';
import { LinkSigner } from './mavlink/signing/link-signer.ts';
import { SignatureVerifier } from './mavlink/signing/signature-verifier.ts';
import { TimestampStore, timestampFileFor } from './mavlink/signing/timestamp-store.ts';
import { TlogReplayLink } from './mavlink/tlog/tlog-replay-link.ts';
import { TlogWriter } from './mavlink/tlog/tlog-writer.ts';
import { systemClock, type Clock } from './time/clock.ts';
import { PatrolBook } from './fleet/patrols.ts';
import { HomeReturns } from './fleet/home-return.ts';
import { airspaceOf } from './fleet/airspace-of.ts';
import { IncidentService } from './incidents/incident-service.ts';
import { TaskBoard } from './fleet/task-board.ts';
import { TrafficService } from './traffic/traffic-service.ts';
import { AdvisoryService } from './warnings/advisory-service.ts';
import { BroadcastService } from './warnings/broadcast-service.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface RunningServer {
  url: string;
  fleet: Fleet;
  links: Link[];
  /** The /api/stream hub (counters, latency). */
  stream: StreamHub;
  store: Store;
  /** The parking-advisory loop. */
  advisories: AdvisoryService;
  /** Traffic monitoring (a simulation hands it its clock with `useClock`). */
  traffic: TrafficService;
  /** Loudspeaker broadcasts (the parking-advisory loop uses it too). */
  broadcasts: BroadcastService;
  /** Incident dispatch. */
  incidents: IncidentService;
  /** Drones flying assigned plans, and who is doing what. */
  patrols: PatrolBook;
  tasks: TaskBoard;
  /** Every /api route with the role it needs. */
  routeRoles: RouteRoleEntry[];
  /** The admin token generated at this (first) start, shown once; null otherwise. */
  generatedAdminToken: string | null;
  /** Flight logs (null when EAGLE_TLOGS=off). */
  tlogs: TlogWriter | null;
  /** Signers of the signed links, by link id. */
  signers: Map<string, LinkSigner>;
  /** Overwatch runs (a simulation hands it its clock with `useClock`). */
  overwatch: OverwatchService;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

interface BuiltLink {
  link: Link;
  signer: LinkSigner | null;
}

/** A link from its configuration; a signing key gives it a signer (persisted timestamps) and a verifier. */
function makeLink(c: LinkConfig, config: Config, clock: Clock, logger: Logger): BuiltLink {
  if (c.kind === 'tlog') {
    const replay = c.replay ?? { path: c.id.slice('tlog:'.length), speed: 1 };
    return { link: new TlogReplayLink({ id: c.id, path: replay.path, speed: replay.speed, clock }), signer: null };
  }
  let signer: LinkSigner | null = null;
  let verifier: SignatureVerifier | null = null;
  if (c.signingKey) {
    const store = new TimestampStore({
      path: timestampFileFor(config.dataDir, c.id), label: c.id,
      onError: (err) => logger.error({ link: c.id, err: err.message }, 'signing timestamp file: read or write failed'),
    });
    signer = new LinkSigner({ key: c.signingKey, clock, store });
    verifier = new SignatureVerifier({ key: c.signingKey });
  }
  const opts = { id: c.id, host: c.host, port: c.port, clock, verifier };
  return { link: c.kind === 'udp' ? new UdpLink(opts) : new TcpLink(opts), signer };
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
  const built = config.links.map((c) => makeLink(c, config, clock, logger));
  const links = built.map((b) => b.link);
  const signers = new Map<string, LinkSigner>();
  const tlogs = config.tlogs.enabled
    ? new TlogWriter({ dir: join(config.dataDir, 'tlogs'), clock, logger, maxFileBytes: config.tlogs.maxFileBytes })
    : null;
  for (const { link, signer } of built) {
    if (signer) signers.set(link.id, signer);
    // before the fleet, so a frame is logged before the replies it causes; a replayed flight is not recorded again
    if (tlogs && !(link instanceof TlogReplayLink)) tlogs.attach(link);
    fleet.addLink(link, signer ?? undefined);
    if (link instanceof TlogReplayLink) continue; // played once everything is up, so nothing of the flight is missed
    await link.start();
    logger.info({ link: link.id, address: link.address(), signed: signer !== null, tlogs: tlogs?.sink(link.id)?.dir ?? null }, 'MAVLink link up');
  }
  fleet.start();
  const history = new HistoryRecorder({ fleet, store, clock });
  const broadcasts = new BroadcastService({ fleet, store, clock, logger, audibleRangeM: config.speakerRangeM });
  const missions = new MissionService({ clock });
  const tasks = new TaskBoard();
  const airspace = () => airspaceOf(store.geofences.list());
  const home = new HomeReturns({ fleet, tasks, clock, logger, airspace });
  const overwatch = new OverwatchService({ fleet, missions, store, clock, logger, home });
  tasks.onChange((droneId, task) => {
    const session = fleet.get(droneId);
    if (!session) return;
    session.state.task = task ? { kind: task.kind, id: task.id } : null;
    fleet.touch(session);
  });
  const patrols = new PatrolBook({ fleet, tasks, clock, logger, plans: store.plans, airspace, home });
  const incidents = new IncidentService({ fleet, store, clock, logger, tasks, patrols, config: config.incident, busyElsewhere: (id) => overwatch.flies(id) });
  const advisories = new AdvisoryService({ fleet, store, clock, logger, tasks, patrols, broadcaster: broadcasts, busyElsewhere: (id) => overwatch.flies(id), ...config.advisory });
  const traffic = new TrafficService({ fleet, store, clock, logger, rule: config.traffic });
  const app = await buildApp({
    fleet, missions, overwatch, broadcasts, advisories, traffic, incidents, groundUnitS: config.groundUnitS, patrols, tasks, store, auth, clock, logger, version: VERSION, commandRateLimitPerMin: config.commandRatePerMin, tlogs, mapboxToken: config.mapboxToken,
    ...(opts.authenticate ? { authenticate: opts.authenticate } : {}), stream: opts.stream ?? {},
  });
  await app.listen({ host: config.http.host, port: config.http.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.http.port;
  const url = `http://${config.http.host}:${port}`;
  logger.info({ url }, 'Eagle Eye listening');
  for (const link of links) {
    if (!(link instanceof TlogReplayLink)) continue;
    try {
      await link.start();
    } catch (err) {
      await app.close();
      await fleet.close();
      await tlogs?.close();
      throw new ConfigError(`${link.id}: cannot read the flight log (${(err as Error).message})`);
    }
    logger.info({ link: link.id, speed: link.speed, frames: 'playing' }, 'replaying a flight log');
    void link.done.then(() => logger.info({ link: link.id, frames: link.counters.framesIn, skippedBytes: link.read.skippedBytes }, 'flight log replay finished'));
  }
  return {
    url, fleet, links, store, broadcasts, advisories, traffic, generatedAdminToken: generatedToken, routeRoles: app.routeRoles, tlogs, signers, stream: app.stream, overwatch, patrols, tasks, incidents,
    async close() {
      // first: a transit home or back to a patrol in progress sends nothing more
      home.close();
      patrols.close();
      advisories.close();
      incidents.close();
      traffic.close();
      overwatch.close();
      await app.close();
      await fleet.close();
      broadcasts.close();
      history.close();
      store.close();
      for (const signer of signers.values()) signer.close();
      await tlogs?.close();
    },
  };
}

async function main(): Promise<void> {
  let server: RunningServer;
  try {
    server = await startServer(loadConfig());
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
