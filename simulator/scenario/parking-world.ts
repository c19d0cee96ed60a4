/**
 * Parked vehicles in the simulated world: each arrives at a time, would stay a while on its own,
 * and, when it hears a loudspeaker advisory, either moves on after a delay (most drivers) or does
 * not (some). A vehicle that leaves drives off along its exit for a few seconds, so cameras see it
 * leave the zone. Pure: positions are a function of the simulated time and what was heard.
 */
import { LocalFrame, type LatLon } from '../geo.ts';

export interface ParkedVehicleSpec {
  trackId: string;
  plate?: string;
  lat: number;
  lon: number;
  /** Simulated seconds after start. */
  arriveAtS: number;
  /** How long the driver would stay if nobody said anything. */
  stayS: number;
  /** Moves on this long after hearing an advisory; null: ignores advisories. */
  leaveAfterAdvisoryS: number | null;
}

export interface VehicleSighting {
  trackId: string;
  plate?: string;
  lat: number;
  lon: number;
  /** Driving off (speed > 0) or standing. */
  speedMps: number;
}

/** Drive-off: this far north-east of the parking spot, in this long. */
const DRIVE_OFF_M = 80;
const DRIVE_OFF_S = 8;

interface Vehicle {
  spec: ParkedVehicleSpec;
  heardAtS: number | null;
}

export class ParkingWorld {
  private readonly vehicles: Vehicle[];

  constructor(specs: ParkedVehicleSpec[], private readonly audibleRangeM = 60) {
    this.vehicles = specs.map((spec) => ({ spec, heardAtS: null }));
  }

  /** When the vehicle starts driving off (simulated seconds). */
  departAtS(trackId: string): number {
    const v = this.find(trackId);
    const natural = v.spec.arriveAtS + v.spec.stayS;
    if (v.heardAtS === null || v.spec.leaveAfterAdvisoryS === null) return natural;
    return Math.min(natural, v.heardAtS + v.spec.leaveAfterAdvisoryS);
  }

  heardAtS(trackId: string): number | null {
    return this.find(trackId).heardAtS;
  }

  /** A loudspeaker is playing at `from`: every standing vehicle within earshot hears it. */
  hear(from: LatLon, tS: number): string[] {
    const heard: string[] = [];
    for (const v of this.vehicles) {
      if (v.heardAtS !== null || tS < v.spec.arriveAtS || tS >= this.departAtS(v.spec.trackId)) continue;
      const frame = new LocalFrame(v.spec);
      const ne = frame.toNorthEast(from);
      if (Math.hypot(ne.northM, ne.eastM) <= this.audibleRangeM) {
        v.heardAtS = tS;
        heard.push(v.spec.trackId);
      }
    }
    return heard;
  }

  /** Every vehicle on the scene at `tS` (standing, or driving off), where it is. */
  at(tS: number): VehicleSighting[] {
    const out: VehicleSighting[] = [];
    for (const v of this.vehicles) {
      const s = v.spec;
      if (tS < s.arriveAtS) continue;
      const departS = this.departAtS(s.trackId);
      const plate = s.plate !== undefined ? { plate: s.plate } : {};
      if (tS < departS) { out.push({ trackId: s.trackId, ...plate, lat: s.lat, lon: s.lon, speedMps: 0 }); continue; }
      const f = (tS - departS) / DRIVE_OFF_S;
      if (f > 1) continue;
      const p = new LocalFrame(s).toLatLon({ northM: (DRIVE_OFF_M * f) / Math.SQRT2, eastM: (DRIVE_OFF_M * f) / Math.SQRT2 });
      out.push({ trackId: s.trackId, ...plate, lat: p.lat, lon: p.lon, speedMps: DRIVE_OFF_M / DRIVE_OFF_S });
    }
    return out;
  }

  private find(trackId: string): Vehicle {
    const v = this.vehicles.find((x) => x.spec.trackId === trackId);
    if (!v) throw new Error(`no vehicle ${trackId}`);
    return v;
  }
}
