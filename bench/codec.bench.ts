/**
 * MAVLink codec: Eagle Eye's ingest path (decodeDatagram per UDP datagram + decodeFrame to a plain
 * object) against node-mavlink's stream pipeline (splitter + parser + protocol.data), on one recorded
 * GCS inbound stream, one datagram per frame; the same for encoding; and good frames lost on the
 * junk mixes of ../shared/design/MAVLINK-NOTES.md. Every figure is the median of RUNS runs, interleaved.
 *
 * BENCH_FRAMES (default 250000) and BENCH_RUNS (default 5, at least 3) size it; the defaults take
 * about 35 s on 2 cores.
 */
import { once } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import { ardupilotmega, common, development, minimal, standard, type MavLinkData, type MavLinkDataConstructor } from 'mavlink-mappings';
import { MavLinkPacketParser, MavLinkPacketSplitter, MavLinkProtocolV1, MavLinkProtocolV2, type MavLinkPacket, type MavLinkProtocol } from 'node-mavlink';
import { decodeDatagram, newDecodeCounters, badFrames } from '../server/mavlink/frame-decoder.ts';
import { FrameEncoder } from '../server/mavlink/frame-encoder.ts';
import { decodeFrame } from '../server/mavlink/message.ts';
import type { Frame } from '../server/mavlink/frame.ts';
import { gc, heapMiB, interleave, median, rng, type CaseResult } from './lib/measure.ts';
import type { BenchRow } from './lib/types.ts';

export const suites = ['decode', 'encode', 'junk'] as const;

const FRAMES = Number(process.env.BENCH_FRAMES ?? 250_000);
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS ?? 5));
const VEHICLES = 200;
/** Good frames in each junk mix (a prefix of the recorded stream). */
const JUNK_GOOD_FRAMES = Math.min(FRAMES, 60_000);
/** Distinct messages in the encode set, encoded round and round up to FRAMES. */
const ENCODE_SET = 20_000;

const NODE_MAVLINK = 'node-mavlink stream pipeline';
const EAGLE_EYE = 'eagle-eye ingest path';
const NODE_MAVLINK_ENC = 'node-mavlink MavLinkProtocolV2.serialize';
const EAGLE_EYE_ENC = 'eagle-eye FrameEncoder.encode';

type Clazz = MavLinkDataConstructor<MavLinkData>;

/** Message classes by id, as a node-mavlink user builds it from the dialects Eagle Eye speaks. */
const CLASSES = new Map<number, Clazz>();
for (const reg of [minimal.REGISTRY, common.REGISTRY, standard.REGISTRY, ardupilotmega.REGISTRY, development.REGISTRY]) {
  for (const clazz of Object.values(reg)) if (!CLASSES.has(clazz.MSG_ID)) CLASSES.set(clazz.MSG_ID, clazz);
}

// ---------------------------------------------------------------------------------------------
// The recorded stream

interface Outbound {
  clazz: Clazz;
  fields: Record<string, unknown>;
  instance: MavLinkData;
  vehicle: number;
}

interface Recording {
  datagrams: Buffer[];
  /** First ENCODE_SET messages, for the encode benchmark. */
  messages: Outbound[];
  mix: Map<string, number>;
  v1Frames: number;
}

const STATUS_TEXTS = [
  'PreArm: Need Position Estimate', 'EKF3 IMU0 is using GPS', 'Arming motors', 'Mission: 4 WP',
  'Reached command #3', 'Battery 1 is low 14.20V used 3100 mAh', 'GPS 1: detected as u-blox at 230400 baud',
];

/**
 * A GCS's inbound traffic: VEHICLES vehicles (sysid 1…200, every 20th speaking MAVLink 1), each at
 * ArduPilot-like rates per 100 ms tick: GLOBAL_POSITION_INT and ATTITUDE 10 Hz, GPS_RAW_INT 5 Hz,
 * VFR_HUD 3.3 Hz, SYS_STATUS 2 Hz, HEARTBEAT and BATTERY_STATUS 1 Hz, STATUSTEXT 0.2 Hz; vehicle
 * order shuffled every tick. Serialized by node-mavlink (not by the codec under test).
 */
