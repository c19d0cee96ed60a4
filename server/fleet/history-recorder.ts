/**
 * Keeps what happened for later: every fleet event (flushed in batches) and a downsampled track of
 * every flying drone (1 Hz), in the store.
 */
import type { Store, TrackPoint } from '../store/store.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';
import type { DroneEvent } from './events.ts';
import type { Fleet } from './fleet.ts';

export interface HistoryRecorderOptions {
  fleet: Fleet;
  store: Store;
  clock: Clock;
  trackIntervalMs?: number;
  flushIntervalMs?: number;
}

export class HistoryRecorder {
  private pending: DroneEvent[] = [];
  private readonly timers: TimerHandle[] = [];

  constructor(private readonly opts: HistoryRecorderOptions) {
    opts.fleet.onEvent((e) => this.pending.push(e));
    this.timers.push(opts.clock.setInterval(() => this.flushEvents(), opts.flushIntervalMs ?? 500));
    this.timers.push(opts.clock.setInterval(() => this.sampleTracks(), opts.trackIntervalMs ?? 1000));
  }

  flushEvents(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.opts.store.events.append(batch.map(({ kind, droneId, at, ...data }) => ({ kind, droneId: droneId ?? null, at, data })));
  }

  sampleTracks(): void {
    const atMs = this.opts.clock.nowMs();
    const points: TrackPoint[] = [];
    for (const d of this.opts.fleet.list()) {
      if (!d.armed || d.landed || !d.position || !d.connected) continue;
      points.push({ droneId: d.id, atMs, lat: d.position.lat, lon: d.position.lon, altRelM: d.position.altRelM, headingDeg: d.headingDeg, groundSpeedMps: d.groundSpeedMps });
    }
    this.opts.store.tracks.append(points);
  }

  close(): void {
    for (const t of this.timers) t.cancel();
    this.flushEvents();
  }
}
