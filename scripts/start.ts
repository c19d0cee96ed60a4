/**
 * `npm start [-- --drones N]`: the whole system on embedded defaults — the server (SQLite store),
 * a simulated fleet at the demo base, and the console — and a console URL that logs straight in.
 * Ctrl-C stops everything.
 */
import { parseArgs } from 'node:util';
import { hashToken, newToken } from '../server/auth/tokens.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { startSimFleet } from '../simulator/index.ts';

const CONSOLE_OPERATOR = 'console (npm start)';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { drones: { type: 'string', default: '6' }, speedup: { type: 'string', default: '1' }, seed: { type: 'string', default: '1' } } });
  const drones = Number(values.drones);
  if (!Number.isInteger(drones) || drones < 0 || drones > 5000) throw new ConfigError(`--drones: a whole number from 0 to 5000, got ${values.drones}`);
  // Quiet by default so the console URL stands out; EAGLE_LOG_LEVEL=info shows every request.
  const config = loadConfig({ EAGLE_LOG_LEVEL: 'warn', ...process.env });
  const server = await startServer(config);
  const udp = server.links.find((l) => l.id.startsWith('udp:'));
  if (!udp) throw new ConfigError('npm start needs a udp: link in EAGLE_MAVLINK for the simulated fleet');
  const sim = await startSimFleet({ drones, link: udp.address(), speedup: Number(values.speedup), seed: Number(values.seed) });

  // A fresh admin token for this run's console link; the previous run's one is revoked.
  const ops = server.store.operators;
  for (const op of ops.list()) if (op.name === CONSOLE_OPERATOR) ops.revoke(op.id);
  const token = newToken();
  ops.create({ name: CONSOLE_OPERATOR, role: 'admin', tokenHash: hashToken(token) });

  process.stdout.write(`\n  Eagle Eye is up: ${drones} simulated drones at the demo base (Optics Valley, Wuhan).\n`);
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
