/**
 * AUTO mode's mission executor. Walks the stored mission from `currentSeq`: DO commands run as
 * they are reached, NAV commands run until complete. DO_JUMP keeps a per-item count as ArduPilot
 * does (repeat = extra passes; −1 forever). Item 0 is home and is never executed.
 *
 *   start(seq) ─▶ [advance: run DO items / jump] ─▶ [NAV item running] ─done─▶ advance ─▶ … ─▶ complete
 */
import { common } from 'mavlink-mappings';
import type { LocalFrame, NorthEast } from '../geo.ts';
import type { Target3d } from './guidance.ts';
import type { MissionItem } from './mission-item.ts';
import { goTo, hold, LandController, OrbitController, RtlController, TakeoffController, type NavContext, type NavOutput } from './nav.ts';

const Cmd = common.MavCmd;

export interface MissionEvents {
  currentChanged(seq: number): void;
  reached(seq: number): void;
  text(severity: number, text: string): void;
  changeSpeed(speedMps: number): void;
  setYaw(yawDeg: number | null): void;
  /** DO_SET_ROI_LOCATION (null: DO_SET_ROI_NONE or a 0,0 location). */
  setRoi(roi: NorthEast | null): void;
}

export interface MissionGeometry {
  frame: LocalFrame;
  homeAmslM: number;
}

const NAV_COMMANDS = new Set<number>([
  Cmd.NAV_WAYPOINT, Cmd.NAV_LOITER_UNLIM, Cmd.NAV_LOITER_TURNS, Cmd.NAV_LOITER_TIME, Cmd.NAV_RETURN_TO_LAUNCH,
  Cmd.NAV_LAND, Cmd.NAV_TAKEOFF,
]);

export function isNavCommand(command: number): boolean {
  return NAV_COMMANDS.has(command);
}

type Running =
  | { kind: 'goto'; target: Target3d; radiusM: number; holdMs: number; reachedAtMs: number | null }
  | { kind: 'loiter-time'; target: Target3d; holdMs: number; reachedAtMs: number | null }
  | { kind: 'loiter-unlim'; target: Target3d; reached: boolean }
  | { kind: 'turns'; orbit: OrbitController; center: Target3d; turns: number; arrived: boolean }
  | { kind: 'takeoff'; ctl: TakeoffController }
  | { kind: 'land'; target: Target3d; ctl: LandController | null }
  | { kind: 'rtl'; ctl: RtlController };

export type MissionStatus = 'running' | 'complete';

export class MissionExecutor {
  currentSeq = 1;
  private running: Running | null = null;
  private readonly jumpsTaken = new Map<number, number>();
  status: MissionStatus = 'running';

  constructor(private readonly items: () => readonly MissionItem[], private readonly geometry: () => MissionGeometry, private readonly events: MissionEvents) {}

  /** The first NAV command at or after `seq`, ignoring DO items (to check "Missing Takeoff Cmd"). */
  firstNavCommand(seq: number): number | null {
    const items = this.items();
    for (let i = Math.max(1, seq); i < items.length; i++) if (isNavCommand(items[i]!.command)) return items[i]!.command;
    return null;
  }

  start(seq: number): void {
    this.jumpsTaken.clear();
    this.running = null;
    this.status = 'running';
    this.setCurrent(Math.max(1, seq));
  }

  /** MISSION_SET_CURRENT while running: restart at that item. */
  setCurrent(seq: number): void {
    this.currentSeq = seq;
    this.running = null;
    this.events.currentChanged(seq);
  }

  update(ctx: NavContext): NavOutput {
    for (let guard = 0; guard < 64 && this.status === 'running'; guard++) {
      if (!this.running) {
        if (!this.begin(ctx)) continue;
      }
      const out = this.run(ctx, this.running!);
      if (!out.done) return out;
      this.running = null;
      this.setCurrent(this.currentSeq + 1);
    }
    return hold(ctx, { ...ctx.position, altitudeM: ctx.position.altitudeM });
  }

  /** Set up the item at currentSeq. Returns false when it was a DO item (done at once) or the end. */
  private begin(ctx: NavContext): boolean {
    const items = this.items();
    const item = items[this.currentSeq];
    if (!item) {
      this.status = 'complete';
      this.events.text(6, 'Mission: complete');
      return false;
    }
    if (!isNavCommand(item.command)) {
      this.runDo(item);
      return false;
    }
    this.events.text(6, `Mission: ${item.seq} ${commandLabel(item.command)}`);
    const target = this.targetOf(item, ctx);
    switch (item.command) {
      case Cmd.NAV_WAYPOINT:
        this.running = { kind: 'goto', target, radiusM: item.param2 > 0 ? item.param2 : this.defaultRadiusM, holdMs: Math.max(0, item.param1) * 1000, reachedAtMs: null };
        break;
      case Cmd.NAV_LOITER_TIME:
        this.running = { kind: 'loiter-time', target, holdMs: Math.max(0, item.param1) * 1000, reachedAtMs: null };
        break;
      case Cmd.NAV_LOITER_UNLIM:
        this.running = { kind: 'loiter-unlim', target, reached: false };
        break;
      case Cmd.NAV_LOITER_TURNS: {
        const radiusM = Math.abs(item.param3) || 10;
        this.running = { kind: 'turns', orbit: new OrbitController(target, radiusM, item.param3 >= 0), center: target, turns: Math.max(0, item.param1), arrived: false };
        break;
      }
      case Cmd.NAV_TAKEOFF:
        this.running = { kind: 'takeoff', ctl: new TakeoffController({ northM: ctx.position.northM, eastM: ctx.position.eastM, altitudeM: Math.max(item.z, ctx.position.altitudeM) }) };
        break;
      case Cmd.NAV_LAND:
        this.running = { kind: 'land', target: { ...target, altitudeM: ctx.position.altitudeM }, ctl: item.x === 0 && item.y === 0 ? new LandController(ctx.position) : null };
        break;
      case Cmd.NAV_RETURN_TO_LAUNCH:
        this.running = { kind: 'rtl', ctl: new RtlController() };
        break;
    }
    return true;
  }

