/**
 * The speaker client's state machine against the simulated speaker, through the real codec, on a
 * FakeClock with a lossy link: retries until acknowledged (resending only what is missing),
 * gives up with a reason, is idempotent by request id, and an urgent request pre-empts.
 */
import { describe, expect, it } from 'vitest';
import { SpeakerState, SpeakerStatus } from '../../server/mavlink/dialects/speaker.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { SpeakerClient } from '../../server/warnings/speaker-client.ts';
import { RecordingChannel } from '../helpers/recording-channel.ts';
import { speechDurationMs } from '../../server/warnings/speech-time.ts';
import type { SpeakerUpdate } from '../../server/warnings/speaker-client.ts';
import { SpeakerHarness } from './speaker-harness.ts';

const ADVISORY_ZH = '请注意，这里是临时停车区，最长停留五分钟。车牌鄂A12345的车辆请尽快驶离。';
const LONG_ZH = '前方道路施工，请各位驾驶员减速慢行，按照现场交通指示牌和工作人员的指挥有序通行，不要随意变道或者停车。'.repeat(6);

describe('speaker client', () => {
  it('on a recording channel: resends every second until QUEUED, then waits; other ids change nothing; one final update', () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel();
    const client = new SpeakerClient({ channel, clock, ackTimeoutMs: 1000, retries: 5 });
    const updates: string[] = [];
    const h = client.speak({ requestId: 77, text: '请保持消防通道畅通。', lang: 'zh-CN', volume: 90, repeat: 1, priority: 'urgent' }, (u) => updates.push(u.state));
    expect(channel.names()).toEqual(['SPEAKER_SPEAK']);
    expect(channel.last('SPEAKER_SPEAK')!.fields).toMatchObject({ targetSystem: 1, targetComponent: 1, requestId: 77, chunkIndex: 0, chunkCount: 1, priority: 1, volume: 90 });
    clock.advance(999);
    expect(channel.count('SPEAKER_SPEAK')).toBe(1);
    clock.advance(1);
    expect(channel.count('SPEAKER_SPEAK')).toBe(2);
    const status = (requestId: number, state: number) => client.handleFrame(channel.fromVehicle(SpeakerStatus, { requestId, state, progress: 0, error: 0, queueLength: 0, chunkMask: 1, durationMs: 2500 }), clock.nowMs());
    status(78, SpeakerState.DONE); // someone else's request
    clock.advance(1000);
    expect(channel.count('SPEAKER_SPEAK')).toBe(3);
    status(77, SpeakerState.QUEUED);
    expect(h.current).toMatchObject({ state: 'queued', acknowledged: true, durationMs: 2500, attempts: 3 });
    clock.advance(2900);
    expect(channel.count('SPEAKER_SPEAK')).toBe(3);
    status(77, SpeakerState.PLAYING);
    status(77, SpeakerState.DONE);
    status(77, SpeakerState.DONE);
    clock.advance(10_000);
    expect(channel.count('SPEAKER_SPEAK')).toBe(3);
    expect(updates).toEqual(['queued', 'playing', 'done']);
    expect(client.active).toBe(0);
  });

  it('resends until the speaker acknowledges, then follows the request to done', () => {
    const h = new SpeakerHarness();
    // the first two transmissions are lost on the way to the speaker
    h.loseToSpeaker = (m) => m.name === 'SPEAKER_SPEAK' && h.sentToSpeaker('SPEAKER_SPEAK').length <= 2;
    const updates: SpeakerUpdate[] = [];
    const handle = h.client.speak({ requestId: 101, text: ADVISORY_ZH, lang: 'zh-CN', volume: 80, repeat: 2, priority: 'normal' }, (u) => updates.push(u));
    h.run(900);
    expect(handle.current.acknowledged).toBe(false);
    h.run(200); // the first resend (at 1 s) is lost too
    expect(handle.current).toMatchObject({ acknowledged: false, attempts: 2 });
    h.run(1000); // the second resend (at 2 s) gets through
    expect(handle.current).toMatchObject({ acknowledged: true, attempts: 3 });
    expect(['queued', 'playing']).toContain(handle.current.state);
    const expected = speechDurationMs(ADVISORY_ZH, 2);
    h.run(expected + 1500);
    expect(handle.current).toMatchObject({ state: 'done', progress: 100, durationMs: expected, error: null });
    expect(updates.map((u) => u.state)).toEqual(expect.arrayContaining(['playing', 'done']));
    expect(updates.filter((u) => u.state === 'done')).toHaveLength(1);
    const [record] = h.speaker.records();
    expect(h.speaker.records()).toHaveLength(1);
    expect(record).toMatchObject({ requestId: 101, text: ADVISORY_ZH, lang: 'zh-CN', repeat: 2, outcome: 'done', durationMs: expected, playedMs: expected });
    expect(record!.position).toEqual({ lat: 30.5, lon: 114.41, altitudeM: 30 });
  });

  it('resends only the chunks the speaker reported missing', () => {
    const h = new SpeakerHarness();
    let first = true;
    h.loseToSpeaker = (m) => first && m.name === 'SPEAKER_SPEAK' && (m.fields.chunkIndex === 1 || m.fields.chunkIndex === 3);
    const handle = h.client.speak({ requestId: 7, text: LONG_ZH, lang: 'zh-CN', volume: 100, repeat: 1, priority: 'normal' });
    const chunkCount = h.sentToSpeaker('SPEAKER_SPEAK')[0]!.fields.chunkCount as number;
    expect(chunkCount).toBeGreaterThanOrEqual(4);
    expect(h.sentToSpeaker('SPEAKER_SPEAK')).toHaveLength(chunkCount);
    first = false;
    h.run(1100);
    const resent = h.sentToSpeaker('SPEAKER_SPEAK').slice(chunkCount).map((m) => m.fields.chunkIndex);
    expect(resent).toEqual([1, 3]);
    expect(handle.current.acknowledged).toBe(true);
    h.run(speechDurationMs(LONG_ZH, 1) + 2000);
    expect(handle.current.state).toBe('done');
    expect(h.speaker.records()[0]!.text).toBe(LONG_ZH);
  });

  it('gives up after its retries with a clear reason when the speaker never answers', async () => {
    const h = new SpeakerHarness({ client: { retries: 3, ackTimeoutMs: 500 } });
    h.speaker.injectFault('unresponsive', h.clock.nowMs());
    const handle = h.client.speak({ requestId: 9, text: 'Please keep the fire lane clear.', lang: 'en', volume: 80, repeat: 1, priority: 'normal' });
    h.run(5000);
    const final = await handle.finished;
    expect(final).toMatchObject({ state: 'failed', error: 'NO_ANSWER', acknowledged: false, attempts: 4 });
    expect(final.reason).toBe('no answer from the loudspeaker after 4 attempts');
    expect(h.sentToSpeaker('SPEAKER_SPEAK')).toHaveLength(4);
  });

  it('is idempotent by request id: duplicates, a resubmission and a lost final status play it once', () => {
    const h = new SpeakerHarness();
    h.duplicate = 3;
    // the speaker's final DONE is lost once: the client asks again and gets it
    let lostDone = false;
    h.loseFromSpeaker = (m) => {
      if (!lostDone && m.fields.state === 3) { lostDone = true; return true; }
      return false;
    };
    const updates: SpeakerUpdate[] = [];
    const req = { requestId: 55, text: 'Temporary stopping area. Please move on.', lang: 'en', volume: 70, repeat: 1, priority: 'normal' as const };
    const a = h.client.speak(req, (u) => updates.push(u));
    const b = h.client.speak(req);
    expect(b.finished).toBe(a.finished);
    expect(h.sentToSpeaker('SPEAKER_SPEAK')).toHaveLength(1);
    h.run(speechDurationMs(req.text, 1) + 6000);
    expect(a.current.state).toBe('done');
    expect(lostDone).toBe(true);
    expect(h.speaker.requestsReceived).toBeGreaterThan(3);
    expect(h.speaker.records()).toHaveLength(1);
    expect(updates.filter((u) => u.state === 'done')).toHaveLength(1);
    // a late duplicate of the finished request is answered with its status and plays nothing
    h.client.speak(req);
    h.run(2000);
    expect(h.speaker.records()).toHaveLength(1);
  });

  it('an urgent request pre-empts what plays; the pre-empted one ends stopped with the reason', async () => {
    const h = new SpeakerHarness();
    const normal = h.client.speak({ requestId: 1, text: LONG_ZH, lang: 'zh-CN', volume: 80, repeat: 1, priority: 'normal' });
    const queued = h.client.speak({ requestId: 2, text: 'Traffic guidance: please use the east exit.', lang: 'en', volume: 80, repeat: 1, priority: 'normal' });
    h.run(3000);
    expect(normal.current.state).toBe('playing');
    expect(queued.current).toMatchObject({ state: 'queued', queueLength: 1 });
    const urgent = h.client.speak({ requestId: 3, text: '紧急通知：请立即从东门撤离。', lang: 'zh-CN', volume: 100, repeat: 2, priority: 'urgent' });
    h.run(200);
    expect(normal.current).toMatchObject({ state: 'stopped', error: 'PREEMPTED', reason: 'pre-empted by an urgent broadcast' });
    expect(urgent.current.state).toBe('playing');
    h.run(speechDurationMs('紧急通知：请立即从东门撤离。', 2) + 500);
    expect(urgent.current.state).toBe('done');
    expect(queued.current.state).toBe('playing');
    h.run(10_000);
    expect((await queued.finished).state).toBe('done');
    const records = h.speaker.records();
    expect(records.map((r) => [r.requestId, r.outcome])).toEqual([[1, 'stopped'], [2, 'done'], [3, 'done']]);
    const first = records.find((r) => r.requestId === 1)!;
    expect(first.playedMs).toBeLessThan(first.durationMs);
    const urgentRecord = records.find((r) => r.requestId === 3)!;
    expect(urgentRecord.startedAtMs!).toBeLessThan(records.find((r) => r.requestId === 2)!.startedAtMs!);
  });

  it('reports a speaker fault as failed with its reason, and stops a request on demand', async () => {
    const h = new SpeakerHarness();
    const a = h.client.speak({ requestId: 11, text: LONG_ZH, lang: 'zh-CN', volume: 80, repeat: 1, priority: 'normal' });
    h.run(1000);
    h.speaker.injectFault('amplifier', h.clock.nowMs(), 5);
    h.run(500);
    expect(a.current).toMatchObject({ state: 'failed', error: 'HARDWARE' });
    expect(a.current.reason).toMatch(/hardware fault/);
    h.run(6000);
    const b = h.client.speak({ requestId: 12, text: LONG_ZH, lang: 'zh-CN', volume: 80, repeat: 1, priority: 'normal' });
    h.run(1000);
    expect(b.current.state).toBe('playing');
    const stopped = h.client.stop(12);
    h.run(500);
    expect(await stopped).toMatchObject({ state: 'stopped', error: 'STOP_REQUESTED' });
    expect(b.current.state).toBe('stopped');
    // an unsupported language fails with a reason naming it
    const c = h.client.speak({ requestId: 13, text: 'Bonjour', lang: 'fr', volume: 80, repeat: 1, priority: 'normal' });
    h.run(200);
    expect(c.current).toMatchObject({ state: 'failed', error: 'UNSUPPORTED_LANGUAGE', reason: 'the loudspeaker has no voice for fr' });
  });

  it('fails an acknowledged request when the speaker goes silent', () => {
    const h = new SpeakerHarness({ client: { statusTimeoutMs: 2000, queries: 2 } });
    const a = h.client.speak({ requestId: 21, text: LONG_ZH, lang: 'zh-CN', volume: 80, repeat: 1, priority: 'normal' });
    h.run(1000);
    expect(a.current.state).toBe('playing');
    h.loseFromSpeaker = () => true;
    h.run(7000);
    expect(a.current).toMatchObject({ state: 'failed', error: 'LOST_CONTACT' });
  });
});
