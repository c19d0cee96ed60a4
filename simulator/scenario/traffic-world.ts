/**
 * Moving traffic in the simulated world: vehicles enter each road at its ends, drive along its
 * centre line at about its free-flow speed (each driver a little faster or slower), keep a gap to
 * the vehicle ahead in their lane, and leave at the far end. A scheduled jam slows a stretch of a
 * road to a crawl: it builds over `buildS`, holds `holdS`, and clears over `clearS`; vehicles
 * queue up behind it, so density rises there and upstream, and the queue discharges once it clears.
 *
 *   intensity  1 ┤        ┌──────── hold ────────┐
 *                │  build ╱                        ╲ clear
 *              0 ┼───────╯                          ╰──────────▶ t
 *                        startS
 *   speed in the stretch = free-flow · (1 − intensity · (1 − crawlRatio))
 *
 * Deterministic: the same roads, jams and seed give the same vehicles at the same times. Time moves
 * in fixed steps (`stepS`); asking for an earlier time than the last replays from the start.
 */
import { LocalFrame, type LatLon, type NorthEast } from '../geo.ts';
import { Prng } from '../prng.ts';

export interface SimRoad {
  /** Reported in segment counts: the server's road id when the road is stored there. */
  id: string;
  /** GeoJSON LineString positions, [lon, lat]. */
  coordinates: ReadonlyArray<readonly [number, number] | readonly number[]>;
  direction: 'both' | 'forward' | 'backward';
  freeFlowMps: number;
  /** Lanes, both directions counted (default 2 for both, else 1). */
  lanes?: number;
  /** Mean time between vehicles entering a lane (default 4 s). */
  headwayS?: number;
}

export interface ScheduledJam {
  roadId: string;
  /** The stretch, metres along the road from its first point (default: its middle third). */
  fromM?: number;
  toM?: number;
  /** Simulated seconds after start when it begins to build. */
  startS: number;
  buildS: number;
  holdS: number;
  clearS: number;
  /** Speed at full strength as a fraction of free flow (default 0.08). */
  crawlRatio?: number;
  /** Repeat the jam every this many seconds (from startS); absent: once. */
  repeatEveryS?: number;
}

export interface TrafficVehicle {
  trackId: string;
  roadId: string;
  lat: number;
  lon: number;
  speedMps: number;
  headingDeg: number;
}

export interface SegmentCountTruth {
  roadId: string;
  vehicles: number;
  /** null when the road is empty. */
  meanSpeedMps: number | null;
}

export type JamPhase = 'before' | 'building' | 'holding' | 'clearing' | 'over';

export interface TrafficWorldOptions {
  seed?: number;
  /** Simulation step (default 0.5 s). */
  stepS?: number;
}

const LANE_WIDTH_M = 3.5;
/** Bumper to bumper plus a car length: a standing queue holds about 1000 / 7 = 143 vehicles per km per lane. */
const MIN_GAP_M = 7;
const ACCEL_MPS2 = 2;

interface Car {
  id: number;
  /** Metres travelled from the lane's entry end. */
  s: number;
  v: number;
  /** This driver's share of the free-flow speed. */
  pace: number;
}

interface Lane {
  road: PreparedRoad;
  /** +1 along the LineString, −1 against it. */
  dir: 1 | -1;
  /** Right of the direction of travel, metres. */
  offsetM: number;
  cars: Car[];
  nextEntryS: number;
  rng: Prng;
}

interface PreparedRoad {
  spec: SimRoad;
  index: number;
  frame: LocalFrame;
  points: NorthEast[];
  cum: number[];
  lengthM: number;
  jams: ScheduledJam[];
}

export class TrafficWorld {
  readonly roads: readonly SimRoad[];
  readonly jams: readonly ScheduledJam[];
  private readonly stepS: number;
  private readonly seed: number;
  private prepared: PreparedRoad[] = [];
  private lanes: Lane[] = [];
  private tS = 0;
  private nextCarId = 1;

  constructor(roads: readonly SimRoad[], jams: readonly ScheduledJam[] = [], opts: TrafficWorldOptions = {}) {
    for (const j of jams) if (!roads.some((r) => r.id === j.roadId)) throw new Error(`jam on road ${j.roadId}: no such road`);
    this.roads = roads;
    this.jams = jams;
    this.stepS = opts.stepS ?? 0.5;
    this.seed = opts.seed ?? 1;
    this.reset();
  }

