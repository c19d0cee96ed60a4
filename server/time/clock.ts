/**
 * Time is injected: everything that waits or stamps takes a Clock.
 * SystemClock is the real one; FakeClock advances only when a test says so.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  nowMs(): number;
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  setInterval(fn: () => void, periodMs: number): TimerHandle;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  setTimeout(fn, delayMs) {
    const t = setTimeout(fn, delayMs);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, periodMs) {
    const t = setInterval(fn, periodMs);
    t.unref?.();
    return { cancel: () => clearInterval(t) };
  },
};

interface FakeTimer {
  id: number;
  dueMs: number;
  periodMs: number | null;
  fn: () => void;
}

/** A clock for tests: timers fire in due order while `advance` moves time forward. */
export class FakeClock implements Clock {
  private timeMs: number;
  private timers: FakeTimer[] = [];
  private nextId = 1;

  constructor(startMs = Date.UTC(2026, 10, 29, 10, 0, 0)) {
    this.timeMs = startMs;
  }

  nowMs(): number {
    return this.timeMs;
  }

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.add(fn, delayMs, null);
  }

  setInterval(fn: () => void, periodMs: number): TimerHandle {
    return this.add(fn, periodMs, Math.max(1, periodMs));
  }

  /** Move time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const endMs = this.timeMs + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.dueMs > endMs) break;
      this.timeMs = Math.max(this.timeMs, next.dueMs);
      if (next.periodMs === null) this.remove(next.id);
      else next.dueMs += next.periodMs;
      next.fn();
    }
    this.timeMs = endMs;
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  private add(fn: () => void, delayMs: number, periodMs: number | null): TimerHandle {
    const timer: FakeTimer = { id: this.nextId++, dueMs: this.timeMs + Math.max(0, delayMs), periodMs, fn };
    this.timers.push(timer);
    return { cancel: () => this.remove(timer.id) };
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) if (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.id < best.id)) best = t;
    return best;
  }

  private remove(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
}
