/**
 * The emulated ArduCopter: flight modes, arming checks, guided commands, the AUTO mission executor
 * and the failsafes (battery, GCS heartbeat, fence, EKF/GPS, thrust loss). It reads sensors and
 * returns a PhysicsCommand each tick; it never touches the ground truth or the network.
 *
 * Results of commands are MAV_RESULT numbers (ACCEPTED 0, DENIED 2, UNSUPPORTED 3, FAILED 4), with
 * the reason, when ArduPilot gives one, sent as a STATUSTEXT through `events`.
 */
import { common } from 'mavlink-mappings';
import { bearingDeg, horizontalDistanceM, type LatLon, type LocalFrame, type NorthEast } from '../geo.ts';
import { MOTORS_OFF, type PhysicsCommand } from '../physics/state.ts';
import { preArmFailure } from './arming.ts';
import { BatteryMonitor, batteryFailsafeText } from './battery-monitor.ts';
import { Geofence } from './fence.ts';
import type { Position3d, SpeedLimits, Target3d } from './guidance.ts';
import { MissionExecutor } from './mission-executor.ts';
import { MissionStore, MissionType } from './mission-item.ts';
import { CopterMode, modeNeedsPosition } from './modes.ts';
import { hold, LandController, RtlController, TakeoffController, type NavContext, type NavOutput } from './nav.ts';
import { ParamStore } from './params.ts';
import { Severity, type SensorInputs } from './sensors.ts';

const R = common.MavResult;

export interface CopterEvents {
  statusText(severity: number, text: string): void;
  missionCurrent(seq: number): void;
  missionItemReached(seq: number): void;
  homeChanged(): void;
}

export interface CopterOptions {
  /** How long after power-on the EKF needs (with a 3D fix) before it reports a position estimate. */
  positionSettleMs: number;
}

export const defaultCopterOptions: CopterOptions = { positionSettleMs: 5000 };

export interface Home {
  position: NorthEast;
  latLon: LatLon;
  amslM: number;
}

/** EXTENDED_SYS_STATE.landed_state values. */
export const LandedState = { ON_GROUND: 1, IN_AIR: 2, TAKEOFF: 3, LANDING: 4 } as const;

const PRE_ARM_REPORT_INTERVAL_MS = 30_000;

/** The firmware version the simulator claims (HEARTBEAT-adjacent: AUTOPILOT_VERSION, boot STATUSTEXT). */
export const ARDUCOPTER_VERSION = { major: 4, minor: 5, patch: 7 } as const;

type GuidedState =
  | { kind: 'idle' }
  | { kind: 'takeoff'; ctl: TakeoffController; altitudeM: number }
  | { kind: 'hold'; target: Target3d }
  | { kind: 'goto'; target: Target3d };

export class Copter {
  readonly params: ParamStore;
  readonly missions = new MissionStore();
  readonly fence: Geofence;
  private readonly battery: BatteryMonitor;
  mode: CopterMode = CopterMode.STABILIZE;
  armed = false;
  home: Home | null = null;
  /** Latest estimate (GPS horizontal, baro vertical). */
  position: Position3d = { northM: 0, eastM: 0, altitudeM: 0 };
  velocity = { northMps: 0, eastMps: 0, upMps: 0 };
  positionOk = false;
  onGround = true;
  landedState: number = LandedState.ON_GROUND;

  readonly failsafe = { gcs: false, batteryLow: false, batteryCritical: false, fence: false, ekf: false, thrustLoss: false };

  private readonly bootMs: number;
  private nowMs: number;
  private lastGcsHeartbeatMs: number | null = null;
  private armedAtMs = 0;
  private hasTakenOff = false;
  private onGroundSinceMs: number | null = 0;
  private positionLostSinceMs: number | null = null;
  private speedOverrideMps: number | null = null;
  private yawOverrideDeg: number | null = null;
  /** Region of interest: the nose points at it in GUIDED and AUTO until cleared or the mode changes. */
  private roi: NorthEast | null = null;
  private guided: GuidedState = { kind: 'idle' };
  private holdTarget: Target3d | null = null;
  private rtl: RtlController | null = null;
  private land: LandController | null = null;
  readonly executor: MissionExecutor;
  private lastSensors: SensorInputs | null = null;
  private nextPreArmReportMs: number;
  private ekfUsedGps = false;
  private bootReported = false;

