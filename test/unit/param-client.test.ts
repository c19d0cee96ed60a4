import { describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { ParamClient, type ParamReadResult, type ParamSetResult } from '../../server/mavlink/param-client.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { RecordingChannel } from '../helpers/recording-channel.ts';

const flush = () => new Promise((r) => setImmediate(r));

describe('ParamClient', () => {
  it('resends PARAM_SET until the vehicle echoes the value, and reports a value the vehicle kept', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel();
    const params = new ParamClient({ channel, clock, retries: 3, timeoutMs: 1000 });
    const results: ParamSetResult[] = [];
    void params.set('FENCE_ALT_MAX', 120).then((r) => results.push(r));
    clock.advance(1000);
    expect(channel.sent.map((m) => [m.name, m.fields.paramId, m.fields.paramValue])).toEqual([['PARAM_SET', 'FENCE_ALT_MAX', 120], ['PARAM_SET', 'FENCE_ALT_MAX', 120]]);
    params.handle(channel.fromVehicle(common.ParamValue, { paramId: 'FENCE_ALT_MAX', paramValue: 120, paramType: 9, paramCount: 1, paramIndex: 0 }));
    void params.set('FENCE_ENABLE', 1).then((r) => results.push(r));
    params.handle(channel.fromVehicle(common.ParamValue, { paramId: 'FENCE_ENABLE', paramValue: 0, paramType: 9, paramCount: 1, paramIndex: 0 }));
    await flush();
    expect(results).toEqual([{ kind: 'set', value: 120 }, { kind: 'rejected', value: 0 }]);
  });

  it('times out after the retries when the vehicle never answers', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel();
    const params = new ParamClient({ channel, clock, retries: 2, timeoutMs: 500 });
    const result = params.set('RTL_ALT', 3000);
    clock.advance(1500);
    expect(await result).toEqual({ kind: 'timeout', attempts: 3 });
    expect(channel.count('PARAM_SET')).toBe(3);
  });

  const value = (channel: RecordingChannel, paramId: string, paramValue: number) =>
    channel.fromVehicle(common.ParamValue, { paramId, paramValue, paramType: 4, paramCount: 1, paramIndex: 0 });

  it('reads a parameter by name (PARAM_REQUEST_READ, index -1), resends it after the timeout, ignores another parameter\'s value and returns the answer', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel();
    const params = new ParamClient({ channel, clock, retries: 3, timeoutMs: 1000 });
    const results: ParamReadResult[] = [];
    void params.read('RTL_ALT').then((r) => results.push(r));
    expect(channel.sent).toEqual([{ name: 'PARAM_REQUEST_READ', fields: { targetSystem: 1, targetComponent: 1, paramId: 'RTL_ALT', paramIndex: -1 } }]);
    clock.advance(999);
    expect(channel.count('PARAM_REQUEST_READ')).toBe(1);
    clock.advance(1);
    expect(channel.count('PARAM_REQUEST_READ')).toBe(2); // resent after the timeout
    params.handle(value(channel, 'RTL_ALT_FINAL', 0)); // another parameter: still waiting
    await flush();
    expect(results).toEqual([]);
    // a second read meanwhile shares the first: nothing is sent again
    const again = params.read('RTL_ALT');
    expect(channel.count('PARAM_REQUEST_READ')).toBe(2);
    params.handle(value(channel, 'RTL_ALT', 3000));
    await flush();
    expect(results).toEqual([{ kind: 'value', value: 3000 }]);
    expect(await again).toEqual({ kind: 'value', value: 3000 });
    clock.advance(10_000); // answered: no more resends
    expect(channel.count('PARAM_REQUEST_READ')).toBe(2);
  });

  it('gives a timeout result after the retries when the vehicle never answers the read', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel();
    const params = new ParamClient({ channel, clock, retries: 2, timeoutMs: 500 });
    const result = params.read('RTL_RETURN_ALT');
    clock.advance(1499);
    expect(channel.count('PARAM_REQUEST_READ')).toBe(3);
    let done = false;
    void result.then(() => { done = true; });
    await flush();
    expect(done).toBe(false);
    clock.advance(1);
    expect(await result).toEqual({ kind: 'timeout', attempts: 3 });
    // a late answer changes nothing, and a new read asks again
    params.handle(value(channel, 'RTL_RETURN_ALT', 30));
    void params.read('RTL_RETURN_ALT');
    expect(channel.count('PARAM_REQUEST_READ')).toBe(4);
  });

  it('answers a read and a set of the same parameter with the one PARAM_VALUE', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel();
    const params = new ParamClient({ channel, clock });
    const set = params.set('RTL_ALT', 2000);
    const read = params.read('RTL_ALT');
    params.handle(value(channel, 'RTL_ALT', 2000));
    expect([await set, await read]).toEqual([{ kind: 'set', value: 2000 }, { kind: 'value', value: 2000 }]);
  });

  it('stops resending a set that a newer set of the same parameter replaced', async () => {
    const clock = new FakeClock();
    const channel = new RecordingChannel();
    const params = new ParamClient({ channel, clock, retries: 3, timeoutMs: 1000 });
    const first = params.set('FENCE_ALT_MAX', 100);
    void params.set('FENCE_ALT_MAX', 120);
    expect(await first).toEqual({ kind: 'timeout', attempts: 0 });
    clock.advance(1000);
    expect(channel.sent.filter((m) => m.name === 'PARAM_SET').map((m) => m.fields.paramValue)).toEqual([100, 120, 120]);
  });
});
