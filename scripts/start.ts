/**
 * `npm start [-- --drones N]`: the whole system on embedded defaults — the server (SQLite store),
 * a simulated fleet at the demo base, the demo expo scene (temporary stopping lanes with cameras and
 * cars, some of which overstay), and the console — and a console URL that logs straight in.
 * Ctrl-C stops everything.
 */
import { parseArgs } from 'node:util';
import { hashToken, newToken } from '../server/auth/tokens.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { EXPO_CAMERAS, EXPO_LANES, expoVehicles, startSimFleet } from '../simulator/index.ts';
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
  const sim = await startSimFleet({
    drones, link: udp.address(), speedup: Number(values.speedup), seed: Number(values.seed),
    parking: { vehicles: expoVehicles(), cameras: EXPO_CAMERAS, ingest: { url: server.url, token: issueToken(server.store, ANALYTICS_OPERATOR, 'operator') } },
  });
  const token = issueToken(server.store, CONSOLE_OPERATOR, 'admin');

  process.stdout.write(`\n  Eagle Eye is up: ${drones} simulated drones at the demo base (Optics Valley, Wuhan), and the expo scene:\n`);
  process.stdout.write(`  cars stop in its two temporary stopping lanes; overstays open advisory cases (GET /api/advisories).\n`);
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
