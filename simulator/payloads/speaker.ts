/**
 * The simulated loudspeaker: a MAVLink component of its own on the drone (compid 25, HEARTBEAT type
 * ONBOARD_CONTROLLER) speaking the loudspeaker dialect (docs/speaker-protocol.md).
 *
 *   SPEAKER_SPEAK chunks ──▶ receiving ──(all chunks, length checks)──▶ queued ──(its turn)──▶ playing ──▶ done
 *                               │ bad chunks: failed(BAD_REQUEST)           │ urgent arrives: playing → stopped(PREEMPTED)
 *                               │                                           │ SPEAKER_STOP: stopped(STOP_REQUESTED)
 *                               │                                           │ amplifier fault: failed(HARDWARE)
 *
 * Every request message is answered with SPEAKER_STATUS; a request already known is answered with
 * its current status and changes nothing (idempotent by request id). Queued and playing requests
 * report at 1 Hz. It plays for the time estimated from the text (server/warnings/speech-time.ts)
 * and keeps a record of what it said, when, where and for how long (`records()`).
 * When `espeak-ng` is on PATH and a `wavDir` is given, each text is also rendered to a WAV file.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Frame } from '../../server/mavlink/frame.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import {
  MAX_CHUNKS, SPEAKER_COMPID, SPEAKER_MAV_TYPE, SpeakerError, SpeakerPlayClip, SpeakerPriority, SpeakerSpeak, SpeakerState, SpeakerStatus, SpeakerStop,
  fullMask, utf8Length,
} from '../../server/mavlink/dialects/speaker.ts';
import { speechDurationMs, REPEAT_PAUSE_MS } from '../../server/warnings/speech-time.ts';
import type { PayloadComponent, PayloadContext } from './payload.ts';

export type SpeakerOutcome = 'receiving' | 'queued' | 'playing' | 'done' | 'failed' | 'stopped';

/** What the speaker was asked and what became of it. */
export interface SpeakerRecord {
  requestId: number;
  kind: 'speech' | 'clip';
  /** The whole text (speech), or the clip's name. */
  text: string;
  clipId: number | null;
  lang: string;
  voice: number;
  volume: number;
  repeat: number;
  priority: 'normal' | 'urgent';
  receivedAtMs: number;
  startedAtMs: number | null;
  endedAtMs: number | null;
  /** Planned playing time with every repeat. */
  durationMs: number;
  /** How long it actually played. */
  playedMs: number;
  outcome: SpeakerOutcome;
  error: keyof typeof SpeakerError | null;
  /** Where the drone was when it started playing. */
  position: SpeakerPosition | null;
  /** The rendered audio, when espeak-ng was available. */
  wavPath: string | null;
}

export interface SpeakerPosition { lat: number; lon: number; altitudeM: number }

export interface SpeakerClip { name: string; durationMs: number }

export interface SimSpeakerOptions {
  compid?: number;
  /** Where the drone is (ground truth), recorded when a request starts playing. */
  position?: () => SpeakerPosition | null;
  /** Render each text to a WAV file in this folder when espeak-ng is on PATH. */
  wavDir?: string | null;
  /** Pre-approved clips by id. */
  clips?: Record<number, SpeakerClip>;
  maxQueue?: number;
  statusIntervalMs?: number;
  languages?: readonly string[];
}

/** A speaker fault: `amplifier` fails what plays and every request until it clears; `unresponsive` ignores every request message. */
export interface SpeakerFault { mode: 'amplifier' | 'unresponsive'; untilMs: number }

export const DEFAULT_CLIPS: Record<number, SpeakerClip> = {
  1: { name: 'attention tone', durationMs: 2000 },
  2: { name: 'siren (short)', durationMs: 5000 },
};

const DEFAULT_LANGUAGES = ['zh-CN', 'zh', 'cmn', 'en', 'en-US', 'en-GB'];
const KEEP_FINISHED = 256;

interface Pending {
  record: SpeakerRecord;
  chunkCount: number;
  totalBytes: number;
  chunks: Array<string | undefined>;
  mask: number;
}

