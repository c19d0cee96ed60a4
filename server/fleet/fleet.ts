/**
 * The fleet registry. Frames from every link arrive here; a drone appears on the first HEARTBEAT
 * from an autopilot component (autopilot ≠ INVALID, type ≠ GCS). Vehicles are keyed by
 * (link, remote endpoint, sysid), so more than 255 drones and repeated sysids work.
 * The server is a GCS: sysid 255, compid 190, HEARTBEAT at 1 Hz to every vehicle endpoint.
 */
import { minimal } from 'mavlink-mappings';
import type { Logger } from 'pino';
import { selectAutopilot } from '../autopilots/select.ts';
import type { Drone } from '../contracts/drone.ts';
import { FrameEncoder, type FrameSigner } from '../mavlink/frame-encoder.ts';
import type { Frame } from '../mavlink/frame.ts';
import type { Link, ReceivedFrame } from '../mavlink/links/link.ts';
import { decodeAs } from '../mavlink/message.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';
import { DroneSession } from './drone-session.ts';
import type { DroneEvent, DroneEventHandler } from './events.ts';
import { requestStreams } from './stream-requests.ts';

export const GCS_SYSID = 255;
export const GCS_COMPID = 190;
const MAV_TYPE_GCS = 6;
const MAV_AUTOPILOT_INVALID = 8;
const MAV_STATE_ACTIVE = 4;

export interface FleetOptions {
  clock: Clock;
  logger: Logger;
  /** Link lost after this long without a heartbeat (QGroundControl: 3.5 s). */
  linkLostAfterMs?: number;
  heartbeatIntervalMs?: number;
  commandRetries?: number;
  commandTimeoutMs?: number;
  /** Ask for telemetry streams on discovery and regain (true unless a test says otherwise). */
  requestStreams?: boolean;
  /**
   * The drone's id and call sign for a vehicle key (the store keeps them stable across restarts).
   * Default: E01, E02 … in order of discovery.
   */
  register?: (vehicle: VehicleIdentity, nowMs: number, inUse: (id: string) => boolean) => { id: string; callsign: string };
}

/** How a vehicle is known: its full key, and the same without the remote port. */
export interface VehicleIdentity {
  key: string;
  hostKey: string;
  sysid: number;
}

interface Endpoint {
  link: Link;
  remote: string;
  encoder: FrameEncoder;
}

/**
 * Called when a drone's state changed: after a frame that changed it (with the datagram's receive
 * time), on discovery, on link lost (with the time it was declared). This is the ingest hot path:
 * handlers should only mark something dirty.
 */
export type DroneChangeHandler = (session: DroneSession, receivedAtMs: number) => void;

export interface FleetCounters {
  /** Frames from systems that are not (yet) drones, e.g. other ground stations. */
  framesUnrouted: number;
  dronesDiscovered: number;
}

export class Fleet {
  readonly counters: FleetCounters = { framesUnrouted: 0, dronesDiscovered: 0 };
  private readonly links: Link[] = [];
  private readonly byKey = new Map<string, DroneSession>();
  private readonly byId = new Map<string, DroneSession>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly handlers: DroneEventHandler[] = [];
  private readonly changeHandlers: DroneChangeHandler[] = [];
  private readonly signers = new Map<string, FrameSigner>();
  private readonly timers: TimerHandle[] = [];
  private nextNumber = 1;
  private readonly opts: Required<Omit<FleetOptions, 'register'>>;
  private readonly register: NonNullable<FleetOptions['register']>;

  constructor(opts: FleetOptions) {
    this.opts = {
      linkLostAfterMs: 3500, heartbeatIntervalMs: 1000, commandRetries: 3, commandTimeoutMs: 1000, requestStreams: true,
      ...opts,
    };
    this.register = opts.register ?? (() => {
      const id = `E${String(this.nextNumber++).padStart(2, '0')}`;
      return { id, callsign: id };
    });
  }

  addLink(link: Link, signer?: FrameSigner): void {
    this.links.push(link);
    if (signer) this.signers.set(link.id, signer);
    link.onFrame((received) => this.route(link, received));
  }

  start(): void {
    this.timers.push(this.opts.clock.setInterval(() => this.sendHeartbeats(), this.opts.heartbeatIntervalMs));
    this.timers.push(this.opts.clock.setInterval(() => this.checkLinks(), Math.min(500, this.opts.linkLostAfterMs / 2)));
  }

  async close(): Promise<void> {
    for (const t of this.timers) t.cancel();
    for (const s of this.byKey.values()) s.close();
    await Promise.all(this.links.map((l) => l.close()));
  }

  onEvent(handler: DroneEventHandler): void {
    this.handlers.push(handler);
  }

  /** Emit an event from outside the fleet (e.g. a command's result from the API) to every onEvent handler. */
  publish(event: DroneEvent): void {
    this.emit([event]);
  }

  /** A field the server sets itself (e.g. the drone's task) changed: tell the onChange handlers. */
  touch(session: DroneSession): void {
    this.changed(session, this.opts.clock.nowMs());
  }

  /** State changes of any drone (see DroneChangeHandler). */
  onChange(handler: DroneChangeHandler): void {
    this.changeHandlers.push(handler);
  }

