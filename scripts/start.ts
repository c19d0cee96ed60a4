/**
 * `npm start [-- --drones N]`: the whole system on embedded defaults — the server (SQLite store),
 * a simulated fleet at the demo base, the demo expo scene (temporary stopping lanes with cameras and
 * cars, some of which overstay; three roads with moving traffic and a jam on the east–west avenue
 * every 20 minutes), and the console — and a console URL that logs straight in.
 * Ctrl-C stops everything.
 */
import { parseArgs } from 'node:util';
import { hashToken, newToken } from '../server/auth/tokens.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { EXPO_CAMERAS, EXPO_LANES, EXPO_ROAD_CAMERAS, EXPO_ROADS, expoJams, expoVehicles, startSimFleet, type SimRoad } from '../simulator/index.ts';
import type { Store } from '../server/store/store.ts';

const CONSOLE_OPERATOR = 'console (npm start)';
const ANALYTICS_OPERATOR = 'analytics (simulated)';

/** A fresh token for a built-in operator of this run; the previous run's one is revoked. */
function issueToken(store: Store, name: string, role: 'operator' | 'admin'): string {
  for (const op of store.operators.list()) if (op.name === name) store.operators.revoke(op.id);
  const token = newToken();
  store.operators.create({ name, role, tokenHash: hashToken(token) });
  return token;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { drones: { type: 'string', default: '6' }, speedup: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' } } });
  const drones = Number(values.drones);
  if (!Number.isInteger(drones) || drones < 0 || drones > 5000) throw new ConfigError(`--drones: a whole number from 0 to 5000, got ${values.drones}`);
  // Quiet by default so the console URL stands out; EAGLE_LOG_LEVEL=info shows every request.
  const config = loadConfig({ EAGLE_LOG_LEVEL: 'warn', ...process.env });
  const server = await startServer(config);
  const udp = server.links.find((l) => l.id.startsWith('udp:'));
  if (!udp) throw new ConfigError('npm start needs a udp: link in EAGLE_MAVLINK for the simulated fleet');
  // The demo scene's stopping lanes, the first time (an operator may have changed them since).
  if (server.store.zones.list().length === 0) {
    for (const lane of EXPO_LANES) server.store.zones.create({ name: lane.name, kind: lane.kind, geometry: lane.geometry, maxDwellS: lane.maxDwellS });
    server.advisories.zonesChanged();
  }
  // The demo roads, the first time; afterwards the stored roads of the same names get the simulated traffic.
  if (server.store.roads.list().length === 0) {
    for (const r of EXPO_ROADS) server.store.roads.create({ name: r.name, geometry: r.geometry, direction: r.direction, freeFlowMps: r.freeFlowMps, lanes: r.lanes });
    server.traffic.roadsChanged();
  }
  const stored = new Map(server.store.roads.list().map((r) => [r.name, r]));
  const simRoads: SimRoad[] = [];
  for (const demo of EXPO_ROADS) {
    const r = stored.get(demo.name);
    if (r) simRoads.push({ id: r.id, coordinates: r.geometry.coordinates, direction: r.direction, freeFlowMps: r.freeFlowMps, ...(r.lanes ? { lanes: r.lanes } : {}) });
  }
  const avenueId = stored.get(EXPO_ROADS[0]!.name)?.id;
  const analyticsToken = issueToken(server.store, ANALYTICS_OPERATOR, 'operator');
  const sim = await startSimFleet({
    drones, link: udp.address(), speedup: Number(values.speedup), seed: Number(values.seed),
    parking: { vehicles: expoVehicles(), cameras: EXPO_CAMERAS, ingest: { url: server.url, token: analyticsToken } },
    traffic: {
      roads: simRoads, jams: avenueId ? expoJams(avenueId) : [], cameras: EXPO_ROAD_CAMERAS,
      // counting stations on the roads without the demo jam; the jam is seen by the avenue's camera and by drones flying over it
      counters: simRoads.map((r) => r.id).filter((id) => id !== avenueId), ingest: { url: server.url, token: analyticsToken },
    },
  });
  // windows and dwells at the simulation's pace (the same as the wall clock unless --speedup)
  server.traffic.useClock(sim.world.clock);
  const token = issueToken(server.store, CONSOLE_OPERATOR, 'admin');

  process.stdout.write(`\n  Eagle Eye is up: ${drones} simulated drones at the demo base (Optics Valley, Wuhan), and the expo scene:\n`);
  process.stdout.write(`  cars stop in its two temporary stopping lanes; overstays open advisory cases (GET /api/advisories);\n`);
  process.stdout.write(`  traffic on three roads, with a jam on the east–west avenue from minute 4, every 20 minutes (GET /api/traffic).\n`);
  process.stdout.write(`  Console:  ${server.url}/?token=${token}\n`);
  process.stdout.write(`  API:      ${server.url}/api/openapi.json   (Authorization: Bearer ${token})\n\n`);

  const stop = async () => {
    await sim.close();
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`eagle-eye: ${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
