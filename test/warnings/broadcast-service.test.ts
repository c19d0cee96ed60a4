/**
 * BroadcastService on a FakeClock with an in-memory link: it finds the speaker from its HEARTBEAT,
 * refuses with NO_SPEAKER / OUT_OF_RANGE / LINK_LOST and the reason, follows a broadcast through
 * the speaker's statuses into the store, and marks broadcasts a restart interrupted as failed.
 */
import { common, minimal } from 'mavlink-mappings';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { DroneEvent } from '../../server/fleet/events.ts';
import { Fleet } from '../../server/fleet/fleet.ts';
import { SpeakerPlayClip, SpeakerSpeak, SpeakerState, SpeakerStatus } from '../../server/mavlink/dialects/speaker.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import { openSqliteStore } from '../../server/store/sqlite-store.ts';
import type { Store, StoredBroadcast } from '../../server/store/store.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { MemoryLink } from '../helpers/memory-link.ts';
import { BroadcastService } from '../../server/warnings/broadcast-service.ts';

const HOME = { lat: 30.4987, lon: 114.4123 };

function setup(store: Store = openSqliteStore(':memory:')) {
  const clock = new FakeClock();
  const logger = pino({ level: 'silent' });
  const fleet = new Fleet({ clock, logger, requestStreams: false });
  const link = new MemoryLink(clock);
  fleet.addLink(link);
  const autopilot = new FrameEncoder({ sysid: 7, compid: 1 });
  const speakerEnc = new FrameEncoder({ sysid: 7, compid: 25 });
  const heartbeat = () => link.deliver(autopilot.encode(minimal.Heartbeat, { type: 2, autopilot: 3, baseMode: 0 as minimal.MavModeFlag, customMode: 0, systemStatus: 3, mavlinkVersion: 3 }));
  const speakerBeat = () => link.deliver(speakerEnc.encode(minimal.Heartbeat, { type: 18, autopilot: 8, baseMode: 0 as minimal.MavModeFlag, customMode: 0, systemStatus: 4, mavlinkVersion: 3 }));
  const position = (lat: number, lon: number) => link.deliver(autopilot.encode(common.GlobalPositionInt, { lat: Math.round(lat * 1e7), lon: Math.round(lon * 1e7), alt: 30_000, relativeAlt: 30_000 }));
  const status = (requestId: number, state: number, extra: Record<string, unknown> = {}) => link.deliver(speakerEnc.encode(SpeakerStatus, { requestId, state, progress: 0, error: 0, queueLength: 0, chunkMask: 1, durationMs: 4000, ...extra }));
  heartbeat();
  const service = new BroadcastService({ fleet, store, clock, logger, audibleRangeM: 150 });
  const session = fleet.get('E01')!;
  return { clock, fleet, link, store, service, session, heartbeat, speakerBeat, position, status };
}

