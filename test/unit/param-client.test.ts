import { describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { ParamClient, type ParamSetResult } from '../../server/mavlink/param-client.ts';
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
});