  constructor(
    nowMs: number,
    private readonly frame: LocalFrame,
    private readonly groundAmslM: number,
    private readonly events: CopterEvents,
    private readonly options: CopterOptions = defaultCopterOptions,
    params: Record<string, number> = {},
  ) {
    this.bootMs = nowMs;
    this.nowMs = nowMs;
    this.nextPreArmReportMs = nowMs + PRE_ARM_REPORT_INTERVAL_MS;
    this.params = new ParamStore(params);
    this.fence = new Geofence(this.params);
    this.battery = new BatteryMonitor(this.params);
    this.executor = new MissionExecutor(
      () => this.missions.items(MissionType.MISSION),
      () => ({ frame: this.frame, homeAmslM: this.home?.amslM ?? this.groundAmslM }),
      {
        currentChanged: (seq) => this.events.missionCurrent(seq),
        reached: (seq) => this.events.missionItemReached(seq),
        text: (sev, text) => this.events.statusText(sev, text),
        changeSpeed: (mps) => { this.speedOverrideMps = mps; },
        setYaw: (deg) => { this.yawOverrideDeg = deg; },
        setRoi: (roi) => { this.roi = roi; },
      },
    );
  }

  get frameRef(): LocalFrame {
    return this.frame;
  }

  get timeBootMs(): number {
    return this.nowMs - this.bootMs;
  }

  get missionCurrentSeq(): number {
    return this.executor.currentSeq;
  }

  /** Whether the vehicle is in any failsafe (HEARTBEAT system_status CRITICAL). */
  get inFailsafe(): boolean {
    const f = this.failsafe;
    return f.gcs || f.batteryLow || f.batteryCritical || f.fence || f.ekf || f.thrustLoss;
  }

  // ── inputs from the ground station ──────────────────────────────────────────────────────────

  gcsHeartbeat(): void {
    this.lastGcsHeartbeatMs = this.nowMs;
    if (this.failsafe.gcs) {
      this.failsafe.gcs = false;
      this.events.statusText(Severity.CRITICAL, 'GCS Failsafe Cleared');
    }
  }

  arm(force = false): number {
    if (this.armed) return R.ACCEPTED;
    if (!force && this.params.get('ARMING_CHECK') !== 0) {
      const reason = this.preArmFailure();
      if (reason) {
        this.events.statusText(Severity.CRITICAL, reason);
        return R.FAILED;
      }
    }
    this.armed = true;
    this.armedAtMs = this.nowMs;
    this.hasTakenOff = false;
    this.speedOverrideMps = null;
    // ArduCopter moves home to where it arms.
    if (this.positionOk) this.setHomeHere();
    if (this.mode === CopterMode.GUIDED) this.guided = { kind: 'idle' };
    return R.ACCEPTED;
  }

  disarm(force = false, reason: string | null = null): number {
    if (!this.armed) return R.ACCEPTED;
    if (!force && !this.onGround) return R.FAILED;
    this.armed = false;
    this.guided = { kind: 'idle' };
    if (reason) this.events.statusText(Severity.INFO, reason);
    return R.ACCEPTED;
  }

  setMode(mode: CopterMode, reason: 'gcs' | 'failsafe' = 'gcs'): number {
    // Asking for the current mode changes nothing (a GUIDED target or RTL in progress carries on).
    if (mode === this.mode) return R.ACCEPTED;
    if (modeNeedsPosition(mode) && !this.positionOk && mode !== this.mode) {
      if (reason === 'gcs') this.events.statusText(Severity.WARNING, `Flight mode change failed`);
      return R.FAILED;
    }
    if (mode === CopterMode.AUTO) {
      if (this.missions.items(MissionType.MISSION).length <= 1) {
        if (reason === 'gcs') this.events.statusText(Severity.WARNING, 'Mode change to AUTO failed: no mission');
        return R.FAILED;
      }
      if (this.armed && this.onGround && this.executor.firstNavCommand(1) !== common.MavCmd.NAV_TAKEOFF) {
        this.events.statusText(Severity.CRITICAL, 'Auto: Missing Takeoff Cmd');
        return R.FAILED;
      }
    }
    this.enterMode(mode);
    return R.ACCEPTED;
  }

