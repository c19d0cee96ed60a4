/**
 * The world: one simulated clock and every drone, stepped together at a fixed tick. One timer for
 * the whole world, never one per drone. Time runs either in lockstep (advance by exactly N ms when
 * told, no wall clock) or against the wall clock at `speedup` simulated seconds per wall second.
 */
import { FakeClock, type TimerHandle } from '../server/time/clock.ts';
import type { SimDrone, WindConfig } from './drone.ts';

export interface WorldStats {
  ticks: number;
  /** Wall milliseconds spent inside ticks (all drones). */
  tickWallMs: number;
  /** Real-time mode: how often the world fell more than a second behind and skipped ahead. */
  overruns: number;
}

export class World {
  readonly clock: FakeClock;
  readonly drones: SimDrone[] = [];
  readonly stats: WorldStats = { ticks: 0, tickWallMs: 0, overruns: 0 };
  private readonly startMs: number;
  private tickTimer: TimerHandle | null = null;
  private wallTimer: ReturnType<typeof setInterval> | null = null;

  constructor(startMs: number, readonly tickMs: number, readonly wind: WindConfig) {
    this.clock = new FakeClock(startMs);
    this.startMs = startMs;
    this.tickTimer = this.clock.setInterval(() => this.tick(), tickMs);
  }

  /** Simulated milliseconds since the world began. */
  get elapsedMs(): number {
    return this.clock.nowMs() - this.startMs;
  }

  add(drone: SimDrone): void {
    this.drones.push(drone);
  }

  /** Lockstep: advance simulated time by exactly `ms` (ticks and timers fire on the way). */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /** Real time: simulated time follows the wall clock × speedup. */
  runRealTime(speedup: number): void {
    this.stopRealTime();
    const wallStart = performance.now();
    const simStart = this.elapsedMs;
    const periodMs = Math.max(2, Math.floor(this.tickMs / Math.max(1, speedup)));
    this.wallTimer = setInterval(() => {
      const target = simStart + (performance.now() - wallStart) * speedup;
      let behind = target - this.elapsedMs;
      if (behind > 1000 * Math.max(1, speedup)) {
        // Too far behind to catch up: skip ahead rather than spiral (counted, visible in stats).
        this.stats.overruns++;
        behind = this.tickMs;
      }
      if (behind >= this.tickMs) this.clock.advance(Math.floor(behind / this.tickMs) * this.tickMs);
    }, periodMs);
  }

  stopRealTime(): void {
    if (this.wallTimer) clearInterval(this.wallTimer);
    this.wallTimer = null;
  }

  close(): void {
    this.stopRealTime();
    this.tickTimer?.cancel();
    this.tickTimer = null;
  }

  private tick(): void {
    const t0 = performance.now();
    const nowMs = this.clock.nowMs();
    const dtS = this.tickMs / 1000;
    for (const d of this.drones) d.tick(nowMs, dtS, this.wind);
    this.stats.ticks++;
    this.stats.tickWallMs += performance.now() - t0;
  }
}