function record(frames: number): Recording {
  const random = rng(20261129);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const vehicles = Array.from({ length: VEHICLES }, (_, i) => {
    const sysid = i + 1;
    const v1 = sysid % 20 === 0;
    return {
      sysid,
      protocol: (v1 ? new MavLinkProtocolV1(sysid, 1) : new MavLinkProtocolV2(sysid, 1)) as MavLinkProtocol,
      seq: 0,
      lat: 305_000_000 + int(-2_000_000, 2_000_000),
      lon: 1_144_000_000 + int(-2_000_000, 2_000_000),
      alt: int(20_000, 120_000),
      heading: int(0, 35_999),
      battery: int(60, 100),
      bootMs: int(10_000, 900_000),
      phase: int(0, 49),
      v1,
    };
  });
  const datagrams: Buffer[] = [];
  const messages: Outbound[] = [];
  const mix = new Map<string, number>();
  let v1Frames = 0;
  const emit = (v: (typeof vehicles)[number], clazz: Clazz, fields: Record<string, unknown>) => {
    if (datagrams.length >= frames) return;
    const instance = new clazz();
    Object.assign(instance, fields);
    datagrams.push(v.protocol.serialize(instance, v.seq));
    v.seq = (v.seq + 1) & 0xff;
    if (v.v1) v1Frames++;
    mix.set(clazz.MSG_NAME, (mix.get(clazz.MSG_NAME) ?? 0) + 1);
    if (messages.length < ENCODE_SET) messages.push({ clazz, fields, instance, vehicle: v.sysid - 1 });
  };
  const order = vehicles.slice();
  for (let tick = 0; datagrams.length < frames; tick++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const v of order) {
      v.bootMs += 100;
      v.lat += int(-300, 300);
      v.lon += int(-300, 300);
      v.alt = Math.max(0, v.alt + int(-200, 200));
      v.heading = (v.heading + int(-150, 150) + 36_000) % 36_000;
      const t = tick + v.phase;
      emit(v, common.GlobalPositionInt, {
        timeBootMs: v.bootMs, lat: v.lat, lon: v.lon, alt: v.alt + 35_000, relativeAlt: v.alt,
        vx: int(-800, 800), vy: int(-800, 800), vz: int(-100, 100), hdg: v.heading,
      });
      emit(v, common.Attitude, {
        timeBootMs: v.bootMs, roll: (random() - 0.5) * 0.3, pitch: (random() - 0.5) * 0.3, yaw: (v.heading / 18_000 - 1) * Math.PI,
        rollspeed: (random() - 0.5) * 0.1, pitchspeed: (random() - 0.5) * 0.1, yawspeed: (random() - 0.5) * 0.1,
      });
      if (t % 2 === 0) {
        emit(v, common.GpsRawInt, {
          timeUsec: BigInt(v.bootMs) * 1000n, lat: v.lat + int(-50, 50), lon: v.lon + int(-50, 50), alt: v.alt + 35_000,
          eph: int(60, 140), epv: int(80, 200), vel: int(0, 1200), cog: v.heading, fixType: 3, satellitesVisible: int(9, 18),
          altEllipsoid: v.alt + 68_000, hAcc: int(300, 1500), vAcc: int(500, 2500), velAcc: int(100, 400), hdgAcc: 0, yaw: 0,
        });
      }
      if (t % 3 === 0) {
        emit(v, common.VfrHud, {
          airspeed: random() * 12, groundspeed: random() * 12, alt: v.alt / 1000, climb: (random() - 0.5) * 2,
          heading: Math.round(v.heading / 100), throttle: int(30, 70),
        });
      }
      if (t % 5 === 0) {
        emit(v, common.SysStatus, {
          onboardControlSensorsPresent: 0x1321_fc2f, onboardControlSensorsEnabled: 0x1121_fc2f, onboardControlSensorsHealth: 0x1321_fc2f,
          load: int(100, 600), voltageBattery: int(14_000, 16_800), currentBattery: int(500, 2500), dropRateComm: 0, errorsComm: 0,
          errorsCount1: 0, errorsCount2: 0, errorsCount3: 0, errorsCount4: 0, batteryRemaining: v.battery,
          onboardControlSensorsPresentExtended: 0, onboardControlSensorsEnabledExtended: 0, onboardControlSensorsHealthExtended: 0,
        });
      }
      if (t % 10 === 0) {
        emit(v, minimal.Heartbeat, {
          type: minimal.MavType.QUADROTOR, autopilot: minimal.MavAutopilot.ARDUPILOTMEGA, baseMode: 0x59 | 0x80,
          customMode: 4, systemStatus: minimal.MavState.ACTIVE, mavlinkVersion: 3,
        });
        emit(v, common.BatteryStatus, {
          id: 0, batteryFunction: 1, type: 1, temperature: int(2500, 4000),
          voltages: [int(3700, 4200), int(3700, 4200), int(3700, 4200), int(3700, 4200), 65535, 65535, 65535, 65535, 65535, 65535],
          currentBattery: int(500, 2500), currentConsumed: int(0, 5000), energyConsumed: -1, batteryRemaining: v.battery,
          timeRemaining: int(0, 1800), chargeState: 1, voltagesExt: [0, 0, 0, 0], mode: 0, faultBitmask: 0,
        });
      }
      if (t % 50 === 0) {
        emit(v, common.StatusText, { severity: 6, text: STATUS_TEXTS[int(0, STATUS_TEXTS.length - 1)]!, id: 0, chunkSeq: 0 });
      }
    }
  }
  return { datagrams, messages, mix, v1Frames };
}

