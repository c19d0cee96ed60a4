/**
 * `npm run measure:advisories [-- --minutes 60 --speedup 10]`: the parking-advisory loop over a
 * simulated hour of the expo scene with many overstays. The server runs on the simulation's clock,
 * so every time below is simulated time. Prints, per case outcome, detection → dispatch,
 * detection → on scene and detection → first broadcast (median and 90th percentile).
 */
import { parseArgs } from 'node:util';
import { createSocket } from 'node:dgram';
import { pino } from 'pino';
import { hashToken, newToken } from '../server/auth/tokens.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { AnalyticsReporter, EXPO_CAMERAS, EXPO_LANES, ParkingWorld, startSimFleet, type ParkedVehicleSpec } from '../simulator/index.ts';
import { Prng } from '../simulator/prng.ts';

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function cars(minutes: number, seed: number): ParkedVehicleSpec[] {
  const rng = new Prng(seed);
  const out: ParkedVehicleSpec[] = [];
  for (let t = 30, i = 1; t < minutes * 60 - 300; t += 60 + rng.next() * 120, i++) {
    const lane = EXPO_LANES[i % EXPO_LANES.length]!;
    const overstays = rng.next() < 0.6;
    out.push({
      trackId: `car-${String(i).padStart(3, '0')}`, lat: lane.center.lat + (rng.next() - 0.5) * 4e-5, lon: lane.center.lon + (rng.next() - 0.5) * 4e-5,
      arriveAtS: t, stayS: overstays ? 1800 : 30 + rng.next() * 90, leaveAfterAdvisoryS: rng.next() < 0.8 ? 15 + rng.next() * 45 : null,
    });
  }
  return out;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ args: process.argv.slice(2).filter((a) => a !== '--'), options: { minutes: { type: 'string', default: '60' }, speedup: { type: 'string', default: '10' }, drones: { type: 'string', default: '6' }, seed: { type: 'string', default: '5' } } });
  const minutes = Number(values.minutes);
  const port = await freeUdpPort();
  const sim = await startSimFleet({ drones: Number(values.drones), link: { host: '127.0.0.1', port }, speedup: Number(values.speedup), seed: Number(values.seed), positionSettleMs: 5000 });
  const clock = sim.world.clock;
  const server = await startServer(loadConfig({ EAGLE_HTTP: '127.0.0.1:0', EAGLE_MAVLINK: `udp:127.0.0.1:${port}`, EAGLE_DB: ':memory:', EAGLE_ADMIN_TOKEN: newToken(), EAGLE_TLOGS: 'off' }), { clock, logger: pino({ level: 'silent' }) });
  for (const lane of EXPO_LANES) server.store.zones.create({ name: lane.name, kind: lane.kind, geometry: lane.geometry, maxDwellS: lane.maxDwellS });
  server.advisories.zonesChanged();
  const token = newToken();
  server.store.operators.create({ name: 'analytics (simulated)', role: 'operator', tokenHash: hashToken(token) });
  const vehicles = cars(minutes, Number(values.seed));
  const analytics = new AnalyticsReporter({
    world: new ParkingWorld(vehicles), cameras: EXPO_CAMERAS, drones: sim.drones, speakers: sim.drones.map((_, i) => sim.speaker(i)),
    clock, startMs: clock.nowMs(), ingest: { url: server.url, token },
  });
  const startMs = clock.nowMs();
  process.stderr.write(`measuring ${minutes} simulated minutes, ${vehicles.length} cars, ${values.drones} drones, speedup ${values.speedup}\n`);
  while (clock.nowMs() - startMs < minutes * 60_000) {
    await new Promise((r) => setTimeout(r, 2000));
    process.stderr.write(`  ${Math.round((clock.nowMs() - startMs) / 60_000)} min\r`);
  }
  const cases = server.advisories.list({ limit: 1000 });
  const since = (c: (typeof cases)[number], state: string) => {
    const s = c.steps.find((x) => x.state === state);
    return s ? (Date.parse(s.at) - Date.parse(c.steps[0]!.at)) / 1000 : null;
  };
  const row = (label: string, xs: Array<number | null>) => {
    const v = xs.filter((x): x is number => x !== null);
    return `| ${label} | ${v.length} | ${percentile(v, 50).toFixed(1)} | ${percentile(v, 90).toFixed(1)} |`;
  };
  const by = (state: string) => cases.filter((c) => c.state === state).length;
  console.log(`\nParking advisories over ${minutes} simulated minutes: ${vehicles.length} cars, ${cases.length} cases (${by('complied')} complied, ${by('escalated')} escalated, ${cases.length - by('complied') - by('escalated')} still open), ${values.drones} drones, speedup ${values.speedup}, analytics sendErrors ${analytics.counters.sendErrors}\n`);
  console.log('| from detection to | cases | median s | p90 s |');
  console.log('|---|--:|--:|--:|');
  console.log(row('dispatch', cases.map((c) => since(c, 'dispatched'))));
  console.log(row('on scene', cases.map((c) => since(c, 'on-scene'))));
  console.log(row('first broadcast', cases.map((c) => since(c, 'broadcasting'))));
  analytics.close();
  await sim.close();
  await server.close();
  process.exit(0);
}

void main();