  /** How strong the road's jam is at `tS` at `alongM` metres along it (0: none, 1: full). */
  intensity(roadId: string, tS: number, alongM?: number): number {
    let out = 0;
    for (const j of this.jams) {
      if (j.roadId !== roadId) continue;
      if (alongM !== undefined) {
        const road = this.prepared.find((r) => r.spec.id === roadId)!;
        const { fromM, toM } = stretchOf(j, road.lengthM);
        if (alongM < fromM || alongM > toM) continue;
      }
      out = Math.max(out, jamIntensity(j, tS));
    }
    return out;
  }

  /** Where a jam stands at `tS`. */
  phase(jam: ScheduledJam, tS: number): JamPhase {
    const local = localTime(jam, tS);
    if (local < 0) return 'before';
    if (local < jam.buildS) return 'building';
    if (local < jam.buildS + jam.holdS) return 'holding';
    if (local < jam.buildS + jam.holdS + jam.clearS) return 'clearing';
    return 'over';
  }

  /** The middle of a jam's stretch. */
  jamCenter(jam: ScheduledJam): LatLon {
    const road = this.prepared.find((r) => r.spec.id === jam.roadId)!;
    const { fromM, toM } = stretchOf(jam, road.lengthM);
    return this.pointAt(road, (fromM + toM) / 2, 0, 1).position;
  }

  /** Every vehicle on the roads at `tS` (simulated seconds after start). */
  at(tS: number): TrafficVehicle[] {
    this.advanceTo(tS);
    const out: TrafficVehicle[] = [];
    for (const lane of this.lanes) {
      for (const car of lane.cars) {
        const along = lane.dir === 1 ? car.s : lane.road.lengthM - car.s;
        const p = this.pointAt(lane.road, along, lane.offsetM, lane.dir);
        out.push({ trackId: `veh-${lane.road.index + 1}-${car.id}`, roadId: lane.road.spec.id, lat: p.position.lat, lon: p.position.lon, speedMps: round1(car.v), headingDeg: Math.round(p.headingDeg) % 360 });
      }
    }
    return out;
  }

  /** Vehicles on each road at `tS` and their mean speed: what a counting station over the whole segment reports. */
  counts(tS: number): SegmentCountTruth[] {
    this.advanceTo(tS);
    return this.prepared.map((road) => {
      const cars = this.lanes.filter((l) => l.road === road).flatMap((l) => l.cars);
      return { roadId: road.spec.id, vehicles: cars.length, meanSpeedMps: cars.length ? round1(cars.reduce((a, c) => a + c.v, 0) / cars.length) : null };
    });
  }

  private reset(): void {
    const rng = new Prng(this.seed);
    this.tS = 0;
    this.nextCarId = 1;
    this.prepared = this.roads.map((spec, index) => prepareRoad(spec, index, this.jams.filter((j) => j.roadId === spec.id)));
    this.lanes = [];
    for (const road of this.prepared) {
      const spec = road.spec;
      const lanes = spec.lanes ?? (spec.direction === 'both' ? 2 : 1);
      const dirs: Array<1 | -1> = spec.direction === 'both' ? [1, -1] : spec.direction === 'forward' ? [1] : [-1];
      const perDir = Math.max(1, Math.floor(lanes / dirs.length));
      for (const dir of dirs) {
        for (let k = 0; k < perDir; k++) {
          const lane: Lane = { road, dir, offsetM: (k + 0.5) * LANE_WIDTH_M, cars: [], nextEntryS: 0, rng: rng.fork() };
          // already in motion at the start: vehicles spread along the lane at their headways
          const headwayS = spec.headwayS ?? 4;
          for (let s = road.lengthM - lane.rng.next() * headwayS * spec.freeFlowMps; s > 0; s -= spec.freeFlowMps * headwayS * (0.6 + 0.8 * lane.rng.next())) {
            const pace = 0.9 + 0.15 * lane.rng.next();
            lane.cars.unshift({ id: this.nextCarId++, s, v: spec.freeFlowMps * pace, pace });
          }
          lane.nextEntryS = headwayS * (0.6 + 0.8 * lane.rng.next());
          this.lanes.push(lane);
        }
      }
    }
  }

  private advanceTo(tS: number): void {
    if (tS < this.tS - 1e-9) this.reset();
    while (this.tS + this.stepS <= tS + 1e-9) this.step();
  }

