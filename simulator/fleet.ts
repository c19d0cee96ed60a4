/**
 * startSimFleet: the one entry point to a simulated fleet, for the CLI, tests and `npm start`.
 *
 *   const fleet = await startSimFleet({ drones: 3, link: { host: '127.0.0.1', port }, lockstep: true, seed: 7 });
 *   await fleet.step(1000);                 // lockstep: exactly one simulated second
 *   fleet.drones[0].truth();                // ground truth
 *   fleet.injectFault(0, { kind: 'gps-loss', durationS: 10 });
 *   await fleet.close();
 */
import type { CopterOptions } from './autopilot/copter.ts';
import { SimDrone, type WindConfig } from './drone.ts';
import type { Fault, ScheduledFault } from './faults.ts';
import { LocalFrame, type LatLon } from './geo.ts';
import type { UdpAddress } from './mavlink/udp-port.ts';
import type { PayloadComponent } from './payloads/payload.ts';
import { SimSpeaker } from './payloads/speaker.ts';
import { AnalyticsReporter, type GroundCamera, type IngestTarget } from './scenario/analytics.ts';
import { ParkingWorld, type ParkedVehicleSpec } from './scenario/parking-world.ts';
import { TrafficWorld, type ScheduledJam, type SimRoad } from './scenario/traffic-world.ts';
import { patrolQuad, type Airframe } from './physics/airframe.ts';
import { Prng } from './prng.ts';
import { DEMO_BASE, DEMO_GROUND_AMSL_M, parkingSpots } from './scenario/demo-base.ts';
import { World } from './world.ts';

export interface SimFleetOptions {
  drones?: number;
  link?: UdpAddress;
  home?: LatLon;
  sysidBase?: number;
  seed?: number;
  /** Simulated seconds per wall second (ignored in lockstep). */
  speedup?: number;
  /** Time moves only through `fleet.step(ms)`. */
  lockstep?: boolean;
  tickMs?: number;
  /** Simulated epoch at start (defaults to the wall clock; fix it for byte-identical runs). */
  startTimeMs?: number;
  groundAmslM?: number;
  airframe?: Airframe;
  /** Mean wind as the velocity of the air (blowing TO: `eastMps: -3` is a wind FROM the east) plus gusts. */
  wind?: Partial<WindConfig>;
  /** State of charge at power-on, 0–100 (default 100); per drone with a function of the drone index. */
  batteryPct?: number | ((droneIndex: number) => number);
  /** Milliseconds after power-on until the position estimate is ready (default 5000). */
  positionSettleMs?: number;
  /** Parameter overrides for every drone (ArduCopter names). */
  params?: Record<string, number>;
  /** Ask for mission items with legacy MISSION_REQUEST (like ArduCopter 4.x) rather than MISSION_REQUEST_INT; per drone with a function. */
  legacyMissionRequests?: boolean | ((droneIndex: number) => boolean);
  /** Payload components of each drone, by drone index (besides the loudspeaker). */
  payloads?: (droneIndex: number) => PayloadComponent[];
  /** A loudspeaker on each drone (default true); false or a function of the drone index to omit it. */
  speaker?: boolean | ((droneIndex: number) => boolean);
  /** Parked vehicles, cameras over the lanes, and the drones' detectors reporting to the server. */
  parking?: { vehicles: ParkedVehicleSpec[]; cameras?: GroundCamera[]; ingest?: IngestTarget | null; reportEveryS?: number };
  /**
   * Moving traffic on roads, with jams on a schedule, seen by the drones' detectors (and fixed
   * cameras), reported with speed and heading; `counters` lists roads with a counting station
   * that reports per-segment counts.
   */
  traffic?: { roads: SimRoad[]; jams?: ScheduledJam[]; cameras?: GroundCamera[]; counters?: string[]; ingest?: IngestTarget | null; reportEveryS?: number; seed?: number };
  /** Render what the speakers say to WAV files in this folder when espeak-ng is on PATH. */
  speakerWavDir?: string;
  faults?: ScheduledFault[];
}

export interface SimFleet {
  readonly world: World;
  readonly drones: readonly SimDrone[];
  readonly lockstep: boolean;
  nowMs(): number;
  /** Lockstep only: advance exactly `ms` simulated milliseconds, then let the sockets breathe. */
  step(ms: number): Promise<void>;
  injectFault(droneIndex: number, fault: Fault): void;
  /** The parked vehicles and the analytics reporter, when the fleet was started with `parking`. */
  parking: { world: ParkingWorld; analytics: AnalyticsReporter } | null;
  /** The moving traffic and its reporter, when the fleet was started with `traffic`; times in the world are seconds after `startMs`. */
  traffic: { world: TrafficWorld; analytics: AnalyticsReporter; startMs: number } | null;
  /** The drone's simulated loudspeaker (what it said, when, where), or null when it has none. */
  speaker(droneIndex: number): SimSpeaker | null;
  close(): Promise<void>;
}

export const DEFAULT_LINK: UdpAddress = { host: '127.0.0.1', port: 14550 };
export const DEFAULT_WIND: WindConfig = { northMps: 1.5, eastMps: -2, gustStdMps: 1, gustTimeConstantS: 5 };

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.');
}