describe('broadcast service', () => {
  it('finds the speaker by its HEARTBEAT, sends the text to it and stores every state until done', async () => {
    const t = setup();
    expect(() => t.service.broadcast(t.session, { template: 'no-parking', lang: 'zh-CN' }, 'li.wei')).toThrow(/has no loudspeaker/);
    t.speakerBeat();
    expect(t.session.state.components).toContainEqual({ compid: 25, type: 'loudspeaker' });
    const updates: StoredBroadcast[] = [];
    t.service.onUpdate((b) => updates.push(b));
    const events: DroneEvent[] = [];
    t.fleet.onEvent((e) => { if (e.kind === 'broadcast') events.push(e); });
    const started = t.service.broadcast(t.session, { template: 'no-parking', params: { plate: '鄂A12345' }, lang: 'zh-CN', repeat: 2 }, 'li.wei');
    expect(started.broadcast).toMatchObject({ id: 'B1', state: 'queued', text: '此处禁止停车。请鄂A12345立即驶离，违者将依法处理。', repeat: 2, operator: 'li.wei', priority: 'normal' });
    const speak = t.link.sent.filter((f) => f.msgid === SpeakerSpeak.MSG_ID).map((f) => decodeAs(f, SpeakerSpeak));
    expect(speak).toHaveLength(1);
    expect(speak[0]).toMatchObject({ targetSystem: 7, targetComponent: 25, requestId: started.broadcast.requestId, lang: 'zh-CN', repeat: 2, text: started.broadcast.text, volume: 80 });
    const id = started.broadcast.requestId;
    t.status(id, SpeakerState.QUEUED);
    t.clock.advance(100);
    t.status(id, SpeakerState.PLAYING, { progress: 40 });
    expect(t.store.broadcasts.get('B1')).toMatchObject({ state: 'playing', progress: 40, durationMs: 4000, startedAt: expect.any(String) });
    t.clock.advance(2000);
    t.status(id, SpeakerState.DONE, { progress: 100 });
    const final = await started.finished;
    expect(final).toMatchObject({ state: 'done', progress: 100, reason: null, endedAt: new Date(t.clock.nowMs()).toISOString() });
    expect(updates.map((u) => u.state)).toEqual(['queued', 'playing', 'done']);
    expect(events.map((e) => [e.droneId, e.id, e.state])).toEqual([['E01', 'B1', 'queued'], ['E01', 'B1', 'playing'], ['E01', 'B1', 'done']]);
  });

  it('a server stopping while a broadcast plays records it failed, then leaves the closed store alone', async () => {
    const t = setup();
    t.speakerBeat();
    const started = t.service.broadcast(t.session, { text: '请勿在此停留', lang: 'zh-CN' }, 'li.wei');
    t.status(started.broadcast.requestId, SpeakerState.PLAYING, { progress: 20 });
    t.service.close(); // as the server stops: the service first, then the store
    t.store.close();
    const final = await started.finished; // resolves: it does not read the closed store
    expect(final).toMatchObject({ id: started.broadcast.id, state: 'failed' });
    t.status(started.broadcast.requestId, SpeakerState.DONE, { progress: 100 }); // a late status changes nothing
    expect(() => t.clock.advance(60_000)).not.toThrow(); // nor does a timer left running
  });

  it('refuses with the reason: speaker gone silent, target out of range or position unknown, link lost', () => {
    const t = setup();
    t.speakerBeat();
    const target = { lat: HOME.lat + 200 / 111_320, lon: HOME.lon };
    expect(() => t.service.broadcast(t.session, { text: 'hi', lang: 'en', target }, 'x')).toThrow(/position is unknown/);
    t.position(HOME.lat, HOME.lon);
    try {
      t.service.broadcast(t.session, { text: 'hi', lang: 'en', target }, 'x');
      expect.unreachable();
    } catch (err: any) {
      expect(err.code).toBe('OUT_OF_RANGE');
      expect(err.details).toMatchObject({ rangeM: 150 });
      expect(err.details.distanceM).toBeGreaterThanOrEqual(199);
      expect(err.message).toMatch(/beyond the loudspeaker's audible range of 150 m/);
    }
    expect(t.service.broadcast(t.session, { text: 'hi', lang: 'en', target: { lat: HOME.lat + 100 / 111_320, lon: HOME.lon } }, 'x').broadcast.state).toBe('queued');
    expect(() => t.service.broadcast(t.session, { text: 'hi', template: 'no-parking', lang: 'en' }, 'x')).toThrow(/give one of/);
    const clip = t.service.broadcast(t.session, { clip: 2, lang: 'zh-CN', repeat: 3, priority: 'urgent' }, 'x');
    expect(clip.broadcast).toMatchObject({ clipId: 2, text: '', priority: 'urgent' });
    const played = t.link.sent.filter((f) => f.msgid === SpeakerPlayClip.MSG_ID).map((f) => decodeAs(f, SpeakerPlayClip));
    expect(played).toEqual([expect.objectContaining({ requestId: clip.broadcast.requestId, clipId: 2, repeat: 3, priority: 1, targetComponent: 25 })]);
    t.clock.advance(6000);
    t.heartbeat();
    expect(() => t.service.broadcast(t.session, { text: 'hi', lang: 'en' }, 'x')).toThrow(/loudspeaker has been silent since/);
    t.session.state.connected = false;
    expect(() => t.service.broadcast(t.session, { text: 'hi', lang: 'en' }, 'x')).toThrow(/link is lost/);
  });

  it('marks broadcasts left queued or playing by a restart as failed', () => {
    const store = openSqliteStore(':memory:');
    store.broadcasts.create({
      droneId: 'E01', operator: 'x', at: '2026-11-29T09:00:00.000Z', template: null, clipId: null, params: null, text: 'hi', lang: 'en', voice: 0, volume: 80, repeat: 1,
      priority: 'normal', target: null, requestId: 5, state: 'playing', progress: 30, durationMs: 2000, reason: null, startedAt: null, endedAt: null,
    });
    setup(store);
    expect(store.broadcasts.get('B1')).toMatchObject({ state: 'failed', reason: 'the server restarted before the broadcast finished' });
  });
});