  private step(): void {
    const dt = this.stepS;
    const t = this.tS + dt;
    for (const lane of this.lanes) {
      const road = lane.road;
      const ff = road.spec.freeFlowMps;
      // cars are kept in order of s, the farthest along last; the leader moves first
      for (let i = lane.cars.length - 1; i >= 0; i--) {
        const car = lane.cars[i]!;
        const along = lane.dir === 1 ? car.s : road.lengthM - car.s;
        let jam = 0;
        for (const j of road.jams) {
          const { fromM, toM } = stretchOf(j, road.lengthM);
          if (along >= fromM && along <= toM) jam = Math.max(jam, jamIntensity(j, t) * (1 - (j.crawlRatio ?? 0.08)));
        }
        let v = Math.min(ff * car.pace * (1 - jam), car.v + ACCEL_MPS2 * dt);
        const leader = lane.cars[i + 1];
        if (leader) v = Math.min(v, Math.max(0, (leader.s - car.s - MIN_GAP_M) / dt));
        car.v = Math.max(0, v);
        car.s += car.v * dt;
      }
      while (lane.cars.length && lane.cars.at(-1)!.s > road.lengthM) lane.cars.pop();
      if (t >= lane.nextEntryS) {
        const tail = lane.cars[0];
        if (!tail || tail.s >= MIN_GAP_M + 3) {
          const pace = 0.9 + 0.15 * lane.rng.next();
          lane.cars.unshift({ id: this.nextCarId++, s: 0, v: Math.min(ff * pace, tail ? tail.v + 2 : ff * pace), pace });
          lane.nextEntryS = t + (road.spec.headwayS ?? 4) * (0.6 + 0.8 * lane.rng.next());
        }
      }
    }
    this.tS = t;
  }

  private pointAt(road: PreparedRoad, alongM: number, offsetM: number, dir: 1 | -1): { position: LatLon; headingDeg: number } {
    const s = Math.min(Math.max(alongM, 0), road.lengthM);
    let i = 1;
    while (i < road.points.length - 1 && road.cum[i]! < s) i++;
    const a = road.points[i - 1]!;
    const b = road.points[i]!;
    const leg = road.cum[i]! - road.cum[i - 1]!;
    const f = leg > 0 ? (s - road.cum[i - 1]!) / leg : 0;
    const dn = b.northM - a.northM;
    const de = b.eastM - a.eastM;
    const len = Math.hypot(dn, de) || 1;
    // the unit vector of travel, and the one to its right (heading + 90°): lanes are on the right (as in China)
    const tn = (dir * dn) / len;
    const te = (dir * de) / len;
    const rightN = -te;
    const rightE = tn;
    const position = road.frame.toLatLon({ northM: a.northM + dn * f + rightN * offsetM, eastM: a.eastM + de * f + rightE * offsetM });
    const headingDeg = ((Math.atan2(te, tn) * 180) / Math.PI + 360) % 360;
    return { position, headingDeg };
  }
}

function prepareRoad(spec: SimRoad, index: number, jams: ScheduledJam[]): PreparedRoad {
  const first = spec.coordinates[0]!;
  const frame = new LocalFrame({ lon: first[0]!, lat: first[1]! });
  const points = spec.coordinates.map((p) => frame.toNorthEast({ lon: p[0]!, lat: p[1]! }));
  const cum = [0];
  for (let i = 1; i < points.length; i++) cum.push(cum[i - 1]! + Math.hypot(points[i]!.northM - points[i - 1]!.northM, points[i]!.eastM - points[i - 1]!.eastM));
  return { spec, index, frame, points, cum, lengthM: cum.at(-1)!, jams };
}

function stretchOf(j: ScheduledJam, lengthM: number): { fromM: number; toM: number } {
  return { fromM: j.fromM ?? lengthM / 3, toM: j.toM ?? (2 * lengthM) / 3 };
}

function localTime(j: ScheduledJam, tS: number): number {
  const since = tS - j.startS;
  if (since < 0 || !j.repeatEveryS) return since;
  return since % j.repeatEveryS;
}

function jamIntensity(j: ScheduledJam, tS: number): number {
  const t = localTime(j, tS);
  if (t < 0) return 0;
  if (t < j.buildS) return j.buildS > 0 ? t / j.buildS : 1;
  if (t < j.buildS + j.holdS) return 1;
  const c = t - j.buildS - j.holdS;
  if (c < j.clearS) return 1 - c / j.clearS;
  return 0;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
