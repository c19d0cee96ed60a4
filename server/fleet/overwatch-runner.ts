/**
 * OverwatchRunner: flies a stored overwatch plan's relief schedule with real drones.
 *
 * Every decision is taken in `step()`, which runs once per `tickMs` on the injected Clock (and
 * at once after a fleet event about one of the run's drones). Time is the Clock's: the event
 * window, launches and the uncovered-time accounting all use it, so a simulation can hand the
 * runner its own simulated clock.
 *
 * Per sortie (one schedule entry, or a replacement for one):
 *
 *   pending ──launchAt due, a drone ready──▶ launching ──upload+start ok──▶ flying ──on station──▶ holding ──relieved / window end──▶ done
 *      ▲                                        │ failed                      │ no take-off,            │ drop-out
 *      └──────────── (another drone, at once) ◀─┴─────────────────────────────┴─ drop-out ◀──────────────┘
 *
 * Per drone:
 *
 *   idle ──launch──▶ launching ──▶ transit ──on station──▶ on-station ──relieved (RTL)──▶ returning ──landed──▶ swapping ──swapS──▶ idle
 *                         │            │                      │                             ▲
 *                         │            └── link lost / low battery / RTL, LAND or landing not asked for / left the station ──┤ (RTL sent
 *                         │                                                                  │  if it can be commanded)
 *                         └── upload or start refused, or never airborne ──▶ failed (out of the run)
 *   link lost ──▶ lost ──link back──▶ returning (RTL) or swapping (on the ground)
 *
 * Per station: uncovered while no connected drone is within its radius at about its altitude
 * (from telemetry), counted only inside the event window. A gap opens (`overwatch-gap-opened`)
 * at the first uncovered sample and closes (`overwatch-gap-closed`, with its seconds) at the
 * next covered one.
 *
 * Handover: the relief arrives on station while the incumbent holds it; only then is the
 * incumbent sent home (RTL). Of several drones on one station, the one flying the latest sortie
 * holds it and the others are sent home.
 *
 * Drop-out: the station the drone was holding (or flying to) gets a replacement sortie at once,
 * flown by the nearest ready spare (idle, connected, on the ground, enough battery, shortest
 * flight time to the station); a drone that can still be commanded is sent home.
 */
import type { Drone } from '../contracts/drone.ts';
import type { MissionItem } from '../contracts/mission.ts';
import type { ScheduleEntry, Station } from '../planning/overwatch.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';
import type { DroneEvent } from './events.ts';
import { distanceM } from './distance.ts';

export type SortieState = 'pending' | 'launching' | 'flying' | 'holding' | 'done' | 'cancelled';
export type RunDroneState = 'idle' | 'launching' | 'transit' | 'on-station' | 'returning' | 'swapping' | 'lost' | 'failed' | 'busy';
export type DropReason = 'link-lost' | 'low-battery' | 'unexpected-rtl' | 'unexpected-landing' | 'landed' | 'left-station' | 'no-takeoff' | 'launch-failed';

/** What the runner needs of the fleet (the real Fleet, or a fake in tests). */
export interface RunnerFleet {
  state(droneId: string): Drone | undefined;
  publish(event: DroneEvent): void;
}

/** What the runner does to drones (audited by the caller). */
export interface RunnerActions {
  /** Upload the station's mission and start it. */
  launch(droneId: string, stationId: string, items: MissionItem[]): Promise<void>;
  /** Return to launch. */
  rtl(droneId: string, reason: string): Promise<void>;
}

export interface RunnerPlan {
  planId: string;
  stations: Station[];
  schedule: ScheduleEntry[];
  window: { start: string; end: string };
  stationMissions: { stationId: string; missionItems: MissionItem[] }[];
  cruiseMps: number;
  climbMps: number;
  swapS: number;
  handoverMarginS: number;
}

