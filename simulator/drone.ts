/**
 * One simulated drone: ground truth and airframe (physics), its sensors, its autopilot and its
 * MAVLink endpoint. Each world tick: physics step → sensors → autopilot → endpoint.
 */
import type { Clock } from '../server/time/clock.ts';
import { Copter, type CopterOptions } from './autopilot/copter.ts';
import { modeName } from './autopilot/modes.ts';
import type { SensorInputs, WindEstimate } from './autopilot/sensors.ts';
import type { Fault } from './faults.ts';
import type { LatLon, LocalFrame, NorthEast } from './geo.ts';
import { VehicleEndpoint } from './mavlink/vehicle-endpoint.ts';
import type { UdpAddress } from './mavlink/udp-port.ts';
import type { PayloadComponent } from './payloads/payload.ts';
import type { Airframe } from './physics/airframe.ts';
import { remainingFraction } from './physics/battery.ts';
import { defaultGps, GpsSensor } from './physics/gps.ts';
import { MOTORS_OFF, parkedState, type Environment, type PhysicsCommand, type VehicleState } from './physics/state.ts';
import { step } from './physics/step.ts';
import type { Prng } from './prng.ts';

/**
 * The environment's wind. `northMps`/`eastMps` are the mean velocity of the AIR over the ground (the
 * direction it blows TO): `{ northMps: 0, eastMps: -3 }` moves the air west, a 3 m/s wind FROM the
 * east (090°, as WIND.direction reports it). Gusts add a seeded Ornstein-Uhlenbeck component.
 */
export interface WindConfig {
  northMps: number;
  eastMps: number;
  gustStdMps: number;
  gustTimeConstantS: number;
}

export interface DroneTruth {
  timeS: number;
  lat: number;
  lon: number;
  northM: number;
  eastM: number;
  altitudeM: number;
  altitudeAmslM: number;
  velNorthMps: number;
  velEastMps: number;
  velUpMps: number;
  groundSpeedMps: number;
  yawDeg: number;
  onGround: boolean;
  armed: boolean;
  mode: number;
  modeName: string;
  battery: { remainingPct: number; voltageV: number; currentA: number; usedMah: number };
  home: LatLon | null;
}

export interface SimDroneOptions {
  index: number;
  sysid: number;
  frame: LocalFrame;
  groundAmslM: number;
  parkedAt: NorthEast & { yawDeg: number };
  airframe: Airframe;
  clock: Clock;
  rng: Prng;
  link: UdpAddress;
  tickMs: number;
  copter: CopterOptions;
  params: Record<string, number>;
  legacyMissionRequests: boolean;
  payloads: PayloadComponent[];
  /** State of charge at power-on, 0–100 (default 100). */
  batteryPct?: number;
}

/** Time constant of the wind estimate's smoothing (ArduPilot's estimate follows gusts with a lag). */
export const WIND_ESTIMATE_TAU_S = 2;

export class SimDrone {
  readonly index: number;
  readonly sysid: number;
  readonly copter: Copter;
  readonly endpoint: VehicleEndpoint;
  readonly frame: LocalFrame;
  readonly groundAmslM: number;
  readonly airframe: Airframe;
  private state: VehicleState;
  private command: PhysicsCommand = MOTORS_OFF;
  private readonly gps: GpsSensor;
  private readonly physicsRng: Prng;
  private readonly sensorRng: Prng;
  private current: SensorInputs;
  private readonly bootMs: number;
  private motorFailed = false;
  private gpsLostUntilMs = -Infinity;
  private windEstimate: WindEstimate | null = null;

  constructor(o: SimDroneOptions) {
    this.index = o.index;
    this.sysid = o.sysid;
    this.frame = o.frame;
    this.groundAmslM = o.groundAmslM;
    this.airframe = o.airframe;
    this.bootMs = o.clock.nowMs();
    this.physicsRng = o.rng.fork();
    this.sensorRng = o.rng.fork();
    const linkRng = o.rng.fork();
    this.gps = new GpsSensor(defaultGps, this.sensorRng);
    this.state = parkedState(o.airframe, o.parkedAt.northM, o.parkedAt.eastM, o.parkedAt.yawDeg, (o.batteryPct ?? 100) / 100);
    let endpoint: VehicleEndpoint | null = null;
    this.copter = new Copter(this.bootMs, o.frame, o.groundAmslM, {
      statusText: (sev, text) => endpoint?.statusText(sev, text),
      missionCurrent: () => endpoint?.missionCurrentChanged(),
      missionItemReached: (seq) => endpoint?.missionItemReached(seq),
      homeChanged: () => endpoint?.homeChanged(),
    }, o.copter, { MAV_SYSID: o.sysid, ...o.params });
    this.current = this.readSensors(0);
    endpoint = new VehicleEndpoint({
      sysid: o.sysid, link: o.link, clock: o.clock, rng: linkRng, legacyMissionRequests: o.legacyMissionRequests,
      minIntervalMs: o.tickMs, payloads: o.payloads,
      source: {
        copter: this.copter, frame: o.frame, groundAmslM: o.groundAmslM,
        batteryCapacityMah: o.airframe.battery.capacityAh * 1000,
        sensors: () => this.current, nowMs: () => o.clock.nowMs(),
      },
    });
    this.endpoint = endpoint;
  }

