/**
 * The way home when this server sends a drone home (a task released with no patrol to go back to, a
 * flight stopped half-way, an overwatch drone relieved or dropping out). RTL flies a straight line
 * home, climbing in place to max(its height, its RTL height) first, and knows nothing of the no-fly zones:
 * that line is checked against the airspace first, like every other route the server has a drone fly.
 *
 *   sent home (send)
 *     │ home or position unknown ────────────────────────────────────────────────▶ RTL, unchecked (logged, audited)
 *     ▼
 *   RTL height: the vehicle's (RTL_ALT, RTL_RETURN_ALT; read once per link) or, unread, 15 m assumed
 *     ▼
 *   straight leg (here, at its height → home, at max(its height, RTL height)) ──clear──▶ RTL
 *     │ enters a no-fly zone
 *     ▼
 *   transit round the zones (GUIDED, corner by corner, ending over home) ──arrived──▶ RTL (lands where it is)
 *     │ no way (no path round, home in a zone,          │ its failsafe or a pilot took it (RTL, LAND, or
 *     │ leaves the operating area, out of the band)      │ any mode but guided: flight-guard.ts), link
 *     │                                                  │ lost, a task claimed it, or the server closes
 *     ▼                                                  ▼
 *   RTL anyway, unsafe: the aircraft must come home;     stopped: nothing more is sent
 *   the reason audited, logged and a `geofence-breach`
 *   event for the operators
 *
 * While it transits home and then flies RTL the drone counts as sent home by the server
 * (`sentHomeByServer`): it has no task, so a dispatcher may take it, and the transit stops there.
 * A failsafe that turns it for home meanwhile is the drone's own: the server sends nothing more and
 * no longer counts it as sent home (the dispatchers leave it alone); so is a lost link, in the
 * transit or the RTL. Sending a drone home that is already on its way returns that errand's outcome:
 * nothing is sent twice.
 *
 * The RTL height is the vehicle's own, read from the parameter its adapter names (RTL_ALT on
 * ArduCopter, RTL_RETURN_ALT on PX4: `DroneSession.returnAltitudeM`, once per link) just before the
 * way is checked; when the adapter names none or the vehicle did not answer it is assumed:
 * `assumedRtlAltitudeM` (default 15 m, ArduCopter's RTL_ALT default of 1500 cm and the simulator's).
 * Which one, and the figure, are audited with the errand (`rtlAltitudeM`, `rtlAltitudeFrom:
 * 'vehicle' | 'assumed'`). The leg is checked against every zone that applies anywhere between the drone's height
 * and max(its height, that one).
 *
 * An operator's own RTL (POST /api/drones/:id/commands) is the operator's order and is sent as it is.
 */
import type { Logger } from 'pino';
import type { Airspace, LatLon, RoutePoint } from '../planning/index.ts';
import type { Clock } from '../time/clock.ts';
import type { DroneSession } from './drone-session.ts';
import { executeCommand } from './drone-commands.ts';
import type { Fleet } from './fleet.ts';
import { FlightGuard, HOMEBOUND_MODES } from './flight-guard.ts';
import { flyPath } from './guided-flight.ts';
import type { DroneAction } from './patrols.ts';
import type { TaskBoard } from './task-board.ts';
import { wayTo, type Way } from './transit.ts';

/** ArduCopter's RTL_ALT default (1500 cm), also the simulator's. */
export const DEFAULT_RTL_ALTITUDE_M = 15;

/**
 * The way home (pure): RTL climbs in place to max(here, RTL height), then flies level to home; the
 * leg from here to home at that height is checked, and routed round the no-fly zones when they are in
 * the way (transit.ts `wayTo`).
 */
export function wayHome(here: RoutePoint, home: LatLon, airspace: Airspace, rtlAltitudeM = DEFAULT_RTL_ALTITUDE_M): Way {
  return wayTo(here, { lat: home.lat, lon: home.lon, altitudeM: Math.max(here.altitudeM, rtlAltitudeM) }, airspace);
}

/** How the drone was sent home: straight, round the zones, without a check (home unknown), or knowingly through them. */
export type HomeWay = 'straight' | 'round' | 'unchecked' | 'unsafe';

export type HomeOutcome = { kind: 'rtl'; way: HomeWay; reason?: string } | { kind: 'stopped'; reason: string };

export interface HomeFlight {
  session: DroneSession;
  airspace: Airspace;
  act: DroneAction;
  /** Why the drone goes home (audited as `request.reason`). */
  reason: string;
  /** Still this errand's drone (not claimed by a task): the link, a homebound mode and a pilot's takeover are checked besides (flight-guard.ts). */
  held: () => boolean;
  /** The RTL height when the vehicle's cannot be read (default DEFAULT_RTL_ALTITUDE_M). */
  assumedRtlAltitudeM?: number;
  /** Called once the RTL is about to be sent (the bookkeeping's phase). */
  onRtl?: () => void;
  /** There is no safe way: the drone goes home anyway, and the operators must hear of it. */
  onUnsafe?: (reason: string) => void;
}

