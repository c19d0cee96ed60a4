/**
 * A fake fleet for the overwatch runner on a FakeClock: kinematic drones (climb, straight transit,
 * hover, RTL, descend, disarm), the runner's actions recorded with their times, and named failure
 * modes (never takes off, link lost, low battery).
 */
import type { Drone } from '../../server/contracts/drone.ts';
import type { MissionItem } from '../../server/contracts/mission.ts';
import type { DroneEvent } from '../../server/fleet/events.ts';
import type { RunnerActions, RunnerFleet } from '../../server/fleet/overwatch-runner.ts';
import type { FakeClock } from '../../server/time/clock.ts';

const M = 111_320;

interface Body {
  state: Drone;
  home: { lat: number; lon: number };
  target: { lat: number; lon: number; alt: number } | null;
  holdS: number;
  arrivedAtMs: number | null;
  neverTakesOff: boolean;
  drainPctPerS: number;
}

export interface ActionRecord {
  atMs: number;
  kind: 'launch' | 'rtl';
  droneId: string;
  stationId?: string;
  reason?: string;
}

export class FakeWorld {
  readonly events: DroneEvent[] = [];
  readonly actions: ActionRecord[] = [];
  readonly bodies = new Map<string, Body>();

  constructor(private readonly clock: FakeClock, private readonly speeds: { cruiseMps: number; climbMps: number; descentMps: number }) {
    clock.setInterval(() => this.physics(0.25), 250);
  }

  addDrone(id: string, at: { lat: number; lon: number }, drainPctPerS = 0.05): void {
    const state = {
      id, connected: true, armed: false, landed: true, mode: 'STABILIZE',
      position: { lat: at.lat, lon: at.lon, altMslM: 20, altRelM: 0 }, battery: { remainingPct: 100, voltageV: 25, currentA: 0 },
    } as unknown as Drone;
    this.bodies.set(id, { state, home: { ...at }, target: null, holdS: 0, arrivedAtMs: null, neverTakesOff: false, drainPctPerS });
  }

  state(id: string): Drone {
    return this.bodies.get(id)!.state;
  }

  // failure modes
  neverTakesOff(id: string): void {
    this.bodies.get(id)!.neverTakesOff = true;
  }
  loseLink(id: string): void {
    this.bodies.get(id)!.state.connected = false;
  }
  lowBattery(id: string, pct = 20): void {
    this.bodies.get(id)!.state.battery.remainingPct = pct;
  }

  fleet(): RunnerFleet {
    return {
      state: (id) => this.bodies.get(id)?.state,
      publish: (e) => this.events.push(e),
    };
  }

  runnerActions(): RunnerActions {
    return {
      launch: async (droneId, stationId, items: MissionItem[]) => {
        this.actions.push({ atMs: this.clock.nowMs(), kind: 'launch', droneId, stationId });
        const b = this.bodies.get(droneId)!;
        const loiter = items.find((i) => i.command === 'NAV_LOITER_TIME')!;
        b.state.armed = true;
        b.state.mode = 'AUTO';
        b.arrivedAtMs = null;
        b.holdS = loiter.params![0]!;
        b.target = b.neverTakesOff ? null : { lat: loiter.lat!, lon: loiter.lon!, alt: loiter.altitudeM! };
      },
      rtl: async (droneId, reason) => {
        this.actions.push({ atMs: this.clock.nowMs(), kind: 'rtl', droneId, reason });
        const b = this.bodies.get(droneId)!;
        b.state.mode = 'RTL';
        b.target = { ...b.home, alt: -1 };
      },
    };
  }

  launches(): ActionRecord[] {
    return this.actions.filter((a) => a.kind === 'launch');
  }

  private physics(dt: number): void {
    for (const b of this.bodies.values()) {
      const s = b.state;
      if (!s.landed) s.battery.remainingPct = Math.max(0, (s.battery.remainingPct ?? 100) - b.drainPctPerS * dt);
      if (!b.target || !s.position) continue;
      const p = s.position;
      const t = b.target;
      const cruiseAlt = t.alt < 0 ? Math.max(p.altRelM, 30) : t.alt;
      const dN = (t.lat - p.lat) * M;
      const dE = (t.lon - p.lon) * M * Math.cos((p.lat * Math.PI) / 180);
      const d = Math.hypot(dN, dE);
      if (p.altRelM < cruiseAlt - 0.01 && d > 0.5) {
        p.altRelM = Math.min(cruiseAlt, p.altRelM + this.speeds.climbMps * dt);
        if (s.landed) s.landed = false;
        continue;
      }
      if (d > 0.5) {
        const step = Math.min(d, this.speeds.cruiseMps * dt);
        p.lat += (dN / d) * step / M;
        p.lon += (dE / d) * step / (M * Math.cos((p.lat * Math.PI) / 180));
        continue;
      }
      if (t.alt >= 0) {
        // on the station: hover for the loiter time, then the mission's RTL (mode stays AUTO)
        if (b.arrivedAtMs === null) b.arrivedAtMs = this.clock.nowMs();
        if (this.clock.nowMs() - b.arrivedAtMs >= b.holdS * 1000) b.target = { ...b.home, alt: -1 };
        continue;
      }
      // home: descend, land, disarm
      p.altRelM = Math.max(0, p.altRelM - this.speeds.descentMps * dt);
      if (p.altRelM === 0) {
        s.landed = true;
        s.armed = false;
        b.target = null;
        s.battery.remainingPct = 100; // the crew swaps the battery (the runner still waits its swap time)
      }
    }
  }
}