  /** One world tick of `dtS` seconds ending at `nowMs`. */
  tick(nowMs: number, dtS: number, wind: WindConfig): void {
    const env: Environment = {
      windNorthMps: wind.northMps, windEastMps: wind.eastMps, gustStdMps: wind.gustStdMps, gustTimeConstantS: wind.gustTimeConstantS,
      gustNoiseNorth: this.physicsRng.gaussian(), gustNoiseEast: this.physicsRng.gaussian(), motorFailed: this.motorFailed,
    };
    this.state = step(this.state, this.command, dtS, env, this.airframe);
    this.estimateWind(wind, dtS);
    this.gps.lost = nowMs < this.gpsLostUntilMs;
    this.current = this.readSensors(dtS);
    this.command = this.copter.tick(nowMs, this.current);
    this.endpoint.tick(nowMs);
  }

  injectFault(fault: Fault, nowMs: number): void {
    switch (fault.kind) {
      case 'link-drop': this.endpoint.link.downUntilMs = nowMs + fault.durationS * 1000; break;
      case 'packet-loss': this.endpoint.link.lossFraction = Math.max(0, Math.min(1, fault.percent / 100)); break;
      case 'gps-loss': this.gpsLostUntilMs = fault.durationS === undefined ? Infinity : nowMs + fault.durationS * 1000; break;
      case 'battery-fault': this.state = { ...this.state, battery: { ...this.state.battery, cellFailed: true } }; break;
      case 'motor-failure': this.motorFailed = true; this.copter.thrustLoss(); break;
    }
  }

  /** Ground truth (never what the autopilot estimates). */
  truth(): DroneTruth {
    const s = this.state;
    const p = this.frame.toLatLon(s);
    const spec = this.airframe.battery;
    return {
      timeS: s.timeS, lat: p.lat, lon: p.lon, northM: s.northM, eastM: s.eastM, altitudeM: s.altitudeM,
      altitudeAmslM: this.groundAmslM + s.altitudeM, velNorthMps: s.velNorthMps, velEastMps: s.velEastMps, velUpMps: s.velUpMps,
      groundSpeedMps: Math.hypot(s.velNorthMps, s.velEastMps), yawDeg: s.yawDeg, onGround: s.onGround,
      armed: this.copter.armed, mode: this.copter.mode, modeName: modeName(this.copter.mode),
      battery: {
        remainingPct: remainingFraction(spec, s.battery) * 100, voltageV: s.battery.voltageV, currentA: s.battery.currentA,
        usedMah: s.battery.usedAh * 1000,
      },
      home: this.copter.home?.latLon ?? null,
    };
  }

  /** The raw physics state (for determinism checks and debugging). */
  vehicleState(): VehicleState {
    return this.state;
  }

  /**
   * The air's velocity (mean wind + the current gust) through a first-order lag: starts at the true
   * value on the first step, then follows it with WIND_ESTIMATE_TAU_S. Draws nothing from the PRNG.
   */
  private estimateWind(wind: WindConfig, dtS: number): void {
    const northMps = wind.northMps + this.state.gustNorthMps;
    const eastMps = wind.eastMps + this.state.gustEastMps;
    const e = this.windEstimate;
    if (!e) {
      this.windEstimate = { northMps, eastMps, downMps: 0 };
      return;
    }
    const k = Math.min(1, dtS / WIND_ESTIMATE_TAU_S);
    e.northMps += (northMps - e.northMps) * k;
    e.eastMps += (eastMps - e.eastMps) * k;
  }

  private readSensors(dtS: number): SensorInputs {
    const s = this.state;
    const sinceBootS = s.timeS;
    const spec = this.airframe.battery;
    return {
      gps: this.gps.read(s, sinceBootS, dtS),
      baroAltitudeM: s.altitudeM + 0.05 * this.sensorRng.gaussian(),
      yawDeg: s.yawDeg,
      rollRad: s.rollRad,
      pitchRad: s.pitchRad,
      yawRateDps: s.yawRateDps,
      onGround: s.onGround,
      battery: {
        voltageV: s.battery.voltageV, currentA: s.battery.currentA, usedMah: s.battery.usedAh * 1000,
        remainingPct: remainingFraction(spec, s.battery) * 100,
      },
      wind: this.windEstimate && { ...this.windEstimate },
    };
  }
}
