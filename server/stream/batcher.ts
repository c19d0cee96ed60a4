/**
 * The telemetry batcher: no sockets, no timers, only time passed in, so it is unit-tested with a
 * FakeClock. The fleet marks drones changed (hot path: a flag and a timestamp); each tick turns the
 * changed drones into field versions and adds them to the pending set of every subscriber that sees
 * them; `collect` then builds one telemetry frame per subscriber with, per pending drone that its
 * rate limit lets through, only the fields changed since what that subscriber last got.
 *
 * Pending is a set of drones, not a queue of messages: a subscriber that is behind (or rate-limited)
 * simply gets the newest state of each drone when it can take it. Its memory is bounded by the
 * number of drones, whatever it does.
 */
import type { Drone } from '../contracts/drone.ts';
import { afterSend, rateAllows } from './rate-limit.ts';
import { EVERYTHING, subscribes, type Subscription } from './subscription.ts';
import { TrackedDrone } from './tracked-drone.ts';

/** One client's telemetry state, indexed by TrackedDrone.index. */
export class SubscriberState {
  subscription: Subscription = EVERYTHING;
  /** Version of the drone that this subscriber last got (0: never). */
  readonly lastSent: number[] = [];
  /** GCRA theoretical arrival time per drone (rate-limit.ts). */
  readonly tat: number[] = [];
  /** Receive time of the oldest change not yet sent; NaN when not pending. */
  readonly pendingSince: number[] = [];
  /** The drone matched the subscription when last looked at. */
  readonly inView: boolean[] = [];
  pending: number[] = [];
  /** Drone updates (entries) sent, and frames. */
  updatesSent = 0;
  framesBuilt = 0;
}

/** A frame for one subscriber; `text` is shared by subscribers in step (reuse its encoding). */
export interface TelemetryFrame {
  text: string;
  /** Per entry: receive time of the oldest change it carries (for latency). */
  oldestChangeMs: number[];
  drones: number;
}

interface BuiltFrame {
  entries: string[];
  text: string;
}

export class TelemetryBatcher {
  private readonly byId = new Map<string, TrackedDrone>();
  private readonly drones: TrackedDrone[] = [];
  private dirty: TrackedDrone[] = [];
  private readonly subscribers = new Set<SubscriberState>();
  private readonly counter = { v: 0 };
  /** Frames built during the current tick, to share the text between subscribers in step. */
  private built: BuiltFrame[] = [];

  get size(): number {
    return this.drones.length;
  }

  /** Hot path (called for every frame that changed a drone): mark it, nothing else. */
  markChanged(state: Drone, receivedAtMs: number): void {
    let t = this.byId.get(state.id);
    if (!t) {
      t = new TrackedDrone(state, this.drones.length);
      this.byId.set(state.id, t);
      this.drones.push(t);
    }
    if (!t.dirty) {
      t.dirty = true;
      t.dirtySinceMs = receivedAtMs;
      this.dirty.push(t);
    }
  }

  addSubscriber(): SubscriberState {
    const s = new SubscriberState();
    this.subscribers.add(s);
    return s;
  }

  removeSubscriber(s: SubscriberState): void {
    this.subscribers.delete(s);
  }

  /**
   * Fold the changes since the last tick into versions and hand the changed drones to every
   * subscriber that sees them (or just stopped seeing them: it gets that last update).
   */
  tick(nowMs: number): number {
    this.built = [];
    // nobody listening: leave the changes marked (the next snapshot folds them)
    if (this.subscribers.size === 0) return 0;
    return this.fold(nowMs);
  }

  private fold(nowMs: number): number {
    const dirty = this.dirty;
    if (dirty.length === 0) return 0;
    this.dirty = [];
    let changed = 0;
    for (const t of dirty) {
      t.dirty = false;
      if (!t.refresh(nowMs, this.counter)) continue;
      changed++;
      for (const s of this.subscribers) this.offer(s, t, t.dirtySinceMs);
    }
    return changed;
  }

  /**
   * The snapshot for a subscriber (all drones it sees, as they are now): resets its view so that
   * the following telemetry only carries what changes after this.
   */
  snapshot(s: SubscriberState, nowMs: number, subscription: Subscription = s.subscription): Drone[] {
    this.fold(nowMs); // so that versions match the state the snapshot shows
    s.subscription = subscription;
    for (const i of s.pending) s.pendingSince[i] = NaN;
    s.pending = [];
    const out: Drone[] = [];
    for (const t of this.drones) {
      const sees = subscribes(subscription, t.id, t.state.position);
      s.inView[t.index] = sees;
      if (!sees) continue;
      out.push(t.state);
      s.lastSent[t.index] = t.version;
    }
    return out;
  }

  /**
   * One telemetry frame for this subscriber at `nowMs`, or null when nothing is due. Drones its rate
   * limit holds back stay pending and go with their newest state later.
   */
  collect(s: SubscriberState, nowMs: number): TelemetryFrame | null {
    if (s.pending.length === 0) return null;
    const entries: string[] = [];
    const oldest: number[] = [];
    const keep: number[] = [];
    const maxHz = s.subscription.maxHz;
    for (const i of s.pending) {
      const t = this.drones[i]!;
      if (!rateAllows(s.tat[i] ?? 0, nowMs)) { keep.push(i); continue; }
      const entry = t.entry(s.lastSent[i] ?? 0);
      if (entry !== null) {
        entries.push(entry);
        oldest.push(s.pendingSince[i]!);
        s.tat[i] = afterSend(s.tat[i] ?? 0, nowMs, maxHz);
        s.lastSent[i] = t.version;
      }
      s.pendingSince[i] = NaN;
    }
    s.pending = keep;
    if (entries.length === 0) return null;
    s.updatesSent += entries.length;
    s.framesBuilt++;
    return { text: this.frameText(entries, nowMs), oldestChangeMs: oldest, drones: entries.length };
  }

  private offer(s: SubscriberState, t: TrackedDrone, sinceMs: number): void {
    const i = t.index;
    const sees = subscribes(s.subscription, t.id, t.position);
    const wasInView = s.inView[i] ?? false;
    if (!sees && !wasInView) return;
    if (sees && !wasInView) s.lastSent[i] = 0; // (re)entering the view: the whole drone
    s.inView[i] = sees;
    const since = s.pendingSince[i];
    if (since === undefined || Number.isNaN(since)) {
      s.pendingSince[i] = sinceMs;
      s.pending.push(i);
    }
  }

  private frameText(entries: string[], nowMs: number): string {
    for (const b of this.built) {
      if (b.entries.length !== entries.length) continue;
      let same = true;
      for (let k = 0; k < entries.length; k++) if (b.entries[k] !== entries[k]) { same = false; break; }
      if (same) return b.text;
    }
    const text = `{"type":"telemetry","t":${nowMs},"drones":[${entries.join(',')}]}`;
    if (this.built.length < 4) this.built.push({ entries, text });
    return text;
  }
}
