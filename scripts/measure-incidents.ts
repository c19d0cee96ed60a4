/**
 * `npm run measure:incidents [-- --minutes 60 --speedup 10 --drones 6 --per-hour 20]`: a simulated
 * shift of incident dispatch. Incidents are reported at random times and places within 1.5 km of the
 * drone base (Optics Valley); each is closed after its drone has watched for 2–4 minutes; a ground
 * crew swaps the packs of drones landed at the base (the simulator has no swap). The server
 * runs on the simulation's clock, so every time is simulated time. Prints the response figures
 * (GET /api/metrics/response's rows) against a ground unit's 180 s, and what pre-positioning the idle
 * drones would gain for incidents like these.
 */
import { createSocket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { newToken } from '../server/auth/tokens.ts';
import { loadConfig } from '../server/config.ts';
import { DEFAULT_DISPATCH_PROFILE } from '../server/fleet/dispatcher.ts';
import { airspaceOf } from '../server/fleet/airspace-of.ts';
import { timingOf } from '../server/api/incidents.ts';
import { suggestPrepositions } from '../server/incidents/prepositioning.ts';
import { responseFigures } from '../server/incidents/response-figures.ts';
import { startServer } from '../server/main.ts';
import { startSimFleet } from '../simulator/index.ts';
import { startBatteryCrew } from '../test/overwatch/sim-crew.ts';
import { DEMO_BASE } from '../simulator/scenario/demo-base.ts';
import { Prng } from '../simulator/prng.ts';

const KINDS = ['fight', 'crash', 'crowd', 'lost-person'] as const;
const GROUND_UNIT_S = 180;

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: { minutes: { type: 'string', default: '60' }, speedup: { type: 'string', default: '10' }, drones: { type: 'string', default: '6' }, 'per-hour': { type: 'string', default: '20' }, seed: { type: 'string', default: '11' } },
  });
  const minutes = Number(values.minutes);
  const rng = new Prng(Number(values.seed));
  const port = await freeUdpPort();
  const sim = await startSimFleet({ drones: Number(values.drones), link: { host: '127.0.0.1', port }, speedup: Number(values.speedup), seed: Number(values.seed), positionSettleMs: 5000 });
  const clock = sim.world.clock;
  const server = await startServer(loadConfig({
    EAGLE_HTTP: '127.0.0.1:0', EAGLE_MAVLINK: `udp:127.0.0.1:${port}`, EAGLE_DB: ':memory:', EAGLE_ADMIN_TOKEN: newToken(), EAGLE_TLOGS: 'off', EAGLE_GROUND_UNIT_S: String(GROUND_UNIT_S),
  }), { clock, logger: pino({ level: 'silent' }) });
  const crew = startBatteryCrew(sim); // the base's ground crew swaps the packs of landed drones
  const startMs = clock.nowMs();
  const sec = () => (clock.nowMs() - startMs) / 1000;
  // incident times: a Poisson process at `per-hour`, from the 1st minute to 5 minutes before the end
  const times: number[] = [];
  for (let t = 60; t < minutes * 60 - 300; t += (-Math.log(1 - rng.next()) * 3600) / Number(values['per-hour'])) times.push(t);
  const watchS = new Map<string, number>();
  let shownMinute = -1;
  process.stderr.write(`measuring ${minutes} simulated minutes, ${times.length} incidents, ${values.drones} drones, speedup ${values.speedup}\n`);
  while (sec() < minutes * 60) {
    while (times.length && times[0]! <= sec()) {
      times.shift();
      const distM = 300 + rng.next() * 1200;
      const bearing = rng.next() * 2 * Math.PI;
      const lat = DEMO_BASE.lat + (distM * Math.cos(bearing)) / 111_320;
      const lon = DEMO_BASE.lon + (distM * Math.sin(bearing)) / (111_320 * Math.cos((DEMO_BASE.lat * Math.PI) / 180));
      const i = server.incidents.report({ lat, lon, kind: KINDS[Math.floor(rng.next() * KINDS.length)]!, priority: 1 + Math.floor(rng.next() * 3) }, 'command room (simulated)');
      watchS.set(i.id, 120 + rng.next() * 120);
    }
    for (const i of server.incidents.list({ status: 'open', limit: 1000 })) {
      const onScene = i.responders.find((r) => r.onSceneAt)?.onSceneAt;
      if (onScene && (clock.nowMs() - Date.parse(onScene)) / 1000 >= watchS.get(i.id)!) server.incidents.closeIncident(i.id, 'handed-to-ground-unit', 'command room (simulated)');
    }
    await new Promise((r) => setTimeout(r, 250));
    const minute = Math.floor(sec() / 60);
    if (minute !== shownMinute) process.stderr.write(`  ${(shownMinute = minute)} min\r`);
  }
  const all = server.incidents.list({ limit: 10_000 });
  const rows = responseFigures(all.map(timingOf), { period: 'all', groundUnitS: { '*': GROUND_UNIT_S } });
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(1));
  console.log(`\nIncident dispatch over ${minutes} simulated minutes: ${all.length} incidents (${all.filter((i) => i.state === 'released').length} closed), ${values.drones} drones at the base, speedup ${values.speedup}, ground unit ${GROUND_UNIT_S} s, ${crew.swaps} battery swaps at the base\n`);
  console.log('| kind | incidents | report→dispatch median / p90 s | report→on scene median / p90 s | saved vs ground unit s |');
  console.log('|---|--:|--:|--:|--:|');
  for (const r of rows) console.log(`| ${r.kind === '*' ? 'all' : r.kind} | ${r.incidents} | ${f(r.reportToDispatch.medianS)} / ${f(r.reportToDispatch.p90S)} | ${f(r.reportToOnScene.medianS)} / ${f(r.reportToOnScene.p90S)} | ${f(r.savedS)} |`);
  const idle = server.incidents.idleDrones().map((d) => ({ droneId: d.id, lat: d.position!.lat, lon: d.position!.lon }));
  const p = suggestPrepositions({ incidents: all.map((i) => ({ lat: i.lat, lon: i.lon })), drones: idle, airspace: airspaceOf(server.store.geofences.list()), profile: DEFAULT_DISPATCH_PROFILE, altitudeM: server.incidents.hoverAltitudeM });
  console.log(`\nPre-positioning the ${idle.length} idle drones for incidents like these: expected time to scene ${p.expected.currentMeanS} s → ${p.expected.suggestedMeanS} s (mean), p90 ${p.expected.currentP90S} s → ${p.expected.suggestedP90S} s.`);
  await sim.close();
  await server.close();
  process.exit(0);
}

void main();
