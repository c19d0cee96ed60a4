/**
 * Broadcasts end to end: the real server and the real simulator over UDP (speedup 3). The parking
 * advisory plays in zh-CN then English on the simulated loudspeaker, a speaker fault fails a
 * broadcast with its reason, a drone without a speaker and a target out of range are refused,
 * and free text is audited word for word.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speechDurationMs } from '../../server/warnings/speech-time.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const SPEEDUP = 3;
const M_PER_DEG = 111_320;
let server: TestServer;
let sim: SimFleet;
/** Server drone id by simulator index. */
const ids: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  // drone 2 has no loudspeaker
  sim = await startSimFleet({ drones: 3, link: server.mavlink, speedup: SPEEDUP, seed: 11, speaker: (i) => i !== 2 });
  const drones = await waitFor(async () => {
    const list: any[] = (await server.api('GET', '/api/drones')).body.drones;
    const ready = list.length === 3 && list.every((d) => d.position)
      && list.filter((d) => d.components.some((c: any) => c.type === 'loudspeaker')).length === 2;
    return ready ? list : null;
  }, { what: 'three drones with positions, two of them with a loudspeaker', timeoutMs: 15_000 });
  sim.drones.forEach((d, i) => { ids[i] = drones.find((x) => x.sysid === d.sysid)!.id; });
}, 30_000);

afterAll(async () => {
  await sim?.close();
  await server?.close();
});

async function broadcast(index: number, body: unknown, token?: string) {
  return server.api('POST', `/api/drones/${ids[index]}/broadcasts`, body, token);
}

async function finalState(id: string, timeoutMs = 30_000): Promise<any> {
  return waitFor(async () => {
    const b = (await server.api('GET', `/api/broadcasts/${id}`)).body;
    return ['done', 'failed', 'stopped'].includes(b.state) ? b : null;
  }, { what: `broadcast ${id} to finish`, timeoutMs, intervalMs: 100 });
}