const espeakCache = new Map<string, string | null>();
/** The espeak-ng executable on PATH, or null (looked up once per PATH value). */
export function findEspeak(pathEnv: string = process.env.PATH ?? ''): string | null {
  const cached = espeakCache.get(pathEnv);
  if (cached !== undefined) return cached;
  let found: string | null = null;
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'espeak-ng');
    try {
      accessSync(candidate, constants.X_OK);
      found = candidate;
      break;
    } catch { /* not here */ }
  }
  espeakCache.set(pathEnv, found);
  return found;
}

export class SimSpeaker implements PayloadComponent {
  readonly compid: number;
  readonly mavType = SPEAKER_MAV_TYPE;
  /** SPEAKER_* request messages received, duplicates included. */
  requestsReceived = 0;
  private readonly requests = new Map<number, Pending>();
  private readonly order: number[] = [];
  private queue: Pending[] = [];
  private playing: Pending | null = null;
  private fault: SpeakerFault | null = null;
  private nextStatusMs = 0;
  private readonly opts: Required<Omit<SimSpeakerOptions, 'position' | 'wavDir'>> & Pick<SimSpeakerOptions, 'position' | 'wavDir'>;

  constructor(opts: SimSpeakerOptions = {}) {
    this.compid = opts.compid ?? SPEAKER_COMPID;
    this.opts = { clips: DEFAULT_CLIPS, maxQueue: 16, statusIntervalMs: 1000, languages: DEFAULT_LANGUAGES, compid: this.compid, ...opts };
  }

  /** Every request the speaker completed receiving, oldest first. */
  records(): SpeakerRecord[] {
    return this.order.map((id) => this.requests.get(id)?.record).filter((r): r is SpeakerRecord => !!r && r.outcome !== 'receiving').map((r) => ({ ...r }));
  }

  /** What is playing now. */
  nowPlaying(): SpeakerRecord | null {
    return this.playing ? { ...this.playing.record } : null;
  }

  injectFault(mode: SpeakerFault['mode'], nowMs: number, durationS?: number): void {
    this.fault = { mode, untilMs: durationS === undefined ? Infinity : nowMs + durationS * 1000 };
  }

  clearFault(): void {
    this.fault = null;
  }

  handleFrame(frame: Frame, ctx: PayloadContext): void {
    switch (frame.msgid) {
      case SpeakerSpeak.MSG_ID: {
        const m = decodeAs(frame, SpeakerSpeak);
        if (m.targetComponent !== this.compid || this.deaf(ctx)) return;
        this.requestsReceived++;
        this.onSpeak(m, ctx);
        return;
      }
      case SpeakerPlayClip.MSG_ID: {
        const m = decodeAs(frame, SpeakerPlayClip);
        if (m.targetComponent !== this.compid || this.deaf(ctx)) return;
        this.requestsReceived++;
        this.onClip(m, ctx);
        return;
      }
      case SpeakerStop.MSG_ID: {
        const m = decodeAs(frame, SpeakerStop);
        if (m.targetComponent !== this.compid || this.deaf(ctx)) return;
        this.requestsReceived++;
        this.onStop(m.requestId, ctx);
        return;
      }
    }
  }

  tick(ctx: PayloadContext): void {
    const now = ctx.nowMs();
    if (this.fault && now >= this.fault.untilMs) this.fault = null;
    const p = this.playing;
    if (p) {
      if (this.fault?.mode === 'amplifier') this.finish(p, 'failed', 'HARDWARE', ctx);
      else if (now >= p.record.startedAtMs! + p.record.durationMs) this.finish(p, 'done', null, ctx);
    }
    if (!this.playing) this.startNext(ctx);
    if (now >= this.nextStatusMs) {
      this.nextStatusMs = now + this.opts.statusIntervalMs;
      if (this.playing) this.status(this.playing, ctx);
      for (const q of this.queue) this.status(q, ctx);
    }
  }

  // ── requests ───────────────────────────────────────────────────────────────────────────────

  private deaf(ctx: PayloadContext): boolean {
    if (this.fault && ctx.nowMs() >= this.fault.untilMs) this.fault = null;
    return this.fault?.mode === 'unresponsive';
  }