  takeoff(altitudeM: number): number {
    if (this.mode !== CopterMode.GUIDED || !this.armed) return R.FAILED;
    if (!this.positionOk) {
      this.events.statusText(Severity.CRITICAL, 'Takeoff: Need Position Estimate');
      return R.FAILED;
    }
    if (!this.onGround) return R.FAILED;
    if (!(altitudeM > 0)) return R.FAILED;
    this.guided = {
      kind: 'takeoff',
      altitudeM,
      ctl: new TakeoffController({ northM: this.position.northM, eastM: this.position.eastM, altitudeM }),
    };
    this.hasTakenOff = true;
    return R.ACCEPTED;
  }

  /** SET_POSITION_TARGET_GLOBAL_INT / DO_REPOSITION destination. Returns false when refused. */
  guidedGoTo(target: LatLon | null, altitudeRelM: number | null): boolean {
    if (this.mode !== CopterMode.GUIDED || !this.armed || this.onGround || !this.positionOk) return false;
    const ne = target ? this.frame.toNorthEast(target) : { northM: this.position.northM, eastM: this.position.eastM };
    const dest: Target3d = { ...ne, altitudeM: altitudeRelM ?? this.position.altitudeM };
    if (!this.fence.allows(dest, dest.altitudeM, this.home?.position ?? null)) return false;
    this.guided = { kind: 'goto', target: dest };
    this.yawOverrideDeg = null;
    return true;
  }

  /** MAV_CMD_DO_SET_ROI_LOCATION (null clears it, as DO_SET_ROI_NONE). */
  setRoi(target: LatLon | null): number {
    if (this.mode !== CopterMode.GUIDED && this.mode !== CopterMode.AUTO) return R.FAILED;
    this.roi = target ? this.frame.toNorthEast(target) : null;
    return R.ACCEPTED;
  }

  /** MAV_CMD_CONDITION_YAW: face `angleDeg` (absolute, or relative to the current heading) until the next target. */
  conditionYaw(angleDeg: number, relative: boolean, direction: number): number {
    if (!this.armed || this.onGround || (this.mode !== CopterMode.GUIDED && this.mode !== CopterMode.AUTO)) return R.FAILED;
    const current = this.lastSensors?.yawDeg ?? 0;
    const sign = direction < 0 ? -1 : 1;
    const target = relative ? current + sign * angleDeg : angleDeg;
    this.yawOverrideDeg = ((target % 360) + 360) % 360;
    return R.ACCEPTED;
  }

  reposition(target: LatLon | null, altitudeRelM: number | null, speedMps: number, changeMode: boolean): number {
    if (this.mode !== CopterMode.GUIDED) {
      if (!changeMode) return R.DENIED;
      if (this.setMode(CopterMode.GUIDED) !== R.ACCEPTED) return R.FAILED;
    }
    if (speedMps > 0) this.speedOverrideMps = speedMps;
    return this.guidedGoTo(target, altitudeRelM) ? R.ACCEPTED : R.FAILED;
  }

  changeSpeed(speedType: number, speedMps: number): number {
    if (speedType === 2 || speedType === 3) return R.ACCEPTED; // climb/descent speed: accepted, ignored
    if (speedMps > 0) this.speedOverrideMps = speedMps;
    return R.ACCEPTED;
  }

  missionStart(firstSeq: number): number {
    if (!this.armed) return R.FAILED;
    if (this.missions.items(MissionType.MISSION).length <= 1) return R.FAILED;
    const result = this.setMode(CopterMode.AUTO);
    if (result !== R.ACCEPTED) return result;
    this.executor.start(firstSeq > 0 ? firstSeq : 1);
    return R.ACCEPTED;
  }

  setMissionCurrent(seq: number): boolean {
    const count = this.missions.items(MissionType.MISSION).length;
    if (seq < 1 || seq >= count) return false;
    this.executor.setCurrent(seq);
    return true;
  }

  /** A ground station stored a new list: reload the fence, restart nothing (ArduPilot keeps flying). */
  missionsChanged(type: MissionType): void {
    if (type === MissionType.FENCE) this.fence.load(this.missions.items(MissionType.FENCE), this.frame);
    if (type === MissionType.MISSION) this.params.set('MIS_TOTAL', this.missions.items(MissionType.MISSION).length);
  }

  setHome(latLon: LatLon, amslM: number): void {
    this.home = { latLon, position: this.frame.toNorthEast(latLon), amslM };
    this.events.homeChanged();
  }

  thrustLoss(): void {
    if (this.failsafe.thrustLoss) return;
    this.failsafe.thrustLoss = true;
    this.events.statusText(Severity.EMERGENCY, 'Potential Thrust Loss (1)');
    if (this.armed && !this.onGround) this.enterMode(CopterMode.LAND);
  }

