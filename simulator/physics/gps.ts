/**
 * GPS sensor: what the autopilot sees. Ground truth stays in VehicleState; the measurement adds a
 * slowly wandering bias plus white noise, and disappears when the GPS is lost (fault injection).
 */
import type { Prng } from '../prng.ts';
import type { VehicleState } from './state.ts';

export interface GpsSpec {
  /** Seconds after power-on until a 3D fix. */
  fixAfterS: number;
  satellites: number;
  whiteNoiseM: number;
  biasWanderM: number;
  biasTimeConstantS: number;
  altitudeNoiseM: number;
}

export const defaultGps: GpsSpec = { fixAfterS: 2, satellites: 14, whiteNoiseM: 0.15, biasWanderM: 0.4, biasTimeConstantS: 30, altitudeNoiseM: 0.2 };

export interface GpsReading {
  /** 0 no GPS, 1 no fix, 3 3D fix. */
  fixType: number;
  satellites: number;
  northM: number;
  eastM: number;
  altitudeM: number;
  velNorthMps: number;
  velEastMps: number;
  velUpMps: number;
  hdopM: number;
}

export class GpsSensor {
  private biasNorthM = 0;
  private biasEastM = 0;
  lost = false;

  constructor(private readonly spec: GpsSpec, private readonly rng: Prng) {}

  read(truth: VehicleState, sinceBootS: number, dtS: number): GpsReading {
    const k = dtS / this.spec.biasTimeConstantS;
    const scale = this.spec.biasWanderM * Math.sqrt(2 * k);
    this.biasNorthM += -this.biasNorthM * k + scale * this.rng.gaussian();
    this.biasEastM += -this.biasEastM * k + scale * this.rng.gaussian();
    const noiseN = this.spec.whiteNoiseM * this.rng.gaussian();
    const noiseE = this.spec.whiteNoiseM * this.rng.gaussian();
    const noiseU = this.spec.altitudeNoiseM * this.rng.gaussian();
    const hasFix = !this.lost && sinceBootS >= this.spec.fixAfterS;
    return {
      fixType: this.lost ? 1 : hasFix ? 3 : 1,
      satellites: hasFix ? this.spec.satellites : this.lost ? 0 : Math.min(5, Math.floor(sinceBootS * 2)),
      northM: truth.northM + this.biasNorthM + noiseN,
      eastM: truth.eastM + this.biasEastM + noiseE,
      altitudeM: truth.altitudeM + noiseU,
      velNorthMps: truth.velNorthMps,
      velEastMps: truth.velEastMps,
      velUpMps: truth.velUpMps,
      hdopM: hasFix ? 0.7 : 99.99,
    };
  }
}
