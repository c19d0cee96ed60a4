/**
 * The hub's backpressure and keepalive on a FakeClock, with a stand-in socket whose buffer the test
 * controls: what a client that is behind gets, what is dropped and counted, when it is closed.
 */
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import type { Drone } from '../../server/contracts/drone.ts';
import type { DroneEvent, DroneEventHandler } from '../../server/fleet/events.ts';
import type { Fleet } from '../../server/fleet/fleet.ts';
import { newDroneState } from '../../server/fleet/drone-state.ts';
import { StreamHub } from '../../server/stream/hub.ts';
import { FakeClock } from '../../server/time/clock.ts';

class FakeSocket extends EventEmitter {
  bufferedAmount = 0;
  readyState = 1;
  readonly CLOSED = 3;
  readonly sent: any[] = [];
  closedWith: { code: number; reason: string } | null = null;
  terminated = false;
  pings = 0;
  send(data: string | Buffer): void { this.sent.push(JSON.parse(String(data))); }
  close(code: number, reason: string): void { this.closedWith = { code, reason }; }
  terminate(): void { this.terminated = true; this.readyState = 3; this.emit('close'); }
  ping(): void { this.pings++; }
  of(type: string): any[] { return this.sent.filter((m) => m.type === type); }
}

function setup(options = {}) {
  const clock = new FakeClock();
  const drone: Drone = newDroneState({ id: 'E01', sysid: 1, compid: 1, autopilot: ardupilotCopter, type: 2, linkId: 'l', remote: 'r', nowMs: clock.nowMs() });
  let onChange: (s: { state: Drone }, at: number) => void = () => undefined;
  let onEvent: DroneEventHandler = () => undefined;
  const fleet = {
    list: () => [drone],
    onChange: (h: typeof onChange) => { onChange = h; },
    onEvent: (h: DroneEventHandler) => { onEvent = h; },
  } as unknown as Fleet;
  const hub = new StreamHub({ fleet, clock, logger: pino({ level: 'silent' }), authenticate: async () => ({ operatorId: 'op_test', role: 'viewer' }), options: { maxBufferedBytes: 1000, slowCloseAfterMs: 2000, maxQueuedEvents: 3, pingIntervalMs: 1000, ...options } });
  const connect = () => {
    const ws = new FakeSocket();
    (hub as any).accept(ws, { operatorId: 'op', role: 'viewer' }, { socket: { remoteAddress: '127.0.0.1', remotePort: 1 } });
    return ws;
  };
  const event = (n: number): DroneEvent => ({ kind: 'statustext', droneId: 'E01', at: new Date(clock.nowMs()).toISOString(), text: `msg ${n}` });
  const move = (altRelM: number) => { drone.position = { lat: 30.5, lon: 114.4, altMslM: 30 + altRelM, altRelM }; onChange({ state: drone }, clock.nowMs()); };
  return { clock, hub, connect, emit: (e: DroneEvent) => onEvent(e), event, move };
}

describe('stream hub backpressure', () => {
  it('holds telemetry and events for a client that is behind, drops the oldest events beyond its queue (counted), then sends the newest state', () => {
    const { clock, hub, connect, emit, event, move } = setup({ slowCloseAfterMs: 60_000 });
    const ws = connect();
    expect(ws.sent.map((m) => m.type)).toEqual(['snapshot']);
    ws.bufferedAmount = 5000; // behind
    for (let i = 1; i <= 50; i++) { move(i); clock.advance(25); }
    for (let i = 1; i <= 5; i++) emit(event(i));
    clock.advance(100);
    expect(ws.sent.map((m) => m.type)).toEqual(['snapshot']);
    const m = hub.metrics().perClient[0]!;
    expect(m.eventsDropped).toBe(2);
    expect(m.telemetrySkipped).toBeGreaterThan(40);

    ws.bufferedAmount = 0; // caught up
    clock.advance(25);
    const after = ws.sent.slice(1);
    expect(after.filter((x) => x.type === 'event').map((x) => x.event.text)).toEqual(['msg 3', 'msg 4', 'msg 5']);
    const telemetry = after.filter((x) => x.type === 'telemetry');
    expect(telemetry).toHaveLength(1);
    expect(telemetry[0].drones[0].position.altRelM).toBe(50);
    expect(hub.counters.eventsDropped).toBe(2);
  });

  it('closes a client that stays behind with 4008 "too slow", and destroys it if it never answers', () => {
    const { clock, hub, connect, move } = setup({ closeGraceMs: 500 }); // it does not answer pings either: not reaped as dead
    const ws = connect();
    ws.bufferedAmount = 5000;
    move(1);
    clock.advance(1900);
    expect(ws.closedWith).toBeNull();
    clock.advance(200);
    expect(ws.closedWith).toEqual({ code: 4008, reason: 'too slow' });
    expect(hub.counters.clientsClosedSlow).toBe(1);
    expect(hub.counters.clientsReapedDead).toBe(0);
    clock.advance(600);
    expect(ws.terminated).toBe(true);
    expect(hub.clientCount).toBe(0);
  });

  it('a client that catches up in time is not closed', () => {
    const { clock, hub, connect, move } = setup();
    const ws = connect();
    ws.bufferedAmount = 5000;
    move(1);
    clock.advance(1500);
    ws.bufferedAmount = 0;
    clock.advance(25);
    ws.bufferedAmount = 5000;
    clock.advance(1500);
    expect(ws.closedWith).toBeNull();
    expect(hub.counters.clientsClosedSlow).toBe(0);
  });

  it('pings every period and reaps a client that did not answer the previous ping', () => {
    const { clock, hub, connect } = setup();
    const alive = connect();
    const dead = connect();
    clock.advance(1000);
    expect(alive.pings).toBe(1);
    alive.emit('pong');
    clock.advance(1000);
    expect(dead.terminated).toBe(true);
    expect(alive.terminated).toBe(false);
    expect(hub.counters.clientsReapedDead).toBe(1);
  });
});