export interface RunnerOptions {
  clock: Clock;
  fleet: RunnerFleet;
  actions: RunnerActions;
  plan: RunnerPlan;
  /** Drones of the run: slot k of the schedule is droneIds[k-1] to begin with; the rest are spares. */
  droneIds: string[];
  /** Window start as flown: an ISO time, or 'now' (the first launch is now); default: as planned. */
  startAt?: string;
  tickMs?: number;
  /** Below this a flying drone drops out (default 25, the fleet's low-battery event). */
  lowBatteryPct?: number;
  /** A drone launches only with at least this much (default 90). */
  minLaunchBatteryPct?: number;
  /**
   * The launch sequence (mission upload, arming, start) begins this long before a sortie's
   * launchAt, so that the drone leaves the ground on time (default 30 s).
   */
  launchLeadS?: number;
  /** A drone whose launch (upload or start) failed this often is out of the run (default 3). */
  maxLaunchFailures?: number;
  /** Airborne within this long after the start command, or it never took off (default 30 s). */
  takeoffTimeoutS?: number;
  /** An on-station drone outside its station this long has left it (default 10 s). */
  leaveGraceS?: number;
  /** Altitude band around the station's altitude that counts as on station (default max(5 m, 15 %)). */
  altToleranceM?: number;
  /** Extra hover time written into each mission's loiter beyond the station's time on station (default: the handover margin). */
  extraHoldS?: number;
  onFinished?: () => void;
}

interface Sortie {
  n: number;
  stationId: string;
  slot: number | null;
  launchAtMs: number;
  fromMs: number;
  toMs: number;
  state: SortieState;
  droneId: string | null;
  replacementFor: string | null;
  launchedAtMs: number | null;
  onStationAtMs: number | null;
}

interface RunDrone {
  id: string;
  state: RunDroneState;
  sortie: Sortie | null;
  stationId: string | null;
  readyAtMs: number;
  sinceMs: number;
  outsideSinceMs: number | null;
  wasAirborne: boolean;
  /** Mode changes the runner asked for (RTL) are expected. */
  sentHome: boolean;
  /** Dropped out for something other than a link loss: not flown again in this run once down. */
  grounded: boolean;
  /** Seen airborne in a mode other than RTL/LAND since the launch: only then is an RTL or LAND a drop-out (telemetry may still show the last flight's mode). */
  missionSeen: boolean;
  launchFailures: number;
  reason: string | null;
  sorties: number;
}

interface StationRun {
  station: Station;
  holder: string | null;
  holderSinceMs: number | null;
  covered: boolean;
  coveredMs: number;
  uncoveredMs: number;
  gapStartMs: number | null;
  gapAccumMs: number;
  gaps: { from: string; to: string | null; durationS: number }[];
}

export interface RunLogEntry {
  at: string;
  kind: string;
  droneId?: string;
  stationId?: string;
  detail?: string;
}

