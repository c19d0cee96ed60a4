/**
 * Whether a flight the server runs on a drone (to a scene, back to a patrol, home round the no-fly
 * zones) may still send it commands — one rule for all of them, asked before every command:
 *
 * - the caller still holds the drone (its task, its errand; the server is not shutting down);
 * - the link is up;
 * - the drone is not going home or landing on its own (its failsafe, a pilot): never countermanded;
 * - nobody else took it: once the flight has begun (its first goto acknowledged) the drone flies in
 *   the firmware's guided mode (the adapter's `guidedMode`), and each goto would switch it back
 *   there, so any other mode (a pilot's LOITER, POSHOLD, ALT_HOLD ...) ends the flight for good.
 *
 *   waiting ──first goto acknowledged──▶ begun (the mode then noted: its telemetry may lag the ACK)
 *                                          │ guided mode seen          │ a mode neither noted nor guided
 *                                          ▼                           ▼
 *                                        guided ──any other mode──▶ taken (by that mode): nothing more is sent
 */
import type { Drone } from '../contracts/drone.ts';
import type { DroneSession } from './drone-session.ts';

/** The drone is going home or landing (its failsafe, a pilot): the server never countermands that. */
export const HOMEBOUND_MODES: ReadonlySet<string> = new Set(['RTL', 'SMART_RTL', 'AUTO_RTL', 'LAND']);

/** In the air and going home or landing. */
export function homebound(d: Pick<Drone, 'armed' | 'landed' | 'mode'>): boolean {
  return d.armed && !d.landed && HOMEBOUND_MODES.has(d.mode);
}

export class FlightGuard {
  private phase: 'waiting' | 'begun' | 'guided' = 'waiting';
  private modeAtStart = '';
  private taken: string | null = null;

  /**
   * `held`: the caller still has the drone (its task or errand is current). `serverRtl`: the drone's
   * RTL is one this server sent (a dispatcher may redirect a drone it sent home), not its own.
   */
  constructor(private readonly session: Pick<DroneSession, 'state' | 'adapter'>, private readonly held: () => boolean, private readonly serverRtl: () => boolean = () => false) {}

  /** The flight's first goto was acknowledged: from now on another mode means someone else took the drone. */
  begun(): void {
    if (this.phase !== 'waiting') return;
    this.phase = 'begun';
    this.modeAtStart = this.session.state.mode;
    this.takenBy();
  }

  /** The mode that took the drone from the server's flight, or null (looks at the mode now). */
  takenBy(): string | null {
    const guided = this.session.adapter.guidedMode;
    const s = this.session.state;
    if (this.taken || !guided || this.phase === 'waiting' || !s.connected) return this.taken;
    if (s.mode === guided) this.phase = 'guided';
    else if (this.phase === 'guided' || s.mode !== this.modeAtStart) this.taken = s.mode;
    return this.taken;
  }

  /** The flight may send its next command. */
  stillOn(): boolean {
    const s = this.session.state;
    return this.held() && s.connected && !this.homeboundOnItsOwn() && this.takenBy() === null;
  }

  private homeboundOnItsOwn(): boolean {
    const s = this.session.state;
    return homebound(s) && !(s.mode === 'RTL' && this.serverRtl());
  }

  /** `${what} was stopped (why): nothing more was sent`, for the flight's outcome. */
  stopped(what: string): string {
    return `${what} was stopped (${this.why()}): nothing more was sent`;
  }

  private why(): string {
    const s = this.session.state;
    if (!s.connected) return 'link lost';
    if (this.taken && !homebound(s)) return `${this.taken}: someone else took the drone`;
    return s.mode;
  }
}