  // ── the tick ────────────────────────────────────────────────────────────────────────────────

  tick(nowMs: number, sensors: SensorInputs): PhysicsCommand {
    this.nowMs = nowMs;
    if (!this.bootReported) {
      this.bootReported = true;
      this.events.statusText(Severity.INFO, `ArduCopter V${ARDUCOPTER_VERSION.major}.${ARDUCOPTER_VERSION.minor}.${ARDUCOPTER_VERSION.patch} (eagle-eye sim)`);
      this.events.statusText(Severity.INFO, 'Frame: QUAD/X');
    }
    this.lastSensors = sensors;
    this.updateEstimate(sensors);
    this.checkFailsafes(sensors);
    this.checkAutoDisarm();
    this.reportPreArm();
    if (!this.armed) {
      this.landedState = this.onGround ? LandedState.ON_GROUND : LandedState.IN_AIR;
      return MOTORS_OFF;
    }

    const out = this.navigate();
    if (!out) {
      this.landedState = this.onGround ? LandedState.ON_GROUND : LandedState.IN_AIR;
      return { motorsOn: true, velNorthMps: 0, velEastMps: 0, velUpMps: 0, yawDeg: null };
    }
    let { velNorthMps, velEastMps } = out.demand;
    if (!this.positionOk) { velNorthMps = 0; velEastMps = 0; }
    const roiDeg = this.roi && horizontalDistanceM(this.position, this.roi) > 2 ? bearingDeg(this.position, this.roi) : null;
    const yawDeg = roiDeg ?? this.yawOverrideDeg ?? out.yawDeg;
    this.landedState = this.onGround ? (out.demand.velUpMps > 0 ? LandedState.TAKEOFF : LandedState.ON_GROUND)
      : out.demand.velUpMps < -0.2 && (this.mode === CopterMode.LAND || this.rtl?.phase === 'land') ? LandedState.LANDING
      : this.guided.kind === 'takeoff' ? LandedState.TAKEOFF : LandedState.IN_AIR;
    return { motorsOn: true, velNorthMps, velEastMps, velUpMps: out.demand.velUpMps, yawDeg };
  }

  private updateEstimate(s: SensorInputs): void {
    const settled = this.nowMs - this.bootMs >= this.options.positionSettleMs;
    const gpsOk = s.gps.fixType >= 3;
    const wasOk = this.positionOk;
    this.positionOk = settled && gpsOk;
    if (this.positionOk && !wasOk && !this.ekfUsedGps) {
      this.ekfUsedGps = true;
      this.events.statusText(Severity.INFO, 'EKF3 IMU0 is using GPS');
    }
    if (gpsOk) {
      this.position = { northM: s.gps.northM, eastM: s.gps.eastM, altitudeM: s.baroAltitudeM };
      this.velocity = { northMps: s.gps.velNorthMps, eastMps: s.gps.velEastMps, upMps: s.gps.velUpMps };
    } else {
      this.position = { ...this.position, altitudeM: s.baroAltitudeM };
    }
    const wasOnGround = this.onGround;
    this.onGround = s.onGround;
    if (this.onGround && !wasOnGround) this.onGroundSinceMs = this.nowMs;
    if (!this.onGround) this.onGroundSinceMs = null;
    if (!this.onGround && this.armed) this.hasTakenOff = true;
    if (this.positionOk && !this.home) this.setHomeHere();
  }

  private setHomeHere(): void {
    const latLon = this.frame.toLatLon(this.position);
    this.setHome(latLon, this.groundAmslM + this.position.altitudeM);
  }

  private preArmFailure(): string | null {
    return preArmFailure({
      mode: this.mode, positionOk: this.positionOk, sensors: this.lastSensors,
      batteryFailsafe: this.battery.level !== 'ok', thrustLoss: this.failsafe.thrustLoss,
      position: this.position, home: this.home?.position ?? null, fence: this.fence, params: this.params,
    });
  }

  /** Like ArduPilot, a disarmed vehicle repeats why it cannot arm every 30 s. */
  private reportPreArm(): void {
    if (this.armed || this.nowMs < this.nextPreArmReportMs) return;
    this.nextPreArmReportMs = this.nowMs + PRE_ARM_REPORT_INTERVAL_MS;
    if (this.params.get('ARMING_CHECK') === 0) return;
    const reason = this.preArmFailure();
    if (reason && reason !== 'PreArm: Mode not armable') this.events.statusText(Severity.CRITICAL, reason);
  }