/** The RTL height the way home was checked at: the vehicle's own, or assumed when it could not be read. */
export interface RtlHeight {
  rtlAltitudeM: number;
  rtlAltitudeFrom: 'vehicle' | 'assumed';
}

/** The vehicle's RTL height when it has one (read once per link), `assumedM` otherwise. */
export async function rtlHeightOf(session: Pick<DroneSession, 'returnAltitudeM'>, assumedM = DEFAULT_RTL_ALTITUDE_M): Promise<RtlHeight> {
  const read = await session.returnAltitudeM();
  return read !== null ? { rtlAltitudeM: read, rtlAltitudeFrom: 'vehicle' } : { rtlAltitudeM: assumedM, rtlAltitudeFrom: 'assumed' };
}

/** Checks the way home, flies round what is in the way, then RTL; or RTL with the reason when there is no safe way. */
export async function flyHome(c: HomeFlight): Promise<HomeOutcome> {
  const id = c.session.id;
  const guard = new FlightGuard(c.session, c.held);
  const stopped = (): HomeOutcome => ({ kind: 'stopped', reason: guard.stopped('the way home') });
  /** Checked at this RTL height (none when the way could not be checked). */
  let height: RtlHeight | undefined;
  const decide = async (): Promise<{ way: HomeWay; reason?: string; leg?: Way & { kind: 'round' } }> => {
    const s = c.session.state;
    // the height first (a round trip to the vehicle, or the read's timeout), then where the drone is by then
    if (s.armed && !s.landed && s.position && s.home) height ??= await rtlHeightOf(c.session, c.assumedRtlAltitudeM);
    const here = s.position;
    const home = s.home;
    if (!s.armed || s.landed) return { way: 'unchecked', reason: 'the drone is on the ground: RTL, no transit' };
    if (!here || !home || !height) return { way: 'unchecked', reason: `the drone reports no ${here ? 'home' : 'position'}: its way home cannot be checked` };
    const way = wayHome({ lat: here.lat, lon: here.lon, altitudeM: here.altRelM }, home, c.airspace, height.rtlAltitudeM);
    if (way.kind === 'straight') return { way: 'straight' };
    if (way.kind === 'none') return { way: 'unsafe', reason: `no safe way home: ${way.reason}` };
    return { way: 'round', leg: way };
  };
  let d = await decide();
  if (!guard.stillOn()) return stopped();
  if (d.leg) {
    const leg = d.leg;
    try {
      await c.act(id, 'transit-home', { reason: c.reason, altitudeM: leg.altitudeM, path: leg.path, ...height }, (s) => flyPath(s, leg.path, leg.altitudeM, guard, { arriveAtEnd: true }));
    } catch (err) {
      if (!guard.stillOn()) return stopped();
      // the way round failed half-way (a command refused, a corner not reached): from where it is now, RTL
      const now = await decide();
      d = now.way === 'straight' ? now : { way: 'unsafe', reason: `the way round failed (${(err as Error).message}); ${now.reason ?? 'the straight way home from here still enters a no-fly zone'}` };
    }
    if (!guard.stillOn()) return stopped();
  }
  if (d.way === 'unsafe') c.onUnsafe?.(d.reason!);
  c.onRtl?.();
  await c.act(id, 'return-home', { reason: c.reason, way: d.way, ...(d.reason ? { wayReason: d.reason } : {}), ...height }, (s) => executeCommand(s, { type: 'rtl' }));
  return { kind: 'rtl', way: d.way, ...(d.reason ? { reason: d.reason } : {}) };
}

export interface HomeReturnOptions {
  fleet: Pick<Fleet, 'get' | 'onChange' | 'publish'>;
  /** A drone with a task has been taken (a dispatcher redirected it): its way home stops. */
  tasks: Pick<TaskBoard, 'taskOf'>;
  clock: Clock;
  logger: Logger;
  /** Today's airspace, which the way home is checked against. */
  airspace: () => Airspace;
  /** The RTL height when a vehicle's cannot be read (default DEFAULT_RTL_ALTITUDE_M). */
  assumedRtlAltitudeM?: number;
}

/** One sending home: transiting round the zones, or in the RTL the server sent. */
interface Errand {
  phase: 'transit' | 'rtl';
  /** RTL seen in telemetry since the RTL was sent (the mode arrives a heartbeat after the command's ACK). */
  seenRtl: boolean;
  /** What `send` resolves with: a second `send` meanwhile gets the same. */
  outcome: Promise<HomeOutcome>;
}

