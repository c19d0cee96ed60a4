/**
 * The server's SpeakerClient and the simulated speaker wired back to back through the real codec,
 * on a FakeClock, with a lossy "radio" in between (a predicate per direction decides what is lost).
 */
import type { VehicleChannel } from '../../server/mavlink/channel.ts';
import type { MessageClass } from '../../server/mavlink/definitions.ts';
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder, type MessageFields } from '../../server/mavlink/frame-encoder.ts';
import type { Frame } from '../../server/mavlink/frame.ts';
import { decodeFrame } from '../../server/mavlink/message.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { SpeakerClient, type SpeakerClientOptions } from '../../server/warnings/speaker-client.ts';
import type { PayloadContext } from '../../simulator/payloads/payload.ts';
import { SimSpeaker, type SimSpeakerOptions } from '../../simulator/payloads/speaker.ts';

export interface WireMessage { name: string; fields: Record<string, any>; atMs: number }

export class SpeakerHarness {
  readonly clock = new FakeClock();
  readonly speaker: SimSpeaker;
  readonly client: SpeakerClient;
  /** Everything the client sent / the speaker sent, lost or not. */
  readonly toSpeaker: WireMessage[] = [];
  readonly fromSpeaker: WireMessage[] = [];
  /** Return true to lose the message. */
  loseToSpeaker: (m: WireMessage, index: number) => boolean = () => false;
  loseFromSpeaker: (m: WireMessage, index: number) => boolean = () => false;
  /** Deliver every message to the speaker this many times. */
  duplicate = 1;
  private readonly serverEnc = new FrameEncoder({ sysid: 255, compid: 190 });
  private readonly speakerEnc = new FrameEncoder({ sysid: 1, compid: 25 });
  readonly ctx: PayloadContext;

  constructor(opts: { speaker?: SimSpeakerOptions; client?: Partial<SpeakerClientOptions>; latencyMs?: number } = {}) {
    const latency = opts.latencyMs ?? 20;
    this.speaker = new SimSpeaker({ position: () => ({ lat: 30.5, lon: 114.41, altitudeM: 30 }), ...opts.speaker });
    this.ctx = {
      nowMs: () => this.clock.nowMs(),
      send: (clazz, fields) => {
        const frame = this.wire(this.speakerEnc, clazz, fields);
        const m: WireMessage = { name: clazz.MSG_NAME, fields: decodeFrame(frame)!, atMs: this.clock.nowMs() };
        const i = this.fromSpeaker.push(m) - 1;
        if (this.loseFromSpeaker(m, i)) return;
        this.clock.setTimeout(() => this.client.handleFrame(frame, this.clock.nowMs()), latency);
      },
      statusText: () => {},
    };
    const channel: VehicleChannel = {
      target: { sysid: 1, compid: 25 },
      send: <C extends MessageClass>(clazz: C, fields: MessageFields<C>) => {
        const frame = this.wire(this.serverEnc, clazz, fields as Record<string, unknown>);
        const m: WireMessage = { name: clazz.MSG_NAME, fields: decodeFrame(frame)!, atMs: this.clock.nowMs() };
        const i = this.toSpeaker.push(m) - 1;
        if (this.loseToSpeaker(m, i)) return;
        for (let k = 0; k < this.duplicate; k++) this.clock.setTimeout(() => this.speaker.handleFrame(frame, this.ctx), latency);
      },
    };
    this.client = new SpeakerClient({ channel, clock: this.clock, ...opts.client });
    this.clock.setInterval(() => this.speaker.tick(this.ctx), 50);
  }

  /** Advance simulated time. */
  run(ms: number): void {
    this.clock.advance(ms);
  }

  sentToSpeaker(name: string): WireMessage[] {
    return this.toSpeaker.filter((m) => m.name === name);
  }

  private wire(enc: FrameEncoder, clazz: MessageClass, fields: Record<string, unknown>): Frame {
    const frames: Frame[] = [];
    decodeDatagram(enc.encode(clazz, fields), (f) => frames.push({ ...f, payload: f.payload.slice(), raw: f.raw.slice() }), newDecodeCounters());
    if (frames.length !== 1) throw new Error(`${clazz.MSG_NAME} did not survive the codec`);
    return frames[0]!;
  }
}
