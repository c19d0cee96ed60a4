import { describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { CommandSender, type CommandResult } from '../../server/mavlink/command-sender.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { RecordingChannel } from '../helpers/recording-channel.ts';

const ARM = common.MavCmd.COMPONENT_ARM_DISARM;
const TAKEOFF = common.MavCmd.NAV_TAKEOFF;
const params = (p1 = 0, p7 = 0) => [p1, 0, 0, 0, 0, 0, p7] as [number, number, number, number, number, number, number];

function setup(opts: { retries?: number; timeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const channel = new RecordingChannel();
  const progress: Array<number | null> = [];
  const sender = new CommandSender({ channel, clock, retries: opts.retries ?? 3, timeoutMs: opts.timeoutMs ?? 500, inProgressTimeoutMs: 10_000, onProgress: (_c, p) => progress.push(p) });
  const results: CommandResult[] = [];
  const send = (command: number, p = params()) => sender.send({ command, params: p }).then((r) => { results.push(r); return r; });
  return { clock, channel, sender, results, send, progress };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('CommandSender', () => {
  it('resolves accepted when the matching ACK arrives, and ignores ACKs for other commands', async () => {
    const { channel, sender, results, send } = setup();
    void send(ARM, params(1));
    sender.handleAck({ command: TAKEOFF, result: 0, progress: 0, resultParam2: 0 });
    await flush();
    expect(results).toEqual([]);
    sender.handleAck({ command: ARM, result: 0, progress: 0, resultParam2: 0 });
    await flush();
    expect(results).toEqual([{ kind: 'accepted', mavResult: 'MAV_RESULT_ACCEPTED', attempts: 1 }]);
    expect(channel.last('COMMAND_LONG')!.fields).toMatchObject({ command: ARM, _param1: 1, confirmation: 0, targetSystem: 1, targetComponent: 1 });
  });

  it('resends with confirmation + 1 after each timeout and times out after the retries', async () => {
    const { clock, channel, results, send } = setup({ retries: 3, timeoutMs: 500 });
    void send(ARM, params(1));
    clock.advance(499);
    expect(channel.count('COMMAND_LONG')).toBe(1);
    clock.advance(1);
    expect(channel.sent.map((m) => m.fields.confirmation)).toEqual([0, 1]);
    clock.advance(1000);
    expect(channel.sent.map((m) => m.fields.confirmation)).toEqual([0, 1, 2, 3]);
    await flush();
    expect(results).toEqual([]);
    clock.advance(500);
    await flush();
    expect(results).toEqual([{ kind: 'timeout', attempts: 4, lastProgress: null }]);
    expect(channel.count('COMMAND_LONG')).toBe(4);
  });

  it('reports a denial with the MAV_RESULT name, not a bare number', async () => {
    const { sender, results, send } = setup();
    void send(ARM, params(1));
    sender.handleAck({ command: ARM, result: 2, progress: 0, resultParam2: 0 });
    await flush();
    expect(results[0]).toMatchObject({ kind: 'rejected', mavResult: 'MAV_RESULT_DENIED', resultCode: 2 });
  });

  it('on IN_PROGRESS stops resending, reports progress and waits for the final ACK on the long timeout', async () => {
    const { clock, channel, sender, results, send, progress } = setup();
    void send(TAKEOFF, params(0, 30));
    sender.handleAck({ command: TAKEOFF, result: 5, progress: 40, resultParam2: 0 });
    clock.advance(5000);
    expect(channel.count('COMMAND_LONG')).toBe(1);
    expect(progress).toEqual([40]);
    sender.handleAck({ command: TAKEOFF, result: 0, progress: 100, resultParam2: 0 });
    await flush();
    expect(results).toEqual([{ kind: 'accepted', mavResult: 'MAV_RESULT_ACCEPTED', attempts: 1 }]);
  });

  it('times out an IN_PROGRESS command whose final ACK never comes', async () => {
    const { clock, sender, results, send } = setup();
    void send(TAKEOFF);
    sender.handleAck({ command: TAKEOFF, result: 5, progress: 255, resultParam2: 0 });
    clock.advance(10_000);
    await flush();
    expect(results).toEqual([{ kind: 'timeout', attempts: 1, lastProgress: null }]);
  });

  it('keeps one command of a kind in flight: the second waits for the first to finish', async () => {
    const { channel, sender, results, send } = setup();
    void send(ARM, params(1));
    void send(ARM, params(0));
    expect(channel.count('COMMAND_LONG')).toBe(1);
    sender.handleAck({ command: ARM, result: 0, progress: 0, resultParam2: 0 });
    expect(channel.count('COMMAND_LONG')).toBe(2);
    expect(channel.last('COMMAND_LONG')!.fields._param1).toBe(0);
    sender.handleAck({ command: ARM, result: 4, progress: 0, resultParam2: 0 });
    await flush();
    expect(results.map((r) => r.kind)).toEqual(['accepted', 'rejected']);
  });

  it('sends positional commands as COMMAND_INT with degE7 coordinates', () => {
    const { channel, sender } = setup();
    void sender.send({ command: common.MavCmd.DO_REPOSITION, params: [-1, 1, 0, 0, 30.5012345, 114.4, 40], intFrame: 6 });
    expect(channel.last('COMMAND_INT')!.fields).toMatchObject({ frame: 6, _param5: 305012345, _param6: 1144000000, _param7: 40 });
  });
});