// ---------------------------------------------------------------------------------------------
// The two decoders, each ending in one object per frame with every field

/** node-mavlink as its README wires it: datagrams written into splitter → parser, then protocol.data(). */
async function nodeMavlinkDecode(datagrams: Buffer[], onMessage: (packet: MavLinkPacket, msg: MavLinkData | null) => void): Promise<void> {
  const splitter = new MavLinkPacketSplitter();
  const parser = new MavLinkPacketParser();
  parser.on('data', (packet: MavLinkPacket) => {
    const clazz = CLASSES.get(packet.header.msgid);
    onMessage(packet, clazz ? packet.protocol.data(packet.payload, clazz) : null);
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    splitter.on('error', reject);
  });
  splitter.pipe(parser);
  for (const d of datagrams) {
    if (!splitter.write(d)) await once(splitter, 'drain');
  }
  splitter.end();
  await done;
}

/** Eagle Eye's UDP ingest: each datagram on its own, then a plain object for every frame. */
function eagleEyeDecode(datagrams: Buffer[], onMessage: (frame: Frame, msg: Record<string, unknown> | null) => void): ReturnType<typeof newDecodeCounters> {
  const counters = newDecodeCounters();
  const sink = (frame: Frame) => onMessage(frame, decodeFrame(frame));
  for (const d of datagrams) decodeDatagram(d, sink, counters);
  return counters;
}

const key = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

interface Loss {
  good: number;
  lost: number;
  /** Frames delivered that were not among the good frames sent (junk that passed as a frame). */
  phantom: number;
  /** Good frames delivered whose message could not be built. */
  undecoded: number;
}

/** Which of the good frames came out, matched by their exact bytes. */
class LossCounter {
  private readonly expected = new Map<string, number>();
  private matched = 0;
  private phantom = 0;
  private undecoded = 0;
  constructor(private readonly good: Uint8Array[]) {
    for (const g of good) {
      const k = key(g);
      this.expected.set(k, (this.expected.get(k) ?? 0) + 1);
    }
  }
  see(raw: Uint8Array, decoded: boolean): void {
    const k = key(raw);
    const left = this.expected.get(k) ?? 0;
    if (left > 0) {
      this.expected.set(k, left - 1);
      this.matched++;
      if (!decoded) this.undecoded++;
    } else this.phantom++;
  }
  result(): Loss {
    return { good: this.good.length, lost: this.good.length - this.matched, phantom: this.phantom, undecoded: this.undecoded };
  }
}

