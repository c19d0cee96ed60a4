/** `npm run sim -- --drones N --link udp:HOST:PORT --home LAT,LON --sysid-base K --speedup X --seed S` */
import { parseCli } from './cli-options.ts';
import { startSimFleet } from './fleet.ts';

async function main(): Promise<void> {
  let options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const fleet = await startSimFleet(options);
  const link = options.link!;
  const first = fleet.drones[0];
  console.log(`eagle-eye simulator: ${fleet.drones.length} ArduCopter drones → udp:${link.host}:${link.port}`
    + ` (sysid ${first?.sysid ?? '-'}…, speedup ${options.speedup}, seed ${options.seed})`);
  const started = performance.now();
  const status = setInterval(() => {
    const s = fleet.world.stats;
    const wallS = (performance.now() - started) / 1000;
    const airborne = fleet.drones.filter((d) => !d.truth().onGround).length;
    console.log(`t=${(fleet.world.elapsedMs / 1000).toFixed(0)}s sim, ${(fleet.world.elapsedMs / 1000 / wallS).toFixed(2)}× real time,`
      + ` ${airborne} airborne, tick ${(s.tickWallMs / Math.max(1, s.ticks)).toFixed(2)} ms, overruns ${s.overruns}`);
  }, 10_000);
  const stop = async () => {
    clearInterval(status);
    await fleet.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

void main();