  private checkAutoDisarm(): void {
    if (!this.armed || !this.onGround || this.onGroundSinceMs === null) return;
    const landedMs = this.nowMs - this.onGroundSinceMs;
    const landingMode = this.mode === CopterMode.LAND || this.mode === CopterMode.RTL || this.mode === CopterMode.AUTO;
    if (this.hasTakenOff && landingMode && landedMs >= 1000) {
      this.disarm(true, 'Disarming: landed');
      return;
    }
    if (this.guided.kind === 'takeoff') return;
    const delayMs = this.params.get('DISARM_DELAY') * 1000;
    const since = Math.max(this.onGroundSinceMs, this.armedAtMs);
    if (delayMs > 0 && this.nowMs - since >= delayMs) this.disarm(true, 'Disarming: auto disarm');
  }

  private checkFailsafes(s: SensorInputs): void {
    const flying = this.armed && !this.onGround;
    // GCS heartbeat
    const fsGcs = this.params.get('FS_GCS_ENABLE');
    if (fsGcs > 0 && this.armed && this.lastGcsHeartbeatMs !== null && !this.failsafe.gcs
        && this.nowMs - this.lastGcsHeartbeatMs > this.params.get('FS_GCS_TIMEOUT') * 1000) {
      this.failsafe.gcs = true;
      this.events.statusText(Severity.CRITICAL, 'GCS Failsafe');
      if (!flying) this.disarm(true);
      else if (!(fsGcs === 2 && this.mode === CopterMode.AUTO)) this.failsafeReturn();
    }
    // Battery
    const level = this.battery.update(this.nowMs, s.battery);
    if (level === 'critical') {
      this.failsafe.batteryCritical = true;
      this.failsafe.batteryLow = true;
      this.events.statusText(Severity.CRITICAL, batteryFailsafeText(level, s.battery));
      this.batteryAction(this.params.get('BATT_FS_CRT_ACT'), flying);
    } else if (level === 'low') {
      this.failsafe.batteryLow = true;
      this.events.statusText(Severity.WARNING, batteryFailsafeText(level, s.battery));
      this.batteryAction(this.params.get('BATT_FS_LOW_ACT'), flying);
    }
    // EKF (position lost in the air)
    if (!this.positionOk && flying) {
      this.positionLostSinceMs ??= this.nowMs;
      if (!this.failsafe.ekf && this.nowMs - this.positionLostSinceMs >= 1000 && this.mode !== CopterMode.STABILIZE) {
        this.failsafe.ekf = true;
        this.events.statusText(Severity.CRITICAL, 'EKF Failsafe: changed to LAND mode');
        if (this.mode !== CopterMode.LAND) this.enterMode(CopterMode.LAND);
      }
    } else if (this.positionOk) {
      this.positionLostSinceMs = null;
      if (this.failsafe.ekf) { this.failsafe.ekf = false; this.events.statusText(Severity.INFO, 'EKF Failsafe Cleared'); }
    }
    // Fence
    if (flying && this.positionOk) {
      const breach = this.fence.check(this.position, this.position.altitudeM, this.home?.position ?? null);
      if (breach !== 'none' && !this.failsafe.fence) {
        this.failsafe.fence = true;
        this.events.statusText(Severity.CRITICAL, `Fence Breached: ${breach}`);
        const action = this.params.get('FENCE_ACTION');
        if (action === 2) this.enterModeIfNot(CopterMode.LAND);
        else if (action !== 0 && this.mode !== CopterMode.LAND && this.mode !== CopterMode.RTL) this.failsafeReturn();
      } else if (breach === 'none' && this.failsafe.fence) {
        this.failsafe.fence = false;
      }
    }
  }

  private batteryAction(action: number, flying: boolean): void {
    if (action === 0) return;
    if (!flying) { if (this.armed) this.disarm(true); return; }
    if (action === 1) this.enterModeIfNot(CopterMode.LAND);
    else if (action === 2 || action === 3 || action === 4) {
      if (this.mode !== CopterMode.LAND) this.failsafeReturn();
    }
  }

  private failsafeReturn(): void {
    if (this.mode === CopterMode.RTL || this.mode === CopterMode.LAND) return;
    if (this.setMode(CopterMode.RTL, 'failsafe') !== R.ACCEPTED) this.enterModeIfNot(CopterMode.LAND);
  }