async function lossOf(good: Uint8Array[], datagrams: Buffer[]): Promise<{ nodeMavlink: Loss; eagleEye: Loss; badFrames: number }> {
  const nm = new LossCounter(good);
  await nodeMavlinkDecode(datagrams, (p, msg) => nm.see(p.buffer, msg !== null));
  const ee = new LossCounter(good);
  const counters = eagleEyeDecode(datagrams, (f, msg) => ee.see(f.raw, msg !== null));
  return { nodeMavlink: nm.result(), eagleEye: ee.result(), badFrames: badFrames(counters) };
}

function lossNote(l: Loss): string {
  const pct = l.good ? ` (${((100 * l.lost) / l.good).toFixed(1)}%)` : '';
  const extra = [
    l.phantom ? `${l.phantom} phantom frames` : '',
    l.undecoded ? `${l.undecoded} not decodable` : '',
  ].filter(Boolean);
  return `${l.lost.toLocaleString('en-US')} good frames lost of ${l.good.toLocaleString('en-US')}${l.lost ? pct : ''}${extra.length ? '; ' + extra.join(', ') : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Junk mixes (MAVLINK-NOTES.md), built from a prefix of the recording with a fixed seed

interface Mix {
  name: string;
  description: string;
  good: Buffer[];
  datagrams: Buffer[];
}

function randomBytes(random: () => number, n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256);
  return b;
}

/** A MAVLink 2 header claiming a 255-byte payload of a message id nobody knows. */
function fakeHeader(): Buffer {
  const msgid = 0x0abcde;
  if (CLASSES.has(msgid)) throw new Error('fake header message id is known');
  return Buffer.from([0xfd, 255, 0, 0, 0, 1, 1, msgid & 0xff, (msgid >> 8) & 0xff, msgid >> 16]);
}

function junkMixes(source: Buffer[]): Mix[] {
  const random = rng(14550);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // 40% junk: before each good frame a random-junk datagram with p = 1/4, and the good frame's own
  // datagram junk-prefixed with p = 1/4, so (1/4 + 1/4) / (1 + 1/4) = 40% of datagrams carry junk.
  const junk: Buffer[] = [];
  for (const g of source) {
    if (random() < 0.25) junk.push(randomBytes(random, int(1, 128)));
    junk.push(random() < 0.25 ? Buffer.concat([randomBytes(random, int(1, 64)), g]) : g);
  }
  // Truncated datagrams alternating with good ones: after each good frame, another frame of the
  // recording cut short (1 … length-1 bytes). The cut frames are not counted as good.
  const truncated: Buffer[] = [];
  for (let i = 0; i < source.length; i++) {
    truncated.push(source[i]!);
    const other = source[(i * 7919 + 13) % source.length]!;
    truncated.push(other.subarray(0, int(1, other.length - 1)));
  }
  // A fake header (unknown id, length 255) in front of good frames: prefixed to every 20th datagram.
  const fake: Buffer[] = [];
  const header = fakeHeader();
  source.forEach((g, i) => fake.push(i % 20 === 0 ? Buffer.concat([header, g]) : g));
  return [
    { name: 'junk-40%', description: '40% of datagrams junk or junk-prefixed', good: source, datagrams: junk },
    { name: 'truncated', description: 'truncated datagrams alternating with good ones', good: source, datagrams: truncated },
    { name: 'fake-header', description: 'unknown-id, length-255 header before every 20th frame', good: source, datagrams: fake },
  ];
}

// ---------------------------------------------------------------------------------------------

function rate(result: CaseResult): { value: number; spread: string } {
  const k = (n: number) => `${Math.round(n / 1000).toLocaleString('en-US')}k`;
  return { value: median(result.rates), spread: `runs ${result.rates.map(k).join(', ')}` };
}

/** Fields of both decoders agree, frame by frame, on the first `n` frames. */
async function sameFields(datagrams: Buffer[], n: number): Promise<number> {
  const sample = datagrams.slice(0, n);
  const theirs: MavLinkData[] = [];
  await nodeMavlinkDecode(sample, (_, msg) => { if (msg) theirs.push(msg); });
  const ours: Array<Record<string, unknown>> = [];
  eagleEyeDecode(sample, (_, msg) => { if (msg) ours.push(msg); });
  let differ = Math.abs(theirs.length - ours.length);
  for (let i = 0; i < Math.min(theirs.length, ours.length); i++) {
    const a = ours[i]!;
    const b = theirs[i] as unknown as Record<string, unknown>;
    if (!Object.keys(a).every((f) => isDeepStrictEqual(a[f], b[f]))) differ++;
  }
  return differ;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const rec = record(FRAMES);
  const { datagrams } = rec;
  const bytes = datagrams.reduce((s, d) => s + d.length, 0);
  const mix = [...rec.mix].map(([name, n]) => `${name} ${((100 * n) / datagrams.length).toFixed(0)}%`).join(', ');
  console.error(`  recorded ${datagrams.length} frames (${(bytes / 2 ** 20).toFixed(1)} MiB, ${VEHICLES} sysids, ${rec.v1Frames} MAVLink 1): ${mix}`);

  gc();
  const fixturesMiB = heapMiB();

  // Decode: loss and field check first (they also warm both paths up), then the timed runs.
  const clean = await lossOf(datagrams, datagrams);
  const differ = await sameFields(datagrams, 5_000);
  let sink = 0;
  const decode = await interleave(RUNS, {
    [NODE_MAVLINK]: async () => {
      let n = 0;
      await nodeMavlinkDecode(datagrams, (_, msg) => { if (msg) n++; });
      sink += n;
      return datagrams.length;
    },
    [EAGLE_EYE]: () => {
      let n = 0;
      eagleEyeDecode(datagrams, (_, msg) => { if (msg) n++; });
      sink += n;
      return datagrams.length;
    },
  });
  const nmDecode = rate(decode[NODE_MAVLINK]!);
  const eeDecode = rate(decode[EAGLE_EYE]!);
  const stream = `${datagrams.length.toLocaleString('en-US')} frames, ${VEHICLES} sysids`;
  rows.push(
    { suite: 'decode', case: NODE_MAVLINK, value: nmDecode.value, unit: 'frames/s', runs: RUNS, memoryMiB: decode[NODE_MAVLINK]!.heapMiB,
      notes: `${stream}; splitter + parser + protocol.data(); ${lossNote(clean.nodeMavlink)}; heap with the recording loaded ${fixturesMiB.toFixed(1)} MiB; ${nmDecode.spread}` },
    { suite: 'decode', case: EAGLE_EYE, value: eeDecode.value, unit: 'frames/s', baseline: NODE_MAVLINK, runs: RUNS, memoryMiB: decode[EAGLE_EYE]!.heapMiB,
      notes: `decodeDatagram + decodeFrame per datagram; ${lossNote(clean.eagleEye)}; fields equal to node-mavlink's on ${differ ? `all but ${differ} of ` : ''}5,000 frames; ${eeDecode.spread}` },
  );

  // Encode: the first ENCODE_SET messages of the recording, round and round, one encoder per vehicle.
  const { messages } = rec;
  const nmProtocols = Array.from({ length: VEHICLES }, (_, i) => new MavLinkProtocolV2(i + 1, 1));
  const nmSeq = new Uint8Array(VEHICLES);
  const encoders = Array.from({ length: VEHICLES }, (_, i) => new FrameEncoder({ sysid: i + 1, compid: 1 }));
  let sameBytes = 0;
  for (const m of messages) {
    const a = nmProtocols[m.vehicle]!.serialize(m.instance, nmSeq[m.vehicle]!++);
    const b = encoders[m.vehicle]!.encode(m.clazz, m.fields);
    if (a.equals(b)) sameBytes++;
  }
  const encode = await interleave(RUNS, {
    [NODE_MAVLINK_ENC]: () => {
      let total = 0;
      for (let i = 0; i < FRAMES; i++) {
        const m = messages[i % messages.length]!;
        total += nmProtocols[m.vehicle]!.serialize(m.instance, nmSeq[m.vehicle]!++).length;
      }
      sink += total;
      return FRAMES;
    },
    [EAGLE_EYE_ENC]: () => {
      let total = 0;
      for (let i = 0; i < FRAMES; i++) {
        const m = messages[i % messages.length]!;
        total += encoders[m.vehicle]!.encode(m.clazz, m.fields).length;
      }
      sink += total;
      return FRAMES;
    },
  });
  const nmEncode = rate(encode[NODE_MAVLINK_ENC]!);
  const eeEncode = rate(encode[EAGLE_EYE_ENC]!);
  rows.push(
    { suite: 'encode', case: NODE_MAVLINK_ENC, value: nmEncode.value, unit: 'frames/s', runs: RUNS, memoryMiB: encode[NODE_MAVLINK_ENC]!.heapMiB,
      notes: `${FRAMES.toLocaleString('en-US')} frames (${messages.length.toLocaleString('en-US')} prebuilt messages, round and round); ${nmEncode.spread}` },
    { suite: 'encode', case: EAGLE_EYE_ENC, value: eeEncode.value, unit: 'frames/s', baseline: NODE_MAVLINK_ENC, runs: RUNS, memoryMiB: encode[EAGLE_EYE_ENC]!.heapMiB,
      notes: `MAVLink 2, from plain objects; byte-identical to node-mavlink on ${sameBytes.toLocaleString('en-US')} of ${messages.length.toLocaleString('en-US')} messages; ${eeEncode.spread}` },
  );

  // Junk mixes: frames lost by each decoder (exact bytes matched), and the rate at which each gets
  // through the mix, in good frames of input per second.
  for (const m of junkMixes(datagrams.slice(0, JUNK_GOOD_FRAMES))) {
    const loss = await lossOf(m.good, m.datagrams);
    const timed = await interleave(RUNS, {
      [NODE_MAVLINK]: async () => {
        await nodeMavlinkDecode(m.datagrams, () => { sink++; });
        return m.good.length;
      },
      [EAGLE_EYE]: () => {
        eagleEyeDecode(m.datagrams, (_, msg) => { if (msg) sink++; });
        return m.good.length;
      },
    });
    const nm = rate(timed[NODE_MAVLINK]!);
    const ee = rate(timed[EAGLE_EYE]!);
    const suite = `junk: ${m.name}`;
    rows.push(
      { suite, case: NODE_MAVLINK, value: nm.value, unit: 'frames/s', runs: RUNS, memoryMiB: timed[NODE_MAVLINK]!.heapMiB,
        notes: `${m.description}, ${m.datagrams.length.toLocaleString('en-US')} datagrams; **${lossNote(loss.nodeMavlink)}**; ${nm.spread}` },
      { suite, case: EAGLE_EYE, value: ee.value, unit: 'frames/s', baseline: NODE_MAVLINK, runs: RUNS, memoryMiB: timed[EAGLE_EYE]!.heapMiB,
        notes: `**${lossNote(loss.eagleEye)}**; ${loss.badFrames.toLocaleString('en-US')} bad candidates counted; ${ee.spread}` },
    );
    if (loss.eagleEye.lost > 0 || loss.eagleEye.phantom > 0) {
      console.error(`  EAGLE EYE DECODER: ${m.name}: ${lossNote(loss.eagleEye)}`);
    }
  }
  if (sink < 0) console.error(sink); // keeps the results observable
  return rows;
}