  list(): Drone[] {
    return [...this.byId.values()].map((s) => s.state);
  }

  get(id: string): DroneSession | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  allLinks(): readonly Link[] {
    return this.links;
  }

  /** Resends of commands over all drones (observability). */
  commandRetries(): number {
    let n = 0;
    for (const s of this.byId.values()) n += s.commands.retriesSent;
    return n;
  }

  private emit(events: DroneEvent[]): void {
    for (const e of events) for (const h of this.handlers) h(e);
  }

  private changed(session: DroneSession, atMs: number): void {
    for (let i = 0; i < this.changeHandlers.length; i++) this.changeHandlers[i]!(session, atMs);
  }

  private route(link: Link, { remote, frame, receivedAtMs }: ReceivedFrame): void {
    const key = `${link.id}|${remote}|${frame.sysid}`;
    const session = this.byKey.get(key);
    const events: DroneEvent[] = [];
    if (session) {
      const wasConnected = session.state.connected;
      let changed = session.receive(frame, receivedAtMs, events);
      if (!wasConnected && frame.msgid === minimal.Heartbeat.MSG_ID && frame.compid === session.state.compid) {
        session.state.connected = true;
        session.linkRegained();
        changed = true;
        events.push({ kind: 'link-regained', droneId: session.id, at: new Date(receivedAtMs).toISOString() });
        this.askForStreams(session);
      }
      if (changed && this.changeHandlers.length > 0) this.changed(session, receivedAtMs);
    } else if (!this.discover(link, remote, key, frame, receivedAtMs, events)) {
      this.counters.framesUnrouted++;
    }
    if (events.length > 0) this.emit(events);
  }

  private discover(link: Link, remote: string, key: string, frame: Frame, nowMs: number, events: DroneEvent[]): boolean {
    if (frame.msgid !== minimal.Heartbeat.MSG_ID) return false;
    const hb = decodeAs(frame, minimal.Heartbeat);
    if (hb.autopilot === MAV_AUTOPILOT_INVALID || hb.type === MAV_TYPE_GCS) return false;
    const host = link.id.startsWith('udp:') ? remote.slice(0, remote.lastIndexOf(':')) : remote;
    const { id, callsign } = this.register({ key, hostKey: `${link.id}|${host}|${frame.sysid}`, sysid: frame.sysid }, nowMs, (candidate) => this.byId.has(candidate));
    const session = new DroneSession({
      id, key, link, remote, sysid: frame.sysid, compid: frame.compid, type: hb.type, adapter: selectAutopilot(hb.autopilot),
      encoder: this.endpoint(link, remote).encoder, clock: this.opts.clock, logger: this.opts.logger.child({ droneId: id }),
      commandRetries: this.opts.commandRetries, commandTimeoutMs: this.opts.commandTimeoutMs,
    });
    session.state.callsign = callsign;
    this.byKey.set(key, session);
    this.byId.set(id, session);
    this.counters.dronesDiscovered++;
    session.receive(frame, nowMs, []);
    session.logger.info({ link: link.id, remote, sysid: frame.sysid, compid: frame.compid, autopilot: session.adapter.name }, 'drone discovered');
    events.push({ kind: 'drone-discovered', droneId: id, at: new Date(nowMs).toISOString(), sysid: frame.sysid, link: link.id, remote });
    this.changed(session, nowMs);
    this.askForStreams(session);
    return true;
  }

  private askForStreams(session: DroneSession): void {
    if (!this.opts.requestStreams) return;
    void requestStreams(session).then((how) => {
      this.emit([{ kind: 'streams-requested', droneId: session.id, at: new Date(this.opts.clock.nowMs()).toISOString(), how }]);
    });
  }

  private endpoint(link: Link, remote: string): Endpoint {
    const k = `${link.id}|${remote}`;
    let ep = this.endpoints.get(k);
    if (!ep) {
      ep = { link, remote, encoder: new FrameEncoder({ sysid: GCS_SYSID, compid: GCS_COMPID, signer: this.signers.get(link.id) ?? null }) };
      this.endpoints.set(k, ep);
    }
    return ep;
  }

  private sendHeartbeats(): void {
    for (const ep of this.endpoints.values()) {
      ep.link.send(ep.remote, ep.encoder.encode(minimal.Heartbeat, {
        type: MAV_TYPE_GCS, autopilot: MAV_AUTOPILOT_INVALID, baseMode: 0 as minimal.MavModeFlag, customMode: 0, systemStatus: MAV_STATE_ACTIVE, mavlinkVersion: 3,
      }));
    }
  }

  private checkLinks(): void {
    const now = this.opts.clock.nowMs();
    const events: DroneEvent[] = [];
    for (const s of this.byId.values()) {
      if (s.state.connected && now - s.lastHeartbeatMs > this.opts.linkLostAfterMs) {
        s.state.connected = false;
        s.logger.warn({ silentMs: now - s.lastHeartbeatMs }, 'link lost');
        events.push({ kind: 'link-lost', droneId: s.id, at: new Date(now).toISOString(), lastHeartbeatAt: s.state.lastHeartbeatAt });
        this.changed(s, now);
      }
    }
    this.emit(events);
  }
}