describe('broadcasts on the simulated loudspeaker', () => {
  it('plays the parking advisory in zh-CN then English, as the speaker records it, and both end done', async () => {
    const truth = sim.drones[0]!.truth();
    const target = { lat: truth.lat + 40 / M_PER_DEG, lon: truth.lon }; // 40 m away: within range
    const params = { plate: '鄂A·12345', minutes: 3 };
    const zh = await broadcast(0, { template: 'parking-advisory', params, lang: 'zh-CN', target });
    expect(zh.status).toBe(202);
    expect(zh.body).toEqual({ id: expect.any(String), state: 'queued' });
    const en = await broadcast(0, { template: 'parking-advisory', params, lang: 'en', target });
    expect(en.status).toBe(202);

    const zhDone = await finalState(zh.body.id);
    const enDone = await finalState(en.body.id);
    expect(zhDone).toMatchObject({ state: 'done', progress: 100, lang: 'zh-CN', droneId: ids[0], template: 'parking-advisory', reason: null, target });
    expect(enDone).toMatchObject({ state: 'done', progress: 100, lang: 'en' });
    expect(zhDone.text).toBe('您好，这里是临时停车区，最长停留3分钟。请鄂A·12345尽快驶离，谢谢配合。');
    expect(enDone.text).toBe('Hello, this is a temporary stopping area, with a maximum stay of 3 minutes. Would 鄂A·12345 please move on now. Thank you.');

    const records = sim.speaker(0)!.records();
    expect(records.map((r) => [r.text, r.lang, r.outcome])).toEqual([[zhDone.text, 'zh-CN', 'done'], [enDone.text, 'en', 'done']]);
    for (const [r, b] of [[records[0]!, zhDone], [records[1]!, enDone]] as const) {
      expect(r.durationMs).toBe(speechDurationMs(b.text, 1));
      expect(r.playedMs).toBe(r.durationMs);
      expect(r.durationMs).toBeGreaterThan(5000);
      expect(b.durationMs).toBe(r.durationMs);
      expect(Math.abs(r.position!.lat - truth.lat) * M_PER_DEG).toBeLessThan(5);
    }
    // one after the other, in the order asked
    expect(records[1]!.startedAtMs!).toBeGreaterThanOrEqual(records[0]!.endedAtMs!);

    const list = (await server.api('GET', `/api/broadcasts?droneId=${ids[0]}`)).body.broadcasts;
    expect(list.slice(0, 2).map((b: any) => [b.id, b.state])).toEqual([[en.body.id, 'done'], [zh.body.id, 'done']]);
    expect(list[0]).toMatchObject({ id: en.body.id, droneId: ids[0], text: enDone.text, lang: 'en', state: 'done', at: expect.any(String) });
    // every change of state is an event (stream, stored history)
    const events = await waitFor(async () => {
      const e: any[] = (await server.api('GET', `/api/events?droneId=${ids[0]}&kind=broadcast&limit=50`)).body.events;
      return e.some((x) => x.data.id === en.body.id && x.data.state === 'done') ? e : null;
    }, { what: 'broadcast events in the history' });
    expect(events.filter((x) => x.data.id === zh.body.id).map((x) => x.data.state).reverse()).toEqual(['queued', 'playing', 'done']);
  }, 60_000);

  it('a speaker fault yields a failed broadcast with a clear reason', async () => {
    sim.injectFault(1, { kind: 'speaker-fault', durationS: 60 });
    const r = await broadcast(1, { template: 'keep-lane-clear', lang: 'zh-CN' });
    expect(r.status).toBe(202);
    const b = await finalState(r.body.id);
    expect(b.state).toBe('failed');
    expect(b.reason).toBe('the loudspeaker reported a hardware fault (amplifier or speaker)');
    expect(sim.speaker(1)!.records().at(-1)).toMatchObject({ outcome: 'failed', error: 'HARDWARE' });
  }, 30_000);

  it('refuses a drone without a loudspeaker (NO_SPEAKER) and a target out of audible range (OUT_OF_RANGE)', async () => {
    const none = await broadcast(2, { template: 'no-parking', lang: 'zh-CN' });
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('NO_SPEAKER');
    expect(none.body.error.message).toMatch(/has no loudspeaker/);

    const truth = sim.drones[0]!.truth();
    const far = await broadcast(0, { template: 'no-parking', lang: 'en', target: { lat: truth.lat + 400 / M_PER_DEG, lon: truth.lon } });
    expect(far.status).toBe(409);
    expect(far.body.error.code).toBe('OUT_OF_RANGE');
    expect(far.body.error.details.rangeM).toBe(150);
    expect(far.body.error.details.distanceM).toBeGreaterThan(390);

    const bad = await broadcast(0, { template: 'parking-advisory', params: { colour: 'red' }, lang: 'en' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/no parameter colour/);
    expect((await broadcast(0, { lang: 'en' })).status).toBe(400);

    // a drone whose link is lost is refused with that reason
    sim.injectFault(1, { kind: 'link-drop', durationS: 30 });
    await waitFor(async () => (await server.api('GET', `/api/drones/${ids[1]}`)).body.connected === false, { what: 'the server to see the link lost', timeoutMs: 10_000, intervalMs: 100 });
    const lost = await broadcast(1, { template: 'no-parking', lang: 'zh-CN' });
    expect(lost.status).toBe(409);
    expect(lost.body.error.code).toBe('LINK_LOST');
    expect(lost.body.error.message).toMatch(/link is lost/);
  }, 30_000);

  it('free text needs the operator role and is audited word for word', async () => {
    const viewer = (await server.api('POST', '/api/operators', { name: 'zhang.viewer', role: 'viewer' })).body.token;
    const operator = (await server.api('POST', '/api/operators', { name: 'li.operator', role: 'operator' })).body.token;
    const text = '请注意：东门出口临时封闭，请从南门离开。Attention: the east gate is closed, please leave by the south gate.';
    expect((await broadcast(0, { text, lang: 'zh-CN' }, viewer)).status).toBe(403);
    const r = await broadcast(0, { text, lang: 'zh-CN', repeat: 2 }, operator);
    expect(r.status).toBe(202);
    const audit = (await server.api('GET', `/api/audit?droneId=${ids[0]}`)).body.entries;
    const entry = audit.find((e: any) => e.action === 'broadcast' && e.request.text === text);
    expect(entry).toMatchObject({ operator: 'li.operator', droneId: ids[0], request: { text, lang: 'zh-CN', repeat: 2 }, result: { ok: true } });
    const b = await finalState(r.body.id);
    expect(b).toMatchObject({ state: 'done', text, operator: 'li.operator', repeat: 2 });
    expect(sim.speaker(0)!.records().at(-1)).toMatchObject({ text, repeat: 2, outcome: 'done', durationMs: speechDurationMs(text, 2) });
    // a pre-approved clip
    const clip = await broadcast(0, { clip: 1, lang: 'zh-CN' }, operator);
    expect(clip.status).toBe(202);
    expect(await finalState(clip.body.id)).toMatchObject({ state: 'done', clipId: 1, text: '' });
    expect(sim.speaker(0)!.records().at(-1)).toMatchObject({ kind: 'clip', clipId: 1, text: 'attention tone', outcome: 'done', durationMs: 2000 });
    // an operator stops a long broadcast while it plays
    const long = await broadcast(0, { template: 'crowd-dispersal', lang: 'zh-CN', repeat: 5 }, operator);
    await waitFor(async () => (await server.api('GET', `/api/broadcasts/${long.body.id}`)).body.state === 'playing', { what: 'the long broadcast playing', intervalMs: 50 });
    const stop = await server.api('POST', `/api/broadcasts/${long.body.id}/stop`, undefined, operator);
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ state: 'stopped', reason: 'stopped on request' });
    const stoppedRecord = sim.speaker(0)!.records().find((x) => x.kind === 'speech' && x.repeat === 5)!;
    expect(stoppedRecord).toMatchObject({ outcome: 'stopped', error: 'STOP_REQUESTED' });
    expect(stoppedRecord.playedMs).toBeLessThan(stoppedRecord.durationMs);
    expect((await server.api('POST', `/api/broadcasts/${long.body.id}/stop`, undefined, operator)).body.state).toBe('stopped');
    // refusals are audited too
    const refused = (await server.api('GET', `/api/audit?droneId=${ids[2]}`)).body.entries.find((e: any) => e.action === 'broadcast');
    expect(refused.result).toMatchObject({ ok: false, code: 'NO_SPEAKER' });
    // viewers read the history and the templates
    expect((await server.api('GET', '/api/broadcasts', undefined, viewer)).status).toBe(200);
    const templates = (await server.api('GET', '/api/broadcast-templates', undefined, viewer)).body.templates;
    expect(templates.map((t: any) => t.id)).toEqual(['parking-advisory', 'no-parking', 'keep-lane-clear', 'crowd-dispersal', 'traffic-guidance', 'evacuation']);
    for (const t of templates) expect(Object.keys(t.text).sort()).toEqual(['en', 'zh-CN']);
  }, 60_000);
});
