/** MAVLink 2 signing: our signer against node-mavlink's checker, the verifier's policy and replay window. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { common, minimal } from 'mavlink-mappings';
import { MavLinkPacketSignature, MavLinkProtocolV2 } from 'node-mavlink';
import { mavlinkCrc } from '../../server/mavlink/crc.ts';
import { registry } from '../../server/mavlink/definitions.ts';
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { HEADER_V2, type Frame } from '../../server/mavlink/frame.ts';
import { LinkSigner } from '../../server/mavlink/signing/link-signer.ts';
import { SignatureVerifier } from '../../server/mavlink/signing/signature-verifier.ts';
import { readSigningTimestamp, signingTimestampAt } from '../../server/mavlink/signing/timestamp.ts';
import { TimestampStore, timestampFileFor } from '../../server/mavlink/signing/timestamp-store.ts';
import { FakeClock } from '../../server/time/clock.ts';

const KEY = Buffer.from('4f'.repeat(16) + '0123456789abcdef'.repeat(2), 'hex');
const OTHER_KEY = Buffer.alloc(32, 7);
const HB = { type: 2, autopilot: 3, baseMode: 0, customMode: 4, systemStatus: 3, mavlinkVersion: 3 };

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'eagle-signing-'));
  dirs.push(d);
  return d;
}

function frameOf(bytes: Uint8Array): Frame {
  const frames: Frame[] = [];
  decodeDatagram(bytes, (f) => frames.push(f), newDecodeCounters());
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

function timestampOf(bytes: Uint8Array): number {
  return readSigningTimestamp(frameOf(bytes).signature!, 1);
}

function vehicle(sysid: number, clock: FakeClock, key: Buffer = KEY) {
  return new FrameEncoder({ sysid, compid: 1, signer: new LinkSigner({ key, clock }) });
}

describe('LinkSigner', () => {
  it('gives strictly increasing timestamps to 10,000 back-to-back frames on a frozen clock', () => {
    const clock = new FakeClock();
    const enc = new FrameEncoder({ sysid: 255, compid: 190, signer: new LinkSigner({ key: KEY, clock }) });
    let last = -1;
    for (let i = 0; i < 10_000; i++) {
      const ts = timestampOf(enc.encode(minimal.Heartbeat, HB));
      expect(ts).toBeGreaterThan(last);
      last = ts;
    }
    expect(last - signingTimestampAt(clock.nowMs())).toBe(9_999);
    // once the clock passes the burst, the clock leads again
    clock.advance(1000);
    expect(timestampOf(enc.encode(minimal.Heartbeat, HB))).toBe(signingTimestampAt(clock.nowMs()));
  });

  it('persists its timestamp: a new signer from the same file starts above the old last, after a clean stop or a crash', () => {
    const dir = tempDir();
    const path = timestampFileFor(dir, 'udp:127.0.0.1:14550');
    const clock = new FakeClock();
    const first = new LinkSigner({ key: KEY, clock, store: new TimestampStore({ path }) });
    const enc = new FrameEncoder({ sysid: 255, compid: 190, signer: first });
    for (let i = 0; i < 10_000; i++) enc.encode(minimal.Heartbeat, HB);
    const lastBeforeCrash = first.lastTimestamp;

    // kill -9: no close(); the reserved ceiling in the file is already above everything used
    const afterCrash = new LinkSigner({ key: KEY, clock, store: new TimestampStore({ path }) });
    expect(afterCrash.nextTimestamp()).toBeGreaterThan(lastBeforeCrash);

    // clean stop: the file holds the real last timestamp
    first.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).lastTimestamp).toBe(lastBeforeCrash);
    const clockBehind = new FakeClock(clock.nowMs() - 3_600_000); // even when the clock went back an hour
    const restarted = new LinkSigner({ key: KEY, clock: clockBehind, store: new TimestampStore({ path }) });
    const ts = timestampOf(new FrameEncoder({ sysid: 255, compid: 190, signer: restarted }).encode(minimal.Heartbeat, HB));
    expect(ts).toBe(lastBeforeCrash + 1);
  });

  it('writes its timestamp file once every few seconds, not per frame', () => {
    const store = new TimestampStore({ path: join(tempDir(), 'ts.json'), reserveMs: 5000 });
    const clock = new FakeClock();
    const signer = new LinkSigner({ key: KEY, clock, store });
    const enc = new FrameEncoder({ sysid: 255, compid: 190, signer });
    for (let ms = 0; ms < 20_000; ms++) { // 20 s, a frame every millisecond
      enc.encode(minimal.Heartbeat, HB);
      clock.advance(1);
    }
    expect(store.writes).toBeGreaterThanOrEqual(4);
    expect(store.writes).toBeLessThanOrEqual(5);
  });

  it('signs frames that node-mavlink\'s MavLinkPacketSignature.matches(key) accepts, with our link id', () => {
    const clock = new FakeClock();
    const enc = new FrameEncoder({ sysid: 255, compid: 190, signer: new LinkSigner({ key: KEY, clock, linkId: 3 }) });
    for (const bytes of [
      enc.encode(minimal.Heartbeat, HB),
      enc.encode(common.CommandLong, { command: 400, _param1: 1, targetSystem: 1, targetComponent: 1 }),
      enc.encode(common.StatusText, { severity: 6, text: 'signed' }),
    ]) {
      const sig = new MavLinkPacketSignature(bytes);
      expect(sig.matches(KEY)).toBe(true);
      expect(sig.matches(OTHER_KEY)).toBe(false);
      expect(sig.linkId).toBe(3);
      expect(sig.timestamp).toBe(timestampOf(bytes));
    }
  });

  it('verifies a frame that node-mavlink signed (the two implementations agree both ways)', () => {
    const msg = new common.GlobalPositionInt();
    Object.assign(msg, { timeBootMs: 1, lat: 305_000_000, lon: 1_144_000_000, alt: 1, relativeAlt: 1, vx: 0, vy: 0, vz: 0, hdg: 0 });
    const proto = new MavLinkProtocolV2(9, 1, MavLinkProtocolV2.IFLAG_SIGNED);
    const bytes = proto.sign(proto.serialize(msg, 1), 0, KEY);
    expect(new SignatureVerifier({ key: KEY }).check(frameOf(bytes))).toBe('ok');
  });
});

describe('SignatureVerifier', () => {
  it('accepts good frames from several streams', () => {
    const clock = new FakeClock();
    const verifier = new SignatureVerifier({ key: KEY });
    const a = vehicle(1, clock);
    const b = vehicle(2, clock);
    for (let i = 0; i < 100; i++) {
      expect(verifier.check(frameOf(a.encode(minimal.Heartbeat, HB)))).toBe('ok');
      expect(verifier.check(frameOf(b.encode(minimal.Heartbeat, HB)))).toBe('ok');
    }
    expect(verifier.streamCount).toBe(2);
  });

  it('rejects unsigned frames when signing is required (MAVLink 1 included), and lets them through when not', () => {
    const plain = new FrameEncoder({ sysid: 1, compid: 1 }).encode(minimal.Heartbeat, HB);
    const v1 = new FrameEncoder({ sysid: 1, compid: 1, version: 1 }).encode(minimal.Heartbeat, HB);
    expect(new SignatureVerifier({ key: KEY }).check(frameOf(plain))).toBe('unsigned');
    expect(new SignatureVerifier({ key: KEY }).check(frameOf(v1))).toBe('unsigned');
    expect(new SignatureVerifier({ key: KEY, requireSigning: false }).check(frameOf(plain))).toBe('ok');
    const radioStatus = new FrameEncoder({ sysid: 51, compid: 68 }).encode(common.RadioStatus, { rssi: 200 });
    const allowRadio = new SignatureVerifier({ key: KEY, acceptUnsignedMsgids: [common.RadioStatus.MSG_ID] });
    expect(allowRadio.check(frameOf(radioStatus))).toBe('ok');
    expect(allowRadio.check(frameOf(plain))).toBe('unsigned');
  });

  it('rejects a frame with one payload byte flipped (CRC fixed), one signature byte flipped, or another key', () => {
    const clock = new FakeClock();
    const verifier = new SignatureVerifier({ key: KEY });
    const enc = vehicle(1, clock);

    const payloadFlipped = Buffer.from(enc.encode(minimal.Heartbeat, HB));
    payloadFlipped[HEADER_V2 + 4]! ^= 0x01; // the vehicle type
    const len = payloadFlipped[1]!;
    const crc = mavlinkCrc(payloadFlipped, 1, HEADER_V2 + len, registry.of(minimal.Heartbeat).crcExtra);
    payloadFlipped[HEADER_V2 + len] = crc & 0xff;
    payloadFlipped[HEADER_V2 + len + 1] = crc >>> 8;
    expect(verifier.check(frameOf(payloadFlipped))).toBe('badSignature'); // the decoder accepted it: the CRC is right

    const sigFlipped = Buffer.from(enc.encode(minimal.Heartbeat, HB));
    sigFlipped[sigFlipped.length - 1]! ^= 0x80;
    expect(verifier.check(frameOf(sigFlipped))).toBe('badSignature');

    const tsFlipped = Buffer.from(enc.encode(minimal.Heartbeat, HB));
    tsFlipped[tsFlipped.length - 12]! ^= 0x01; // the timestamp is hashed too
    expect(verifier.check(frameOf(tsFlipped))).toBe('badSignature');

    expect(verifier.check(frameOf(vehicle(1, clock, OTHER_KEY).encode(minimal.Heartbeat, HB)))).toBe('badSignature');
    // none of these moved the replay state: the next good frame passes
    expect(verifier.check(frameOf(enc.encode(minimal.Heartbeat, HB)))).toBe('ok');
  });

  it('rejects the same frame twice and a stream\'s older timestamp', () => {
    const clock = new FakeClock();
    const verifier = new SignatureVerifier({ key: KEY });
    const enc = vehicle(1, clock);
    const early = enc.encode(minimal.Heartbeat, HB);
    clock.advance(10);
    const late = enc.encode(minimal.Heartbeat, HB);
    expect(verifier.check(frameOf(late))).toBe('ok');
    expect(verifier.check(frameOf(late))).toBe('replayed');
    expect(verifier.check(frameOf(early))).toBe('replayed');
  });

  it('rejects a new stream whose first frame is more than one minute older than the newest on the link', () => {
    const now = new FakeClock();
    const verifier = new SignatureVerifier({ key: KEY });
    expect(verifier.check(frameOf(vehicle(1, now).encode(minimal.Heartbeat, HB)))).toBe('ok');
    const twoMinutesAgo = new FakeClock(now.nowMs() - 120_000);
    expect(verifier.check(frameOf(vehicle(2, twoMinutesAgo).encode(minimal.Heartbeat, HB)))).toBe('replayed');
    const thirtySecondsAgo = new FakeClock(now.nowMs() - 30_000);
    expect(verifier.check(frameOf(vehicle(3, thirtySecondsAgo).encode(minimal.Heartbeat, HB)))).toBe('ok');
  });

  it('keeps accepting a known stream that falls more than a minute behind another (a vehicle jumping ahead on GPS lock)', () => {
    const base = new FakeClock();
    const verifier = new SignatureVerifier({ key: KEY });
    const lagging = vehicle(1, base);
    expect(verifier.check(frameOf(lagging.encode(minimal.Heartbeat, HB)))).toBe('ok');
    const ahead = new FakeClock(base.nowMs() + 3_600_000);
    expect(verifier.check(frameOf(vehicle(2, ahead).encode(minimal.Heartbeat, HB)))).toBe('ok');
    base.advance(100);
    expect(verifier.check(frameOf(lagging.encode(minimal.Heartbeat, HB)))).toBe('ok');
    // but a new stream that far behind is refused
    expect(verifier.check(frameOf(vehicle(3, base).encode(minimal.Heartbeat, HB)))).toBe('replayed');
  });
});