  /** WPNAV_RADIUS in metres, set by the copter before each update. */
  defaultRadiusM = 2;

  private run(ctx: NavContext, r: Running): NavOutput {
    switch (r.kind) {
      case 'goto': {
        const out = goTo(ctx, r.target, r.radiusM);
        if (r.reachedAtMs === null && out.done) {
          r.reachedAtMs = ctx.nowMs;
          this.events.reached(this.currentSeq);
        }
        if (r.reachedAtMs === null) return { ...out, done: false };
        if (ctx.nowMs - r.reachedAtMs < r.holdMs) return hold(ctx, r.target);
        return { ...out, done: true };
      }
      case 'loiter-time': {
        const out = goTo(ctx, r.target, 2);
        if (r.reachedAtMs === null && out.done) r.reachedAtMs = ctx.nowMs;
        if (r.reachedAtMs === null) return { ...out, done: false };
        if (ctx.nowMs - r.reachedAtMs < r.holdMs) return hold(ctx, r.target);
        this.events.reached(this.currentSeq);
        return { ...out, done: true };
      }
      case 'loiter-unlim': {
        const out = goTo(ctx, r.target, 2);
        if (!r.reached && out.done) { r.reached = true; this.events.reached(this.currentSeq); }
        return { ...out, done: false };
      }
      case 'turns': {
        const out = r.orbit.update(ctx);
        if (r.orbit.travelledRad >= r.turns * 2 * Math.PI) {
          this.events.reached(this.currentSeq);
          return { ...out, done: true };
        }
        return out;
      }
      case 'takeoff': {
        const out = r.ctl.update(ctx);
        if (out.done) this.events.reached(this.currentSeq);
        return out;
      }
      case 'land': {
        if (!r.ctl) {
          const out = goTo(ctx, r.target, 1);
          if (!out.done) return { ...out, done: false };
          r.ctl = new LandController(r.target);
        }
        const out = r.ctl.update(ctx);
        if (out.done) { this.events.reached(this.currentSeq); this.status = 'complete'; }
        return { ...out, done: false };
      }
      case 'rtl': {
        const out = r.ctl.update(ctx);
        if (out.done) { this.events.reached(this.currentSeq); this.status = 'complete'; }
        return { ...out, done: false };
      }
    }
  }

  private runDo(item: MissionItem): void {
    switch (item.command) {
      case Cmd.DO_JUMP: {
        const repeat = Math.round(item.param2);
        const taken = this.jumpsTaken.get(item.seq) ?? 0;
        if (repeat < 0 || taken < repeat) {
          this.jumpsTaken.set(item.seq, taken + 1);
          this.setCurrent(Math.max(1, Math.round(item.param1)));
          return;
        }
        break;
      }
      case Cmd.DO_CHANGE_SPEED:
        if (item.param2 > 0) this.events.changeSpeed(item.param2);
        break;
      case Cmd.CONDITION_YAW:
        this.events.setYaw(item.param4 === 0 ? item.param1 : null);
        break;
      case Cmd.DO_SET_ROI_LOCATION:
        this.events.setRoi(item.x === 0 && item.y === 0 ? null : this.geometry().frame.toNorthEast({ lat: item.x / 1e7, lon: item.y / 1e7 }));
        break;
      case Cmd.DO_SET_ROI_NONE:
        this.events.setRoi(null);
        break;
      default:
        break;
    }
    this.setCurrent(this.currentSeq + 1);
  }

  private targetOf(item: MissionItem, ctx: NavContext): Target3d {
    const g = this.geometry();
    const here = item.x === 0 && item.y === 0;
    const ne = here ? { northM: ctx.position.northM, eastM: ctx.position.eastM } : g.frame.toNorthEast({ lat: item.x / 1e7, lon: item.y / 1e7 });
    let altitudeM = altitudeRelHomeM(item.frame, item.z, g.homeAmslM);
    const isLoiter = item.command === Cmd.NAV_LOITER_TIME || item.command === Cmd.NAV_LOITER_TURNS || item.command === Cmd.NAV_LOITER_UNLIM;
    if (isLoiter && item.z === 0) altitudeM = ctx.position.altitudeM;
    return { ...ne, altitudeM };
  }
}

/** Altitude relative to home from a MAV_FRAME and its z (AMSL frames subtract home's AMSL height). */
export function altitudeRelHomeM(frame: number, z: number, homeAmslM: number): number {
  const F = common.MavFrame;
  if (frame === F.GLOBAL || frame === F.GLOBAL_INT) return z - homeAmslM;
  return z;
}

function commandLabel(command: number): string {
  const name = (Cmd as unknown as Record<number, string>)[command];
  if (!name) return String(command);
  return name.replace(/^NAV_/, '').split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join('');
}