/** Sysids K, K+1, … wrapping from 250 back to 1 (each drone has its own socket, so repeats are fine). */
export function sysidFor(base: number, index: number): number {
  return ((base - 1 + index) % 250) + 1;
}

export async function startSimFleet(options: SimFleetOptions = {}): Promise<SimFleet> {
  const count = options.drones ?? 6;
  const link = options.link ?? DEFAULT_LINK;
  const home = options.home ?? DEMO_BASE;
  const tickMs = options.tickMs ?? 50;
  const lockstep = options.lockstep ?? false;
  const rng = new Prng(options.seed ?? 1);
  const frame = new LocalFrame(home);
  const batteryPct = Array.from({ length: count }, (_, i) => startBatteryPct(options.batteryPct, i));
  const world = new World(options.startTimeMs ?? Date.now(), tickMs, { ...DEFAULT_WIND, ...options.wind });
  const copterOptions: CopterOptions = { positionSettleMs: options.positionSettleMs ?? 5000 };
  const spots = parkingSpots(count);
  const speakers: Array<SimSpeaker | null> = [];
  for (let i = 0; i < count; i++) {
    const withSpeaker = typeof options.speaker === 'function' ? options.speaker(i) : options.speaker ?? true;
    const speaker = withSpeaker ? new SimSpeaker({ position: () => speakerPosition(world, i), wavDir: options.speakerWavDir ?? null }) : null;
    speakers.push(speaker);
    world.add(new SimDrone({
      index: i, sysid: sysidFor(options.sysidBase ?? 1, i), frame, groundAmslM: options.groundAmslM ?? DEMO_GROUND_AMSL_M,
      parkedAt: spots[i]!, airframe: options.airframe ?? patrolQuad, clock: world.clock, rng: rng.fork(), link, tickMs,
      copter: copterOptions, params: options.params ?? {}, legacyMissionRequests: typeof options.legacyMissionRequests === 'function' ? options.legacyMissionRequests(i) : options.legacyMissionRequests ?? false,
      payloads: [...(options.payloads?.(i) ?? []), ...(speaker ? [speaker] : [])],
      batteryPct: batteryPct[i]!,
    }));
  }
  const bindHost = isLoopback(link.host) ? '127.0.0.1' : '0.0.0.0';
  await Promise.all(world.drones.map((d) => d.endpoint.open(bindHost)));

  const injectFault = (droneIndex: number, fault: Fault) => {
    const drone = world.drones[droneIndex];
    if (!drone) throw new Error(`no drone ${droneIndex}`);
    if (fault.kind === 'speaker-fault') speakers[droneIndex]?.injectFault(fault.mode ?? 'amplifier', world.clock.nowMs(), fault.durationS);
    else drone.injectFault(fault, world.clock.nowMs());
  };
  for (const f of options.faults ?? []) world.clock.setTimeout(() => injectFault(f.droneIndex, f.fault), f.atS * 1000);

  let parking: SimFleet['parking'] = null;
  if (options.parking) {
    const parkingWorld = new ParkingWorld(options.parking.vehicles);
    const analytics = new AnalyticsReporter({
      world: parkingWorld, cameras: options.parking.cameras ?? [], drones: world.drones, speakers, clock: world.clock, startMs: world.clock.nowMs(),
      ingest: options.parking.ingest ?? null, ...(options.parking.reportEveryS ? { reportEveryS: options.parking.reportEveryS } : {}),
    });
    parking = { world: parkingWorld, analytics };
  }

  let traffic: SimFleet['traffic'] = null;
  if (options.traffic) {
    const t = options.traffic;
    const trafficWorld = new TrafficWorld(t.roads, t.jams ?? [], { seed: t.seed ?? options.seed ?? 1 });
    const startMs = world.clock.nowMs();
    const analytics = new AnalyticsReporter({
      world: null, traffic: trafficWorld, counters: t.counters ?? [], cameras: t.cameras ?? [], drones: world.drones, speakers, clock: world.clock, startMs,
      ingest: t.ingest ?? null, ...(t.reportEveryS ? { reportEveryS: t.reportEveryS } : {}),
    });
    traffic = { world: trafficWorld, analytics, startMs };
  }

  if (!lockstep) world.runRealTime(options.speedup ?? 1);

  return {
    world,
    drones: world.drones,
    lockstep,
    nowMs: () => world.clock.nowMs(),
    async step(ms: number) {
      if (!lockstep) throw new Error('step() is for lockstep fleets');
      world.advance(ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
    injectFault,
    speaker: (droneIndex) => speakers[droneIndex] ?? null,
    parking,
    traffic,
    async close() {
      parking?.analytics.close();
      traffic?.analytics.close();
      world.close();
      await Promise.all(world.drones.map((d) => d.endpoint.close()));
    },
  };
}

function startBatteryPct(option: SimFleetOptions['batteryPct'], index: number): number {
  const pct = typeof option === 'function' ? option(index) : option ?? 100;
  if (!Number.isFinite(pct) || pct < 0 || pct > 100) throw new Error(`batteryPct must be 0–100 (drone ${index}: ${pct})`);
  return pct;
}

function speakerPosition(world: World, index: number): { lat: number; lon: number; altitudeM: number } | null {
  const t = world.drones[index]?.truth();
  return t ? { lat: t.lat, lon: t.lon, altitudeM: t.altitudeM } : null;
}
