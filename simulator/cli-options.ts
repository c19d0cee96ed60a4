/** Command-line flags of `npm run sim` (CONTRACT.md), parsed into SimFleetOptions. */
import { parseFault, type ScheduledFault } from './faults.ts';
import { DEFAULT_LINK, type SimFleetOptions } from './fleet.ts';
import { DEMO_BASE } from './scenario/demo-base.ts';

export const USAGE = `usage: npm run sim -- [flags]
  --drones N                 fleet size (6)
  --link udp:HOST:PORT       where the ground station listens (udp:127.0.0.1:14550)
  --home LAT,LON             the base; drones park around it (${DEMO_BASE.lat},${DEMO_BASE.lon})
  --sysid-base K             sysids K, K+1, ... wrapping past 250 (1)
  --speedup X                simulated seconds per wall second (1)
  --seed S                   makes a run repeatable (1)
  --fault I:KIND[:ARG][@T]   inject a fault into drone I at T s: link-drop:SECONDS, packet-loss:PERCENT,
                             gps-loss[:SECONDS], battery-fault, motor-failure, speaker-fault[:SECONDS] (repeatable)
  --packet-loss PERCENT      packet loss on every drone's link from the start
  --battery-pct [I:]PCT      state of charge at power-on: every drone, or drone I (repeatable) (100)
  --legacy-mission-request   ask for mission items with MISSION_REQUEST (as ArduCopter 4.x does)
  --position-settle-ms MS    time until the position estimate is ready (5000)
  --tick-ms MS               physics tick (50)
  --no-speaker               no loudspeaker on the drones (each has one by default)
  --speaker-wav DIR          render what the speakers say to WAV files (needs espeak-ng on PATH)`;

function number(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
  return n;
}

export function parseCli(argv: readonly string[]): SimFleetOptions {
  const o: SimFleetOptions = { drones: 6, link: DEFAULT_LINK, home: DEMO_BASE, sysidBase: 1, speedup: 1, seed: 1 };
  const faults: ScheduledFault[] = [];
  let lossPct = 0;
  let batteryAll = 100;
  const batteryOf = new Map<number, number>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--drones': o.drones = number(flag, value()); break;
      case '--link': {
        const m = /^udp:([^:]+):(\d+)$/.exec(value());
        if (!m) throw new Error('--link must be udp:HOST:PORT');
        o.link = { host: m[1]!, port: Number(m[2]) };
        break;
      }
      case '--home': {
        const [lat, lon] = value().split(',').map(Number);
        if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new Error('--home must be LAT,LON');
        o.home = { lat: lat!, lon: lon! };
        break;
      }
      case '--sysid-base': o.sysidBase = number(flag, value()); break;
      case '--speedup': o.speedup = number(flag, value()); break;
      case '--seed': o.seed = number(flag, value()); break;
      case '--fault': faults.push(parseFault(value())); break;
      case '--packet-loss': lossPct = number(flag, value()); break;
      case '--battery-pct': {
        const v = value();
        const m = /^(\d+):(.+)$/.exec(v);
        const pct = number(flag, m ? m[2] : v);
        if (pct < 0 || pct > 100) throw new Error('--battery-pct must be 0–100');
        if (m) batteryOf.set(Number(m[1]), pct);
        else batteryAll = pct;
        break;
      }
      case '--legacy-mission-request': o.legacyMissionRequests = true; break;
      case '--position-settle-ms': o.positionSettleMs = number(flag, value()); break;
      case '--tick-ms': o.tickMs = number(flag, value()); break;
      case '--no-speaker': o.speaker = false; break;
      case '--speaker-wav': o.speakerWavDir = value(); break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown flag ${flag}\n${USAGE}`);
    }
  }
  if (lossPct > 0) for (let d = 0; d < (o.drones ?? 6); d++) faults.push({ droneIndex: d, atS: 0, fault: { kind: 'packet-loss', percent: lossPct } });
  o.faults = faults;
  if (batteryOf.size > 0) o.batteryPct = (i) => batteryOf.get(i) ?? batteryAll;
  else if (batteryAll !== 100) o.batteryPct = batteryAll;
  return o;
}