  private onSpeak(m: SpeakerSpeak, ctx: PayloadContext): void {
    const known = this.requests.get(m.requestId);
    if (known && known.record.outcome !== 'receiving') return this.status(known, ctx);
    if (m.requestId === 0) return;
    let p = known;
    if (!p) {
      p = this.remember({
        requestId: m.requestId, kind: 'speech', text: '', clipId: null, lang: m.lang, voice: m.voice, volume: m.volume,
        repeat: Math.max(1, m.repeat), priority: m.priority === SpeakerPriority.URGENT ? 'urgent' : 'normal',
        receivedAtMs: ctx.nowMs(), startedAtMs: null, endedAtMs: null, durationMs: 0, playedMs: 0, outcome: 'receiving', error: null, position: null, wavPath: null,
      }, m.chunkCount, m.totalBytes);
      if (m.chunkCount < 1 || m.chunkCount > MAX_CHUNKS) return this.finish(p, 'failed', 'BAD_REQUEST', ctx);
    }
    if (m.chunkCount !== p.chunkCount || m.totalBytes !== p.totalBytes || m.chunkIndex >= p.chunkCount) return this.finish(p, 'failed', 'BAD_REQUEST', ctx);
    p.chunks[m.chunkIndex] = m.text;
    p.mask = (p.mask | (1 << m.chunkIndex)) >>> 0;
    if (p.mask !== fullMask(p.chunkCount)) return this.status(p, ctx);
    const text = p.chunks.join('');
    if (utf8Length(text) !== p.totalBytes) return this.finish(p, 'failed', 'BAD_REQUEST', ctx);
    p.record.text = text;
    p.record.durationMs = speechDurationMs(text, p.record.repeat);
    if (!this.opts.languages.includes(p.record.lang)) return this.finish(p, 'failed', 'UNSUPPORTED_LANGUAGE', ctx);
    this.enqueue(p, ctx);
  }

  private onClip(m: SpeakerPlayClip, ctx: PayloadContext): void {
    const known = this.requests.get(m.requestId);
    if (known) return this.status(known, ctx);
    if (m.requestId === 0) return;
    const clip = this.opts.clips[m.clipId];
    const repeat = Math.max(1, m.repeat);
    const p = this.remember({
      requestId: m.requestId, kind: 'clip', text: clip?.name ?? '', clipId: m.clipId, lang: '', voice: 0, volume: m.volume, repeat,
      priority: m.priority === SpeakerPriority.URGENT ? 'urgent' : 'normal', receivedAtMs: ctx.nowMs(), startedAtMs: null, endedAtMs: null,
      durationMs: clip ? clip.durationMs * repeat + REPEAT_PAUSE_MS * (repeat - 1) : 0, playedMs: 0, outcome: 'receiving', error: null, position: null, wavPath: null,
    }, 1, 0);
    p.mask = 1;
    if (!clip) return this.finish(p, 'failed', 'UNKNOWN_CLIP', ctx);
    this.enqueue(p, ctx);
  }

  private onStop(requestId: number, ctx: PayloadContext): void {
    if (requestId === 0) {
      for (const q of [...this.queue]) this.finish(q, 'stopped', 'STOP_REQUESTED', ctx);
      if (this.playing) this.finish(this.playing, 'stopped', 'STOP_REQUESTED', ctx);
      return;
    }
    const p = this.requests.get(requestId);
    if (!p) {
      // nothing to stop: say so, so the sender's stop is acknowledged
      ctx.send(SpeakerStatus, { requestId, state: SpeakerState.STOPPED, progress: 0, error: SpeakerError.STOP_REQUESTED, queueLength: 0, chunkMask: 0, durationMs: 0 });
      return;
    }
    if (p.record.outcome === 'receiving' || p.record.outcome === 'queued' || p.record.outcome === 'playing') this.finish(p, 'stopped', 'STOP_REQUESTED', ctx);
    else this.status(p, ctx);
  }

