/**
 * The video-analytics side of the simulated world: fixed cameras over the stopping lanes (and
 * roads), and a detector on each flying drone that sees the vehicles inside its camera footprint:
 * parked ones and, with a traffic world, moving ones with their speed and heading. Every few
 * simulated seconds, what they see goes to the server's ingest route (POST /api/observations), as
 * a real analytics box would send it, with per-segment counts from counting stations when asked.
 * Loudspeakers that are playing are heard by nearby drivers.
 */
import type { Clock, TimerHandle } from '../../server/time/clock.ts';
import { LocalFrame, type LatLon } from '../geo.ts';
import type { SimDrone } from '../drone.ts';
import type { SimSpeaker } from '../payloads/speaker.ts';
import type { ParkingWorld, VehicleSighting } from './parking-world.ts';
import type { TrafficVehicle, TrafficWorld } from './traffic-world.ts';

export interface GroundCamera extends LatLon {
  id: string;
  radiusM: number;
}

export interface IngestTarget {
  /** The server's base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  token: string;
}

export interface AnalyticsOptions {
  /** Parked vehicles (and their drivers, who hear the loudspeakers); null: none. */
  world: ParkingWorld | null;
  /** Moving traffic on the roads. */
  traffic?: TrafficWorld | null;
  /** Roads (by id) with a counting station that reports the whole segment's vehicles and mean speed. */
  counters?: readonly string[];
  cameras: GroundCamera[];
  drones: readonly SimDrone[];
  speakers: ReadonlyArray<SimSpeaker | null>;
  clock: Clock;
  startMs: number;
  ingest: IngestTarget | null;
  reportEveryS?: number;
  /** Horizontal field of view of the drones' cameras (footprint radius = altitude · tan(hfov/2)). */
  droneHfovDeg?: number;
}

export interface AnalyticsCounters {
  batchesSent: number;
  sightingsSent: number;
  sendErrors: number;
}

interface Observation {
  trackId: string;
  plate?: string;
  lat: number;
  lon: number;
  at: string;
  source: string;
  speedMps: number;
  headingDeg?: number;
  confidence: number;
}

interface SegmentCountReport {
  roadId: string;
  at: string;
  vehicles: number;
  meanSpeedMps?: number;
  source: string;
}

export class AnalyticsReporter {
  readonly counters: AnalyticsCounters = { batchesSent: 0, sightingsSent: 0, sendErrors: 0 };
  private readonly timers: TimerHandle[] = [];

  constructor(private readonly o: AnalyticsOptions) {
    this.timers.push(o.clock.setInterval(() => this.listen(), 500));
    this.timers.push(o.clock.setInterval(() => this.report(), (o.reportEveryS ?? 5) * 1000));
  }

  close(): void {
    for (const t of this.timers) t.cancel();
  }

  /** What the cameras and drones see now. */
  observe(): Observation[] {
    const nowMs = this.o.clock.nowMs();
    const tS = (nowMs - this.o.startMs) / 1000;
    const at = new Date(nowMs).toISOString();
    const vehicles: Array<VehicleSighting | TrafficVehicle> = [...(this.o.world?.at(tS) ?? []), ...(this.o.traffic?.at(tS) ?? [])];
    const out: Observation[] = [];
    const seen = (source: string, center: LatLon, radiusM: number) => {
      const frame = new LocalFrame(center);
      for (const v of vehicles) {
        const ne = frame.toNorthEast(v);
        if (Math.hypot(ne.northM, ne.eastM) <= radiusM) out.push(toObservation(v, source, at));
      }
    };
    for (const c of this.o.cameras) seen(c.id, c, c.radiusM);
    const tanHalf = Math.tan((((this.o.droneHfovDeg ?? 84) / 2) * Math.PI) / 180);
    for (const d of this.o.drones) {
      const t = d.truth();
      if (t.onGround || t.altitudeM < 3) continue;
      seen(`drone-${d.sysid}`, t, t.altitudeM * tanHalf);
    }
    return out;
  }

  private listen(): void {
    const tS = (this.o.clock.nowMs() - this.o.startMs) / 1000;
    this.o.speakers.forEach((speaker, i) => {
      if (!speaker?.nowPlaying()) return;
      const t = this.o.drones[i]?.truth();
      if (t) this.o.world?.hear(t, tS);
    });
  }

  /** What the counting stations report now. */
  segmentCounts(): SegmentCountReport[] {
    if (!this.o.traffic || !this.o.counters?.length) return [];
    const nowMs = this.o.clock.nowMs();
    const at = new Date(nowMs).toISOString();
    return this.o.traffic.counts((nowMs - this.o.startMs) / 1000)
      .filter((c) => this.o.counters!.includes(c.roadId))
      .map((c) => ({ roadId: c.roadId, at, vehicles: c.vehicles, ...(c.meanSpeedMps !== null ? { meanSpeedMps: c.meanSpeedMps } : {}), source: `counter-${c.roadId}` }));
  }

  private report(): void {
    const observations = this.observe();
    const segmentCounts = this.segmentCounts();
    if (!this.o.ingest || observations.length + segmentCounts.length === 0) return;
    this.counters.batchesSent++;
    this.counters.sightingsSent += observations.length;
    fetch(`${this.o.ingest.url}/api/observations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.o.ingest.token}` },
      body: JSON.stringify(segmentCounts.length ? { observations, segmentCounts } : { observations }),
    }).then((res) => { if (res.status !== 202) this.counters.sendErrors++; }, () => { this.counters.sendErrors++; });
  }
}

function toObservation(v: VehicleSighting | TrafficVehicle, source: string, at: string): Observation {
  const plate = 'plate' in v && v.plate ? { plate: v.plate } : {};
  const heading = 'headingDeg' in v ? { headingDeg: v.headingDeg } : {};
  return { trackId: v.trackId, ...plate, lat: v.lat, lon: v.lon, at, source, speedMps: v.speedMps, ...heading, confidence: 0.9 };
}