  private enterModeIfNot(mode: CopterMode): void {
    if (this.mode !== mode) this.enterMode(mode);
  }

  private enterMode(mode: CopterMode): void {
    const here: Target3d = { ...this.position };
    this.mode = mode;
    this.rtl = null;
    this.land = null;
    this.holdTarget = null;
    this.yawOverrideDeg = null;
    this.roi = null;
    switch (mode) {
      case CopterMode.GUIDED:
        this.guided = this.onGround ? { kind: 'idle' } : { kind: 'hold', target: here };
        break;
      case CopterMode.LOITER:
      case CopterMode.BRAKE:
        this.holdTarget = here;
        break;
      case CopterMode.RTL:
        this.rtl = new RtlController();
        break;
      case CopterMode.LAND:
        this.land = new LandController(here);
        break;
      case CopterMode.AUTO: {
        // Resume at the current item (MIS_RESTART 0), or from the top once the mission has finished.
        const count = this.missions.items(MissionType.MISSION).length;
        const seq = this.executor.currentSeq >= 1 && this.executor.currentSeq < count ? this.executor.currentSeq : 1;
        if (this.armed) this.executor.start(seq);
        break;
      }
      default:
        break;
    }
  }

  private navContext(): NavContext {
    const p = this.params;
    const cm = 0.01;
    const wpSpeed = this.speedOverrideMps ?? p.get('WPNAV_SPEED') * cm;
    const limits: SpeedLimits = {
      horizontalMps: wpSpeed,
      upMps: p.get('WPNAV_SPEED_UP') * cm,
      downMps: p.get('WPNAV_SPEED_DN') * cm,
      accelMps2: p.get('WPNAV_ACCEL') * cm,
    };
    const landHigh = (p.get('LAND_SPEED_HIGH') || p.get('WPNAV_SPEED_DN')) * cm;
    const landLow = p.get('LAND_SPEED') * cm;
    const landAltLowM = p.get('LAND_ALT_LOW') * cm;
    const home = this.home?.position ?? { northM: this.position.northM, eastM: this.position.eastM };
    return {
      nowMs: this.nowMs,
      position: this.position,
      onGround: this.onGround,
      limits,
      landSpeedMps: (altM) => (altM > landAltLowM ? landHigh : landLow),
      home: { ...home, altitudeM: 0 },
      rtlAltitudeM: p.get('RTL_ALT') * cm,
      rtlCeilingM: this.fence.maxAltitudeM(),
      rtlLoiterMs: p.get('RTL_LOIT_TIME'),
      rtlSpeedMps: (p.get('RTL_SPEED') || p.get('WPNAV_SPEED')) * cm,
    };
  }

  /** The mode's demand, or null for "motors idling on the ground". */
  private navigate(): NavOutput | null {
    const ctx = this.navContext();
    switch (this.mode) {
      case CopterMode.GUIDED: {
        const g = this.guided;
        if (g.kind === 'idle') return this.onGround ? null : hold(ctx, { ...this.position });
        if (g.kind === 'takeoff') {
          const out = g.ctl.update(ctx);
          if (out.done) this.guided = { kind: 'hold', target: { northM: this.position.northM, eastM: this.position.eastM, altitudeM: g.altitudeM } };
          return out;
        }
        if (g.kind === 'hold') return hold(ctx, g.target);
        const out = hold(ctx, g.target);
        return out;
      }
      case CopterMode.LOITER:
      case CopterMode.BRAKE:
        if (this.onGround) return null;
        return hold(ctx, this.holdTarget ?? { ...this.position });
      case CopterMode.RTL:
        if (this.onGround && !this.hasTakenOff) return null;
        return (this.rtl ??= new RtlController()).update(ctx);
      case CopterMode.LAND:
        if (this.onGround) return null;
        return (this.land ??= new LandController(this.position)).update(ctx);
      case CopterMode.AUTO: {
        this.executor.defaultRadiusM = this.params.get('WPNAV_RADIUS') * 0.01;
        if (this.executor.status === 'complete') {
          if (this.onGround) return null;
          return hold(ctx, this.holdTarget ??= { ...this.position });
        }
        return this.executor.update(ctx);
      }
      case CopterMode.STABILIZE:
      default:
        // No pilot: throttle stick at minimum. Motors spin on the ground; in the air it sinks.
        if (this.onGround) return null;
        return { demand: { velNorthMps: 0, velEastMps: 0, velUpMps: -2.5 }, yawDeg: null, done: false };
    }
  }
}
