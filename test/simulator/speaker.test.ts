/**
 * The simulated loudspeaker on the simulator's UDP endpoints (lockstep): its own component and
 * HEARTBEAT, the protocol's answers, playing for the estimated time in simulated time, the record
 * of what was said where, faults, WAV rendering when espeak-ng exists, and the CLI/fault options.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minimal } from 'mavlink-mappings';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEAKER_COMPID, SPEAKER_MAV_TYPE, SpeakerSpeak, SpeakerState, SpeakerStatus } from '../../server/mavlink/dialects/speaker.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import { speechDurationMs } from '../../server/warnings/speech-time.ts';
import { parseCli } from '../../simulator/cli-options.ts';
import { parseFault } from '../../simulator/faults.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { findEspeak } from '../../simulator/payloads/speaker.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor, runUntil } from './helpers/lockstep.ts';

let gcs: TestGcs | null = null;
let fleet: SimFleet | null = null;
let wavDir: string | null = null;
afterEach(async () => {
  await fleet?.close();
  await gcs?.close();
  fleet = null;
  gcs = null;
  if (wavDir) rmSync(wavDir, { recursive: true, force: true });
  wavDir = null;
});

function speak(sysid: number, requestId: number, text: string, lang: string, extra: Record<string, unknown> = {}): void {
  gcs!.send(sysid, SpeakerSpeak, {
    targetSystem: sysid, targetComponent: SPEAKER_COMPID, requestId, chunkIndex: 0, chunkCount: 1, totalBytes: Buffer.byteLength(text),
    lang, voice: 0, volume: 80, repeat: 1, priority: 0, text, ...extra,
  });
}

function statuses(sysid: number, requestId: number) {
  return gcs!.vehicle(sysid).frames.filter((f) => f.msgid === SpeakerStatus.MSG_ID).map((f) => decodeAs(f, SpeakerStatus)).filter((s) => s.requestId === requestId);
}

describe('simulated loudspeaker', () => {
  it('is its own component on every drone unless omitted, plays for the estimated time and records what it said, when and where', async () => {
    gcs = await TestGcs.open();
    wavDir = mkdtempSync(join(tmpdir(), 'eagle-speaker-'));
    fleet = await startSimFleet({ drones: 2, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, speaker: (i) => i === 0, speakerWavDir: wavDir });
    await runFor(fleet, gcs, 2000);
    const beats = (sysid: number) => gcs!.vehicle(sysid).frames.filter((f) => f.msgid === minimal.Heartbeat.MSG_ID && f.compid === SPEAKER_COMPID).map((f) => decodeAs(f, minimal.Heartbeat));
    expect(beats(1).length).toBeGreaterThanOrEqual(2);
    expect(beats(1)[0]).toMatchObject({ type: SPEAKER_MAV_TYPE, autopilot: minimal.MavAutopilot.INVALID });
    expect(beats(2)).toEqual([]);
    expect(fleet.speaker(1)).toBeNull();

    const text = '您好，这里是临时停车区，请尽快驶离。';
    const queued = gcs.next((f) => f.msgid === SpeakerStatus.MSG_ID);
    const t0 = fleet.nowMs();
    speak(1, 42, text, 'zh-CN');
    expect(decodeAs(await queued, SpeakerStatus)).toMatchObject({ requestId: 42, state: SpeakerState.QUEUED, chunkMask: 1, durationMs: speechDurationMs(text, 1) });
    await runUntil(fleet, gcs, () => statuses(1, 42).some((s) => s.state === SpeakerState.DONE), { maxSimMs: 20_000 });
    const seen = statuses(1, 42).map((s) => s.state);
    expect(seen).toContain(SpeakerState.PLAYING);
    expect(statuses(1, 42).filter((s) => s.state === SpeakerState.PLAYING).some((s) => s.progress > 0 && s.progress < 100)).toBe(true);

    const [record] = fleet.speaker(0)!.records();
    const truth = fleet.drones[0]!.truth();
    expect(record).toMatchObject({ requestId: 42, kind: 'speech', text, lang: 'zh-CN', outcome: 'done', durationMs: speechDurationMs(text, 1), playedMs: speechDurationMs(text, 1) });
    expect(record!.startedAtMs! - t0).toBeLessThanOrEqual(250);
    expect(record!.endedAtMs! - record!.startedAtMs!).toBeGreaterThanOrEqual(record!.durationMs);
    expect(record!.endedAtMs! - record!.startedAtMs!).toBeLessThan(record!.durationMs + 100);
    expect(record!.position).toEqual({ lat: truth.lat, lon: truth.lon, altitudeM: truth.altitudeM });

    // WAV rendering only where espeak-ng is installed; otherwise it is skipped quietly
    if (findEspeak()) {
      expect(record!.wavPath).toMatch(/\.wav$/);
      await runUntil(fleet, gcs, () => existsSync(record!.wavPath!) && statSync(record!.wavPath!).size > 44, { maxSimMs: 10_000 });
    } else {
      expect(record!.wavPath).toBeNull();
    }

    // a repeated chunk of the finished request is answered with DONE and plays nothing
    const again = gcs.next((f) => f.msgid === SpeakerStatus.MSG_ID && decodeAs(f, SpeakerStatus).requestId === 42);
    speak(1, 42, text, 'zh-CN');
    expect(decodeAs(await again, SpeakerStatus).state).toBe(SpeakerState.DONE);
    expect(fleet.speaker(0)!.records()).toHaveLength(1);
  });

  it('fails what it plays on an injected speaker fault, and plays again once the fault clears', async () => {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true });
    await runFor(fleet, gcs, 1000);
    speak(1, 1, 'Please keep the fire lane clear. Do not stop or block the lane.', 'en');
    await runFor(fleet, gcs, 1000);
    fleet.injectFault(0, { kind: 'speaker-fault', durationS: 5 });
    await runUntil(fleet, gcs, () => statuses(1, 1).some((s) => s.state === SpeakerState.FAILED), { maxSimMs: 2000 });
    expect(statuses(1, 1).at(-1)).toMatchObject({ state: SpeakerState.FAILED, error: 1 /* HARDWARE */ });
    speak(1, 2, 'Second try.', 'en');
    await runFor(fleet, gcs, 400);
    expect(statuses(1, 2).at(-1)!.state).toBe(SpeakerState.FAILED);
    await runFor(fleet, gcs, 5000);
    speak(1, 3, 'Third try.', 'en');
    await runUntil(fleet, gcs, () => statuses(1, 3).some((s) => s.state === SpeakerState.DONE), { maxSimMs: 5000 });
    expect(fleet.speaker(0)!.records().map((r) => [r.requestId, r.outcome])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'done']]);
  });

  it('renders each text to a WAV with espeak-ng when it is on PATH (a stand-in espeak-ng here)', async () => {
    wavDir = mkdtempSync(join(tmpdir(), 'eagle-speaker-'));
    const bin = join(wavDir, 'bin');
    const out = join(wavDir, 'wav');
    // records its arguments and writes a tiny RIFF file where -w says
    mkdirSync(bin);
    writeFileSync(join(bin, 'espeak-ng'), '#!/bin/sh\necho "$@" > "$(dirname "$0")/args"\nwhile [ $# -gt 0 ]; do if [ "$1" = "-w" ]; then printf RIFFWAVE > "$2"; fi; shift; done\n');
    chmodSync(join(bin, 'espeak-ng'), 0o755);
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}:${oldPath}`;
    try {
      gcs = await TestGcs.open();
      fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, speakerWavDir: out });
      await runFor(fleet, gcs, 1000);
      speak(1, 5, '请保持消防通道畅通。', 'zh-CN');
      await runUntil(fleet, gcs, () => fleet!.speaker(0)!.records()[0]?.outcome === 'playing', { maxSimMs: 2000 });
      const wav = fleet.speaker(0)!.records()[0]!.wavPath!;
      expect(wav).toBe(join(out, 'speaker-25-5.wav'));
      await waitFor(() => existsSync(wav) && existsSync(join(bin, 'args')), { what: 'the WAV file' });
      expect(readFileSync(wav, 'utf8')).toBe('RIFFWAVE');
      expect(readFileSync(join(bin, 'args'), 'utf8')).toContain('-v cmn');
    } finally {
      process.env.PATH = oldPath;
    }
  });

  it('has a fault kind and CLI flags', () => {
    expect(parseFault('0:speaker-fault:30@10')).toEqual({ droneIndex: 0, atS: 10, fault: { kind: 'speaker-fault', durationS: 30 } });
    expect(parseFault('2:speaker-fault')).toEqual({ droneIndex: 2, atS: 0, fault: { kind: 'speaker-fault' } });
    expect(parseCli(['--no-speaker']).speaker).toBe(false);
    expect(parseCli(['--speaker-wav', '/tmp/wav']).speakerWavDir).toBe('/tmp/wav');
    expect(parseCli([]).speaker).toBeUndefined();
  });
});