  private enqueue(p: Pending, ctx: PayloadContext): void {
    if (this.queue.length >= this.opts.maxQueue) return this.finish(p, 'failed', 'QUEUE_FULL', ctx);
    p.record.outcome = 'queued';
    if (p.record.priority === 'urgent') {
      const firstNormal = this.queue.findIndex((q) => q.record.priority !== 'urgent');
      this.queue.splice(firstNormal < 0 ? this.queue.length : firstNormal, 0, p);
      if (this.playing && this.playing.record.priority !== 'urgent') this.finish(this.playing, 'stopped', 'PREEMPTED', ctx);
    } else {
      this.queue.push(p);
    }
    this.status(p, ctx);
    if (!this.playing) this.startNext(ctx);
  }

  private startNext(ctx: PayloadContext): void {
    const p = this.queue.shift();
    if (!p) return;
    const r = p.record;
    if (this.fault?.mode === 'amplifier') return this.finish(p, 'failed', 'HARDWARE', ctx);
    r.outcome = 'playing';
    r.startedAtMs = ctx.nowMs();
    r.position = this.opts.position?.() ?? null;
    this.playing = p;
    if (r.kind === 'speech') this.render(r);
    this.status(p, ctx);
    for (const q of this.queue) this.status(q, ctx);
  }

  private finish(p: Pending, outcome: 'done' | 'failed' | 'stopped', error: keyof typeof SpeakerError | null, ctx: PayloadContext): void {
    const r = p.record;
    const now = ctx.nowMs();
    if (r.startedAtMs !== null) r.playedMs = Math.min(r.durationMs, now - r.startedAtMs);
    r.endedAtMs = now;
    r.outcome = outcome;
    r.error = error;
    this.queue = this.queue.filter((q) => q !== p);
    if (this.playing === p) this.playing = null;
    this.status(p, ctx);
  }

  private remember(record: SpeakerRecord, chunkCount: number, totalBytes: number): Pending {
    const p: Pending = { record, chunkCount, totalBytes, chunks: new Array(Math.max(0, Math.min(chunkCount, MAX_CHUNKS))), mask: 0 };
    this.requests.set(record.requestId, p);
    this.order.push(record.requestId);
    while (this.order.length > KEEP_FINISHED) {
      const old = this.requests.get(this.order[0]!);
      if (old && (old.record.outcome === 'queued' || old.record.outcome === 'playing')) break;
      this.requests.delete(this.order.shift()!);
    }
    return p;
  }

  private status(p: Pending, ctx: PayloadContext): void {
    const r = p.record;
    const state = {
      receiving: SpeakerState.RECEIVING, queued: SpeakerState.QUEUED, playing: SpeakerState.PLAYING,
      done: SpeakerState.DONE, failed: SpeakerState.FAILED, stopped: SpeakerState.STOPPED,
    }[r.outcome];
    const now = ctx.nowMs();
    const progress = r.outcome === 'done' ? 100
      : r.startedAtMs !== null && r.durationMs > 0 ? Math.min(99, Math.floor((100 * ((r.endedAtMs ?? now) - r.startedAtMs)) / r.durationMs)) : 0;
    const queueLength = r.outcome === 'queued' ? this.queue.indexOf(p) + (this.playing ? 1 : 0) : 0;
    ctx.send(SpeakerStatus, {
      requestId: r.requestId, state, progress, error: r.error ? SpeakerError[r.error] : SpeakerError.NONE,
      queueLength: Math.min(255, Math.max(0, queueLength)), chunkMask: p.mask, durationMs: r.durationMs,
    });
  }

  private render(r: SpeakerRecord): void {
    const dir = this.opts.wavDir;
    const espeak = dir ? findEspeak() : null;
    if (!dir || !espeak) return;
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `speaker-${this.compid}-${r.requestId}.wav`);
      const voice = r.lang.startsWith('zh') || r.lang === 'cmn' ? 'cmn' : 'en';
      const child = spawn(espeak, ['-v', voice, '-a', String(Math.round((r.volume / 100) * 200)), '-w', path, r.text], { stdio: 'ignore' });
      child.on('error', () => { /* rendering is optional */ });
      r.wavPath = path;
    } catch {
      /* rendering is optional */
    }
  }
}