export interface RunStatus {
  planId: string;
  state: 'running' | 'finished' | 'stopped';
  window: { start: string; end: string };
  shiftS: number;
  now: string;
  stations: Array<{
    stationId: string; holder: string | null; since: string | null; covered: boolean;
    nextRelief: { launchAt: string; from: string; droneId: string | null; state: SortieState } | null;
    coveredS: number; uncoveredS: number; gaps: { from: string; to: string | null; durationS: number }[];
  }>;
  drones: Array<{ droneId: string; state: RunDroneState; stationId: string | null; sorties: number; batteryPct: number | null; reason: string | null }>;
  sorties: { total: number; done: number; pending: number; replacements: number };
  log: RunLogEntry[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const LOG_MAX = 500;

export class OverwatchRunner {
  readonly planId: string;
  private state: RunStatus['state'] = 'running';
  private readonly o: Required<Omit<RunnerOptions, 'startAt' | 'onFinished'>> & Pick<RunnerOptions, 'onFinished'>;
  private readonly shiftMs: number;
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly sorties: Sortie[];
  private readonly drones = new Map<string, RunDrone>();
  private readonly stations = new Map<string, StationRun>();
  private readonly items = new Map<string, MissionItem[]>();
  private readonly slotDrone = new Map<number, string>();
  private readonly log: RunLogEntry[] = [];
  private timer: TimerHandle | null = null;
  private lastSampleMs: number;
  private nextSortieN: number;
  private stepping = false;

  constructor(opts: RunnerOptions) {
    const p = opts.plan;
    this.o = {
      tickMs: 1000, lowBatteryPct: 25, minLaunchBatteryPct: 90, takeoffTimeoutS: 30, launchLeadS: 30, maxLaunchFailures: 3, leaveGraceS: 10, altToleranceM: -1,
      extraHoldS: p.handoverMarginS, ...opts,
    } as OverwatchRunner['o'];
    this.planId = p.planId;
    const now = opts.clock.nowMs();
    const plannedStart = Date.parse(p.window.start);
    const firstLaunch = Math.min(...p.schedule.map((e) => Date.parse(e.launchAt)));
    if (opts.startAt === undefined) this.shiftMs = 0;
    else if (opts.startAt === 'now') this.shiftMs = now + (opts.launchLeadS ?? 30) * 1000 - firstLaunch;
    else this.shiftMs = Date.parse(opts.startAt) - plannedStart;
    this.startMs = plannedStart + this.shiftMs;
    this.endMs = Date.parse(p.window.end) + this.shiftMs;
    this.lastSampleMs = now;
    this.sorties = p.schedule.map((e, n) => ({
      n, stationId: e.stationId, slot: e.drone, launchAtMs: Date.parse(e.launchAt) + this.shiftMs, fromMs: Date.parse(e.from) + this.shiftMs,
      toMs: Date.parse(e.to) + this.shiftMs, state: 'pending', droneId: null, replacementFor: null, launchedAtMs: null, onStationAtMs: null,
    }));
    this.nextSortieN = this.sorties.length;
    for (const s of p.stations) {
      this.stations.set(s.id, { station: s, holder: null, holderSinceMs: null, covered: false, coveredMs: 0, uncoveredMs: 0, gapStartMs: null, gapAccumMs: 0, gaps: [] });
      const mission = p.stationMissions.find((m) => m.stationId === s.id);
      if (!mission) throw new Error(`plan ${p.planId} has no mission for station ${s.id}`);
      // the loiter holds a little longer than planned: the runner, not the timer, ends the hold
      this.items.set(s.id, mission.missionItems.map((it) => (it.command === 'NAV_LOITER_TIME'
        ? { ...it, params: [Math.round(s.activeS + this.o.extraHoldS), ...(it.params ?? [0, 0, 0, 0]).slice(1)] } : it)));
    }
    opts.droneIds.forEach((id, i) => {
      const st = opts.fleet.state(id);
      this.drones.set(id, { id, state: st && (!st.landed || st.armed) ? 'busy' : 'idle', sortie: null, stationId: null, readyAtMs: now, sinceMs: now, outsideSinceMs: null, wasAirborne: false, sentHome: false, grounded: false, missionSeen: false, launchFailures: 0, reason: null, sorties: 0 });
      this.slotDrone.set(i + 1, id);
    });
  }

  start(): void {
    this.note('run-started', { detail: `window ${iso(this.startMs)} – ${iso(this.endMs)}, ${this.sorties.length} sorties, ${this.drones.size} drones` });
    this.timer = this.o.clock.setInterval(() => this.step(), this.o.tickMs);
    this.step();
  }

  /** A fleet event: re-evaluate at once when it is about one of the run's drones. */
  onEvent(e: DroneEvent): void {
    if (this.state !== 'running' || !e.droneId || !this.drones.has(e.droneId)) return;
    if (['link-lost', 'link-regained', 'low-battery', 'landed', 'airborne', 'mode-changed', 'disarmed'].includes(e.kind)) this.step();
  }

  /** Stop the run: every airborne drone of the run is sent home. */
  stop(): void {
    if (this.state !== 'running') return;
    this.sample();
    this.finish('stopped');
  }

  /** Server shutdown: stop deciding, send nothing (the missions' own loiter time and RTL remain). */
  dispose(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.state === 'running') this.state = 'stopped';
  }

  get running(): boolean {
    return this.state === 'running';
  }

  step(): void {
    if (this.state !== 'running' || this.stepping) return;
    this.stepping = true;
    try {
      const now = this.o.clock.nowMs();
      this.sample();
      for (const d of this.drones.values()) this.watchDrone(d, now);
      this.handovers(now);
      if (now >= this.endMs) {
        this.finish('finished');
        return;
      }
      this.launches(now);
    } finally {
      this.stepping = false;
    }
  }

  status(): RunStatus {
    const now = this.o.clock.nowMs();
    return {
      planId: this.planId, state: this.state, window: { start: iso(this.startMs), end: iso(this.endMs) }, shiftS: Math.round(this.shiftMs / 1000), now: iso(now),
      stations: [...this.stations.values()].map((s) => {
        const next = this.sorties.filter((x) => x.stationId === s.station.id && (x.state === 'pending' || x.state === 'launching' || x.state === 'flying'))
          .sort((a, b) => a.fromMs - b.fromMs)[0];
        return {
          stationId: s.station.id, holder: s.holder, since: s.holderSinceMs === null ? null : iso(s.holderSinceMs), covered: s.covered,
          nextRelief: next ? { launchAt: iso(next.launchAtMs), from: iso(next.fromMs), droneId: next.droneId ?? (next.slot !== null ? this.slotDrone.get(next.slot) ?? null : null), state: next.state } : null,
          coveredS: round1(s.coveredMs / 1000), uncoveredS: round1(s.uncoveredMs / 1000), gaps: s.gaps.map((g) => ({ ...g })),
        };
      }),
      drones: [...this.drones.values()].map((d) => ({
        droneId: d.id, state: d.state, stationId: d.stationId, sorties: d.sorties, batteryPct: this.o.fleet.state(d.id)?.battery.remainingPct ?? null, reason: d.reason,
      })),
      sorties: {
        total: this.sorties.length, done: this.sorties.filter((s) => s.state === 'done').length,
        pending: this.sorties.filter((s) => s.state === 'pending').length, replacements: this.sorties.filter((s) => s.replacementFor !== null).length,
      },
      log: this.log.slice(-100),
    };
  }

  // -------------------------------------------------------------------------------------------
  // Coverage, measured

  private onStation(droneId: string, station: Station): boolean {
    const s = this.o.fleet.state(droneId);
    if (!s || !s.connected || s.landed || !s.position) return false;
    const tol = this.o.altToleranceM >= 0 ? this.o.altToleranceM : Math.max(5, 0.15 * station.altitudeM);
    return distanceM(s.position, station) <= station.radiusM && Math.abs(s.position.altRelM - station.altitudeM) <= tol;
  }

  private coveredBy(station: Station): string[] {
    return [...this.drones.keys()].filter((id) => this.onStation(id, station));
  }

  /** Accumulate covered / uncovered time since the last sample, inside the window. */
  private sample(): void {
    const now = this.o.clock.nowMs();
    const from = Math.max(this.lastSampleMs, this.startMs);
    const to = Math.min(now, this.endMs);
    const dt = Math.max(0, to - from);
    this.lastSampleMs = now;
    for (const s of this.stations.values()) {
      const covered = this.coveredBy(s.station).length > 0;
      // the interval since the last sample is charged to the state seen now (resolution: one tick)
      if (dt > 0) {
        if (covered) s.coveredMs += dt;
        else {
          s.uncoveredMs += dt;
          s.gapAccumMs += dt;
        }
      }
      const inWindow = now > this.startMs && now <= this.endMs;
      if (!covered && s.gapStartMs === null && inWindow) {
        s.gapStartMs = Math.max(this.startMs, now - dt);
        s.gapAccumMs = dt;
        s.gaps.push({ from: iso(s.gapStartMs), to: null, durationS: 0 });
        this.o.fleet.publish({ kind: 'overwatch-gap-opened', droneId: s.holder ?? '', at: iso(now), planId: this.planId, stationId: s.station.id, uncoveredS: round1(s.gapAccumMs / 1000), totalUncoveredS: round1(s.uncoveredMs / 1000) });
        this.note('gap-opened', { stationId: s.station.id });
      } else if (s.gapStartMs !== null && (covered || now >= this.endMs)) {
        this.closeGap(s, now);
      } else if (s.gapStartMs !== null) {
        s.gaps[s.gaps.length - 1]!.durationS = round1(s.gapAccumMs / 1000);
      }
      s.covered = covered;
    }
  }

  private closeGap(s: StationRun, now: number): void {
    const gap = s.gaps[s.gaps.length - 1]!;
    gap.to = iso(Math.min(now, this.endMs));
    gap.durationS = round1(s.gapAccumMs / 1000);
    this.o.fleet.publish({ kind: 'overwatch-gap-closed', droneId: s.holder ?? '', at: iso(now), planId: this.planId, stationId: s.station.id, uncoveredS: gap.durationS, totalUncoveredS: round1(s.uncoveredMs / 1000) });
    this.note('gap-closed', { stationId: s.station.id, detail: `${gap.durationS} s uncovered` });
    s.gapStartMs = null;
    s.gapAccumMs = 0;
  }

  // -------------------------------------------------------------------------------------------
  // Drones

  private watchDrone(d: RunDrone, now: number): void {
    const s = this.o.fleet.state(d.id);
    if (!s) return;
    if (!s.landed) d.wasAirborne = true;
    switch (d.state) {
      case 'idle':
      case 'failed':
        return;
      case 'busy':
        if (s.landed && !s.armed) this.setDrone(d, 'idle', now);
        return;
      case 'swapping':
        if (now >= d.readyAtMs) this.setDrone(d, 'idle', now);
        return;
      case 'lost':
        if (!s.connected) return;
        this.note('link-regained', { droneId: d.id });
        if (s.landed) this.landedHome(d, now);
        else this.sendHome(d, now, 'back after a link loss');
        return;
      case 'returning':
        if (!s.connected) return this.setDrone(d, 'lost', now);
        if (s.landed && !s.armed) this.landedHome(d, now);
        return;
      case 'launching':
        return; // the launch promise moves it on
      case 'transit':
      case 'on-station': {
        const station = this.stations.get(d.stationId!)!.station;
        if (!s.connected) return this.drop(d, now, 'link-lost');
        if (s.battery.remainingPct !== null && s.battery.remainingPct < this.o.lowBatteryPct) return this.drop(d, now, 'low-battery');
        if (!s.landed && s.mode !== 'RTL' && s.mode !== 'LAND') d.missionSeen = true;
        // (until it is seen flying in another mode, the mode may still be the last flight's RTL)
        if (d.missionSeen && s.mode === 'RTL') return this.drop(d, now, 'unexpected-rtl');
        if (d.missionSeen && s.mode === 'LAND') return this.drop(d, now, 'unexpected-landing');
        if (d.state === 'transit') {
          if (s.landed && d.wasAirborne && d.missionSeen) return this.drop(d, now, 'landed');
          if (s.landed && now - d.sinceMs > this.o.takeoffTimeoutS * 1000) return this.drop(d, now, 'no-takeoff');
          if (this.onStation(d.id, station)) this.arrived(d, now);
          return;
        }
        if (s.landed) return this.drop(d, now, 'landed');
        if (this.onStation(d.id, station)) d.outsideSinceMs = null;
        else if (d.outsideSinceMs === null) d.outsideSinceMs = now;
        else if (now - d.outsideSinceMs >= this.o.leaveGraceS * 1000) return this.drop(d, now, 'left-station');
        return;
      }
    }
  }

  private arrived(d: RunDrone, now: number): void {
    const sortie = d.sortie!;
    sortie.state = 'holding';
    sortie.onStationAtMs = now;
    d.outsideSinceMs = null;
    this.setDrone(d, 'on-station', now);
    this.note('on-station', { droneId: d.id, stationId: sortie.stationId, detail: `sortie ${sortie.n}${sortie.replacementFor ? ` (replacing ${sortie.replacementFor})` : ''}` });
  }

  /** Of the drones holding one station, the latest sortie keeps it; the others go home. */
  private handovers(now: number): void {
    for (const st of this.stations.values()) {
      const holding = [...this.drones.values()].filter((d) => d.state === 'on-station' && d.stationId === st.station.id);
      if (holding.length === 0) {
        if (st.holder && this.drones.get(st.holder)?.state !== 'on-station') { st.holder = null; st.holderSinceMs = null; }
        continue;
      }
      holding.sort((a, b) => b.sortie!.fromMs - a.sortie!.fromMs || b.sortie!.n - a.sortie!.n);
      const keeper = holding[0]!;
      if (st.holder !== keeper.id) {
        const before = st.holder;
        st.holder = keeper.id;
        st.holderSinceMs = now;
        this.note('holds', { droneId: keeper.id, stationId: st.station.id, detail: before ? `relieves ${before}` : undefined });
      }
      for (const d of holding.slice(1)) {
        d.sortie!.state = 'done';
        this.note('relieved', { droneId: d.id, stationId: st.station.id, detail: `by ${keeper.id}` });
        this.sendHome(d, now, `relieved by ${keeper.id}`);
      }
    }
  }

  private drop(d: RunDrone, now: number, reason: DropReason): void {
    const sortie = d.sortie;
    const stationId = d.stationId;
    d.reason = reason;
    if (reason !== 'link-lost') d.grounded = true;
    this.note('drop-out', { droneId: d.id, stationId: stationId ?? undefined, detail: reason });
    if (sortie) {
      sortie.state = 'cancelled';
      // the station needs someone unless another of the run's drones holds it on a sortie at least as late
      // (a relief that drops out leaves the incumbent, who will go, with nobody to hand over to)
      const st = this.stations.get(sortie.stationId)!;
      const heldByOther = [...this.drones.values()].some((x) => x !== d && x.state === 'on-station' && x.stationId === sortie.stationId && x.sortie!.fromMs >= sortie.fromMs);
      // a later relief already in the air for this station gets there sooner than a fresh launch
      const reliefOnItsWay = [...this.drones.values()].find((x) => x !== d && (x.state === 'transit' || x.state === 'launching') && x.stationId === sortie.stationId && x.sortie!.fromMs >= sortie.fromMs);
      if (reliefOnItsWay && !heldByOther) this.note('relief-on-its-way', { droneId: reliefOnItsWay.id, stationId: sortie.stationId, detail: `no replacement for ${d.id}` });
      if (!heldByOther && !reliefOnItsWay && now < Math.min(this.endMs, sortie.toMs)) {
        const replacement: Sortie = {
          ...sortie, n: this.nextSortieN++, slot: null, launchAtMs: now, state: 'pending', droneId: null, replacementFor: d.id, launchedAtMs: null, onStationAtMs: null,
        };
        this.sorties.push(replacement);
        this.note('replacement-needed', { stationId: st.station.id, detail: `for ${d.id} (${reason})` });
      }
    }
    d.sortie = null;
    if (reason === 'link-lost') return this.setDrone(d, 'lost', now);
    if (reason === 'no-takeoff' || reason === 'launch-failed') return this.setDrone(d, 'failed', now);
    const s = this.o.fleet.state(d.id);
    if (s?.landed && !s.armed) return this.landedHome(d, now);
    // the autopilot may already be on its way down or home; RTL unless it is landing
    if (s?.mode === 'LAND' || s?.mode === 'RTL') return this.setDrone(d, 'returning', now);
    this.sendHome(d, now, reason);
  }

  private sendHome(d: RunDrone, now: number, why: string): void {
    d.sortie = null;
    d.sentHome = true;
    this.setDrone(d, 'returning', now);
    this.o.actions.rtl(d.id, why).catch((err: Error) => this.note('rtl-failed', { droneId: d.id, detail: err.message }));
  }

  private landedHome(d: RunDrone, now: number): void {
    d.sortie = null;
    d.stationId = null;
    d.wasAirborne = false;
    if (d.grounded) return this.setDrone(d, 'failed', now);
    d.readyAtMs = now + this.o.plan.swapS * 1000;
    this.setDrone(d, 'swapping', now);
  }

  private setDrone(d: RunDrone, state: RunDroneState, now: number): void {
    if (d.state === state) return;
    d.state = state;
    d.sinceMs = now;
    if (state === 'idle' || state === 'swapping') d.stationId = null;
  }

  // -------------------------------------------------------------------------------------------
  // Launches

  private ready(d: RunDrone): boolean {
    if (d.state !== 'idle') return false;
    const s = this.o.fleet.state(d.id);
    return !!s && s.connected && s.landed && !s.armed && s.position !== null && (s.battery.remainingPct ?? 0) >= this.o.minLaunchBatteryPct;
  }

  private flightTimeS(droneId: string, station: Station): number {
    const s = this.o.fleet.state(droneId)!;
    return distanceM(s.position!, station) / this.o.plan.cruiseMps + station.altitudeM / this.o.plan.climbMps;
  }

  private launches(now: number): void {
    const lead = this.o.launchLeadS * 1000;
    const due = this.sorties.filter((s) => s.state === 'pending' && s.launchAtMs - lead <= now && s.toMs > now).sort((a, b) => a.launchAtMs - b.launchAtMs || a.fromMs - b.fromMs);
    for (const sortie of due) {
      const station = this.stations.get(sortie.stationId)!.station;
      let drone: RunDrone | undefined;
      const mapped = sortie.slot !== null ? this.drones.get(this.slotDrone.get(sortie.slot) ?? '') : undefined;
      if (mapped && this.ready(mapped)) drone = mapped;
      else {
        // nearest ready drone by flight time; drones mapped to a slot due soon are used last
        const candidates = [...this.drones.values()].filter((d) => this.ready(d));
        if (candidates.length === 0) {
          if (!sortie.droneId) this.noteOnce(sortie, 'no-drone-ready', { stationId: sortie.stationId, detail: `sortie ${sortie.n}` });
          continue;
        }
        const slotOf = new Map([...this.slotDrone].map(([slot, id]) => [id, slot]));
        const soonNeeded = (d: RunDrone) => this.sorties.some((x) => x !== sortie && x.state === 'pending' && x.slot !== null && x.slot === slotOf.get(d.id) && x.launchAtMs - now < 5 * 60_000);
        candidates.sort((a, b) => Number(soonNeeded(a)) - Number(soonNeeded(b)) || this.flightTimeS(a.id, station) - this.flightTimeS(b.id, station));
        drone = candidates[0]!;
        if (sortie.slot !== null) {
          // the slot moves to this drone (the one it displaced takes whatever comes next)
          this.slotDrone.set(sortie.slot, drone.id);
        }
      }
      this.launch(sortie, drone, now);
    }
  }

  private readonly noted = new Set<string>();
  private noteOnce(sortie: Sortie, kind: string, e: Omit<RunLogEntry, 'at' | 'kind'>): void {
    const key = `${sortie.n}:${kind}`;
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.note(kind, e);
  }

  private launch(sortie: Sortie, d: RunDrone, now: number): void {
    sortie.state = 'launching';
    sortie.droneId = d.id;
    sortie.launchedAtMs = now;
    d.sortie = sortie;
    d.stationId = sortie.stationId;
    d.sentHome = false;
    d.reason = null;
    d.wasAirborne = false;
    d.missionSeen = false;
    d.sorties++;
    this.setDrone(d, 'launching', now);
    const late = Math.round((now - sortie.launchAtMs) / 1000 + this.o.launchLeadS);
    this.note('launch', { droneId: d.id, stationId: sortie.stationId, detail: `sortie ${sortie.n}${sortie.replacementFor ? ` replacing ${sortie.replacementFor}` : ''}${late > 1 ? `, ${late} s late` : ''}` });
    this.o.actions.launch(d.id, sortie.stationId, this.items.get(sortie.stationId)!).then(() => {
      if (d.sortie !== sortie || d.state !== 'launching') return;
      sortie.state = 'flying';
      this.setDrone(d, 'transit', this.o.clock.nowMs());
      if (this.state !== 'running') this.sendHome(d, this.o.clock.nowMs(), 'run over');
    }, (err: Error) => {
      if (d.sortie !== sortie) return;
      this.note('launch-failed', { droneId: d.id, stationId: sortie.stationId, detail: err.message });
      sortie.state = 'pending';
      sortie.droneId = null;
      d.sortie = null;
      d.stationId = null;
      d.sorties--;
      d.launchFailures++;
      // a transfer can fail on a busy link: the drone may try again; after three failures it is out
      if (d.launchFailures >= this.o.maxLaunchFailures) {
        d.reason = 'launch-failed';
        this.setDrone(d, 'failed', this.o.clock.nowMs());
      } else this.setDrone(d, 'idle', this.o.clock.nowMs());
      if (this.state === 'running') this.step();
    });
  }

  // -------------------------------------------------------------------------------------------

  private finish(state: 'finished' | 'stopped'): void {
    const now = this.o.clock.nowMs();
    for (const s of this.stations.values()) if (s.gapStartMs !== null) this.closeGap(s, now);
    this.state = state;
    this.timer?.cancel();
    this.timer = null;
    for (const x of this.sorties) if (x.state === 'pending') x.state = 'cancelled';
    for (const d of this.drones.values()) {
      if (d.state === 'transit' || d.state === 'on-station') {
        if (d.sortie) d.sortie.state = 'done';
        this.sendHome(d, now, state === 'finished' ? 'event over' : 'run stopped');
      }
    }
    this.note(state === 'finished' ? 'run-finished' : 'run-stopped', {
      detail: [...this.stations.values()].map((s) => `${s.station.id}: ${round1(s.coveredMs / 1000)} s covered, ${round1(s.uncoveredMs / 1000)} s uncovered`).join('; '),
    });
    this.o.onFinished?.();
  }

  private note(kind: string, e: Omit<RunLogEntry, 'at' | 'kind'> = {}): void {
    const entry: RunLogEntry = { at: iso(this.o.clock.nowMs()), kind };
    if (e.droneId) entry.droneId = e.droneId;
    if (e.stationId) entry.stationId = e.stationId;
    if (e.detail) entry.detail = e.detail;
    this.log.push(entry);
    if (this.log.length > LOG_MAX) this.log.shift();
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