/**
 * The drones this server sent home, and the sending. Used by the patrol book (a task released with no
 * patrol to go back to, a flight ended with the drone hovering) and by overwatch runs.
 */
export class HomeReturns {
  private readonly errands = new Map<string, Errand>();
  /**
   * Drones a task took while still in the RTL this server sent (a dispatcher redirecting a drone on
   * its way home): that RTL stays the server's, not the drone's own, until the mode changes — the
   * new task's first goto — so the new flight is not stopped by it.
   */
  private readonly redirected = new Set<string>();
  private closed = false;

  constructor(private readonly o: HomeReturnOptions) {
    o.fleet.onChange((session) => this.watch(session));
  }

  /**
   * Sends a flying drone home the safe way (see the diagram). Resolves once the RTL is sent (after
   * the transit, if there is one), or when the way home stopped; rejects when a command failed. A
   * drone already sent home gets that errand's outcome (nothing is sent again).
   */
  send(droneId: string, act: DroneAction, reason: string): Promise<HomeOutcome> {
    const running = this.errands.get(droneId);
    if (running) return running.outcome;
    const session = this.o.fleet.get(droneId);
    if (!session) return Promise.resolve({ kind: 'stopped', reason: `no drone ${droneId}` });
    if (this.closed) return Promise.resolve({ kind: 'stopped', reason: 'the server is closing: nothing was sent' });
    const errand = { phase: 'transit', seenRtl: false } as Errand;
    this.errands.set(droneId, errand);
    errand.outcome = this.run(session, errand, act, reason);
    return errand.outcome;
  }

  /** Server shutdown: every errand is forgotten, so a transit in progress sends nothing more. */
  close(): void {
    this.closed = true;
    this.errands.clear();
    this.redirected.clear();
  }

  private async run(session: DroneSession, errand: Errand, act: DroneAction, reason: string): Promise<HomeOutcome> {
    const droneId = session.id;
    const log = this.o.logger.child({ droneId });
    try {
      const outcome = await flyHome({
        session, airspace: this.o.airspace(), act, reason,
        held: () => this.errands.get(droneId) === errand && !this.o.tasks.taskOf(droneId),
        ...(this.o.assumedRtlAltitudeM !== undefined ? { assumedRtlAltitudeM: this.o.assumedRtlAltitudeM } : {}),
        onRtl: () => { errand.phase = 'rtl'; },
        onUnsafe: (why) => {
          log.error({ reason, why }, 'sending the drone home by RTL through the geofences: there is no safe way');
          this.o.fleet.publish({ kind: 'geofence-breach', droneId, at: new Date(this.o.clock.nowMs()).toISOString(), reason: why, action: 'return-home' });
        },
      });
      if (outcome.kind === 'stopped') this.forget(droneId, errand);
      else if (outcome.way === 'unchecked') log.warn({ reason, why: outcome.reason }, 'sent home by RTL without a check of the way');
      else log.info({ reason, way: outcome.way }, 'sent home');
      return outcome;
    } catch (err) {
      this.forget(droneId, errand);
      throw err;
    }
  }

  /** Transiting home or in RTL because this server sent it home (not its failsafe, not a pilot): a dispatcher may redirect it. */
  sentHomeByServer(droneId: string): boolean {
    return this.errands.has(droneId) || this.redirected.has(droneId);
  }

  private forget(droneId: string, errand: Errand): void {
    if (this.errands.get(droneId) === errand) this.errands.delete(droneId);
  }

  private watch(session: DroneSession): void {
    const s = session.state;
    if (this.redirected.has(session.id) && (!s.armed || !s.connected || s.mode !== 'RTL')) this.redirected.delete(session.id);
    const e = this.errands.get(session.id);
    if (!e) return;
    // claimed by a task in the RTL the server sent: the errand is over, the RTL still the server's
    if (this.o.tasks.taskOf(session.id) && e.phase === 'rtl' && s.armed && s.connected && s.mode === 'RTL') this.redirected.add(session.id);
    // disarmed, claimed by a task, or the link lost (in either phase): the errand is over
    if (!s.armed || !s.connected || this.o.tasks.taskOf(session.id)) return this.forget(session.id, e);
    if (e.phase === 'transit') {
      // its failsafe or a pilot turned it for home or down: that is the drone's own, not ours
      if (HOMEBOUND_MODES.has(s.mode)) this.forget(session.id, e);
      return;
    }
    if (s.mode === 'RTL') e.seenRtl = true;
    else if (e.seenRtl) this.forget(session.id, e);
  }
}
