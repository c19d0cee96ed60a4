/**
 * The server's side of the loudspeaker protocol (docs/speaker-protocol.md), one client per drone
 * speaker. Each request runs this state machine, on the injected clock:
 *
 *            transmit missing chunks                 SPEAKER_STATUS queued | playing
 *   submit ─────────────────────────▶ sending ──────────────────────────────────────▶ acknowledged ──┐
 *                                      │  ▲ │                                           │  ▲          │ SPEAKER_STATUS
 *                                      │  └─┘ ack timeout, attempts left:             │  └──┐       │ done | failed | stopped
 *                                      │      resend the chunks the speaker lacks     │     │       ▼
 *                                      │      (RECEIVING status carries chunk_mask)   │  status  final (done | failed | stopped)
 *                                      │                                              │  silence:        ▲
 *                                      │ attempts exhausted                           │  resend chunk 0  │
 *                                      └──────────▶ failed ("no answer")              │  (a status query)│
 *                                                                                     └── queries exhausted ──▶ failed ("lost contact")
 *
 * Requests are idempotent by request id, on both ends: submitting a known id returns the same
 * handle and sends nothing new; the speaker answers a repeated chunk with the request's status.
 * A final status is reported once. An urgent request pre-empts what plays on the speaker: the
 * pre-empted request ends `stopped` with the reason.
 */
import type { VehicleChannel } from '../mavlink/channel.ts';
import {
  SpeakerError, SpeakerPlayClip, SpeakerPriority, SpeakerSpeak, SpeakerState, SpeakerStatus, SpeakerStop, fullMask, splitText, utf8Length,
} from '../mavlink/dialects/speaker.ts';
import type { Frame } from '../mavlink/frame.ts';
import { decodeAs } from '../mavlink/message.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';

export type SpeakerRequestState = 'queued' | 'playing' | 'done' | 'failed' | 'stopped';
export type SpeakerPriorityName = 'normal' | 'urgent';

export interface SpeakerUpdate {
  requestId: number;
  state: SpeakerRequestState;
  /** The speaker has the whole request (it said queued or playing, or finished it). */
  acknowledged: boolean;
  progress: number;
  /** The speaker's estimate of the playing time, every repeat included. */
  durationMs: number | null;
  queueLength: number;
  /** SPEAKER_ERROR name, or a client-side one: NO_ANSWER, LOST_CONTACT, CANCELLED. */
  error: string | null;
  /** A sentence for the operator when it failed or stopped. */
  reason: string | null;
  /** Transmissions of the request (first one included). */
  attempts: number;
}

export interface SpeakRequest {
  requestId: number;
  text: string;
  lang: string;
  voice?: number;
  volume: number;
  repeat: number;
  priority: SpeakerPriorityName;
}

export interface ClipRequest {
  requestId: number;
  clipId: number;
  volume: number;
  repeat: number;
  priority: SpeakerPriorityName;
}

export interface SpeakerHandle {
  readonly requestId: number;
  /** The latest update. */
  readonly current: SpeakerUpdate;
  /** Settles with the final update (done, failed or stopped); never rejects. */
  readonly finished: Promise<SpeakerUpdate>;
}

export interface SpeakerClientOptions {
  /** Targets the speaker component (sysid of the drone, compid of the speaker). */
  channel: VehicleChannel;
  clock: Clock;
  /** Resend what is unacknowledged after this long. */
  ackTimeoutMs?: number;
  /** Resends after the first transmission. */
  retries?: number;
  /** Once acknowledged, the speaker reports at 1 Hz: after this long without a status, ask again. */
  statusTimeoutMs?: number;
  /** Status queries before giving up on an acknowledged request. */
  queries?: number;
}

const FINAL: ReadonlySet<SpeakerRequestState> = new Set(['done', 'failed', 'stopped']);

const STATE_NAMES: Record<number, SpeakerRequestState | 'receiving'> = {
  [SpeakerState.RECEIVING]: 'receiving', [SpeakerState.QUEUED]: 'queued', [SpeakerState.PLAYING]: 'playing',
  [SpeakerState.DONE]: 'done', [SpeakerState.FAILED]: 'failed', [SpeakerState.STOPPED]: 'stopped',
};

export function speakerErrorReason(error: string, lang = ''): string {
  switch (error) {
    case 'HARDWARE': return 'the loudspeaker reported a hardware fault (amplifier or speaker)';
    case 'BAD_REQUEST': return 'the loudspeaker could not reassemble the request';
    case 'UNSUPPORTED_LANGUAGE': return `the loudspeaker has no voice for ${lang || 'this language'}`;
    case 'UNKNOWN_CLIP': return 'the loudspeaker has no clip with this id';
    case 'QUEUE_FULL': return 'the loudspeaker\'s queue is full';
    case 'PREEMPTED': return 'pre-empted by an urgent broadcast';
    case 'STOP_REQUESTED': return 'stopped on request';
    case 'NO_ANSWER': return 'no answer from the loudspeaker';
    case 'LOST_CONTACT': return 'lost contact with the loudspeaker while it was playing';
    case 'CANCELLED': return 'cancelled: the drone\'s session ended';
    default: return `the loudspeaker reported ${error}`;
  }
}

class Outgoing {
  update: SpeakerUpdate;
  timer: TimerHandle | null = null;
  /** Chunks the speaker confirmed (bit i = chunk i). */
  mask = 0;
  queries = 0;
  readonly finished: Promise<SpeakerUpdate>;
  resolve!: (u: SpeakerUpdate) => void;
  readonly listeners: Array<(u: SpeakerUpdate) => void> = [];

  constructor(
    readonly requestId: number,
    /** One message per chunk (a clip is one message). */
    readonly messages: Array<{ clazz: typeof SpeakerSpeak | typeof SpeakerPlayClip; fields: Record<string, unknown> }>,
    readonly lang: string,
  ) {
    this.update = { requestId, state: 'queued', acknowledged: false, progress: 0, durationMs: null, queueLength: 0, error: null, reason: null, attempts: 0 };
    this.finished = new Promise((resolve) => { this.resolve = resolve; });
  }

  get final(): boolean {
    return FINAL.has(this.update.state);
  }
}

export class SpeakerClient {
  /** When the speaker was last heard from (any frame of its component), or null. */
  lastHeardMs: number | null = null;
  /** Resends over the client's life (observability). */
  resends = 0;
  private readonly requests = new Map<number, Outgoing>();
  private readonly stops = new Map<number, { timer: TimerHandle | null; attempts: number; resolve: (u: SpeakerUpdate | null) => void; promise: Promise<SpeakerUpdate | null> }>();
  private readonly ackTimeoutMs: number;
  private readonly retries: number;
  private readonly statusTimeoutMs: number;
  private readonly queries: number;

  constructor(private readonly opts: SpeakerClientOptions) {
    this.ackTimeoutMs = opts.ackTimeoutMs ?? 1000;
    this.retries = opts.retries ?? 5;
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 3000;
    this.queries = opts.queries ?? 5;
  }

  get target(): { sysid: number; compid: number } {
    return this.opts.channel.target;
  }

  speak(req: SpeakRequest, onUpdate?: (u: SpeakerUpdate) => void): SpeakerHandle {
    const known = this.known(req.requestId, onUpdate);
    if (known) return known;
    const chunks = splitText(req.text);
    const totalBytes = utf8Length(req.text);
    const { sysid, compid } = this.target;
    const messages = chunks.map((text, i) => ({
      clazz: SpeakerSpeak,
      fields: {
        targetSystem: sysid, targetComponent: compid, requestId: req.requestId, chunkIndex: i, chunkCount: chunks.length, totalBytes,
        lang: req.lang, voice: req.voice ?? 0, volume: clampByte(req.volume, 100), repeat: clampByte(req.repeat, 10) || 1,
        priority: req.priority === 'urgent' ? SpeakerPriority.URGENT : SpeakerPriority.NORMAL, text,
      },
    }));
    return this.start(new Outgoing(req.requestId, messages, req.lang), onUpdate);
  }

  playClip(req: ClipRequest, onUpdate?: (u: SpeakerUpdate) => void): SpeakerHandle {
    const known = this.known(req.requestId, onUpdate);
    if (known) return known;
    const { sysid, compid } = this.target;
    const message = {
      clazz: SpeakerPlayClip,
      fields: {
        targetSystem: sysid, targetComponent: compid, requestId: req.requestId, clipId: req.clipId, volume: clampByte(req.volume, 100),
        repeat: clampByte(req.repeat, 10) || 1, priority: req.priority === 'urgent' ? SpeakerPriority.URGENT : SpeakerPriority.NORMAL,
      },
    };
    return this.start(new Outgoing(req.requestId, [message], ''), onUpdate);
  }

  /**
   * Stop one request; resolves with its final update once the speaker confirmed (null when the
   * speaker never answered).
   */
  stop(requestId: number): Promise<SpeakerUpdate | null> {
    const out = this.requests.get(requestId);
    if (out?.final) return Promise.resolve(out.update);
    const running = this.stops.get(requestId);
    if (running) return running.promise;
    let resolve!: (u: SpeakerUpdate | null) => void;
    const promise = new Promise<SpeakerUpdate | null>((r) => { resolve = r; });
    const entry = { timer: null as TimerHandle | null, attempts: 0, resolve, promise };
    this.stops.set(requestId, entry);
    const send = () => {
      entry.attempts++;
      const { sysid, compid } = this.target;
      this.opts.channel.send(SpeakerStop, { targetSystem: sysid, targetComponent: compid, requestId });
      entry.timer = this.opts.clock.setTimeout(() => {
        if (entry.attempts <= this.retries) { this.resends++; send(); } else { this.stops.delete(requestId); resolve(null); }
      }, this.ackTimeoutMs);
    };
    send();
    return promise;
  }

  /** Feed every frame from the speaker's component here. Returns true when it was ours. */
  handleFrame(frame: Frame, nowMs: number): boolean {
    if (frame.compid !== this.target.compid) return false;
    this.lastHeardMs = nowMs;
    if (frame.msgid !== SpeakerStatus.MSG_ID) return true;
    const s = decodeAs(frame, SpeakerStatus);
    const stateName = STATE_NAMES[s.state];
    const stop = this.stops.get(s.requestId);
    const out = this.requests.get(s.requestId);
    if (!stateName) return true;
    if (out && !out.final) this.onStatus(out, stateName, s);
    if (stop && (stateName === 'done' || stateName === 'failed' || stateName === 'stopped')) {
      stop.timer?.cancel();
      this.stops.delete(s.requestId);
      stop.resolve(out?.update ?? this.orphanUpdate(s.requestId, stateName, s));
    }
    return true;
  }

  get(requestId: number): SpeakerUpdate | null {
    return this.requests.get(requestId)?.update ?? null;
  }

  /** Requests not finished yet. */
  get active(): number {
    let n = 0;
    for (const r of this.requests.values()) if (!r.final) n++;
    return n;
  }

  /** Ends every unfinished request as failed (the drone's session ended, the server stops). */
  close(): void {
    for (const out of this.requests.values()) if (!out.final) this.finish(out, { state: 'failed', error: 'CANCELLED' });
    for (const [id, stop] of this.stops) { stop.timer?.cancel(); stop.resolve(null); this.stops.delete(id); }
  }

  // ── the state machine ──────────────────────────────────────────────────────────────────────

  private known(requestId: number, onUpdate?: (u: SpeakerUpdate) => void): SpeakerHandle | null {
    if (!Number.isInteger(requestId) || requestId <= 0 || requestId > 0xffffffff) throw new RangeError(`request id must be 1 .. 2^32-1, got ${requestId}`);
    const out = this.requests.get(requestId);
    if (!out) return null;
    if (onUpdate) out.listeners.push(onUpdate);
    return this.handle(out);
  }

  private start(out: Outgoing, onUpdate?: (u: SpeakerUpdate) => void): SpeakerHandle {
    if (onUpdate) out.listeners.push(onUpdate);
    this.requests.set(out.requestId, out);
    this.prune();
    this.transmit(out);
    return this.handle(out);
  }

  private handle(out: Outgoing): SpeakerHandle {
    return { requestId: out.requestId, get current() { return out.update; }, finished: out.finished };
  }

  /** Send the chunks the speaker does not have yet, then wait for its answer. */
  private transmit(out: Outgoing): void {
    out.update.attempts++;
    // the timer first: an answer that arrives while we send replaces it
    out.timer?.cancel();
    out.timer = this.opts.clock.setTimeout(() => this.onAckTimeout(out), this.ackTimeoutMs);
    out.messages.forEach((m, i) => {
      if (!out.final && !out.update.acknowledged && (out.mask & (1 << i)) === 0) this.opts.channel.send(m.clazz, m.fields);
    });
  }

  private onAckTimeout(out: Outgoing): void {
    if (out.final || out.update.acknowledged) return;
    if (out.update.attempts <= this.retries) {
      this.resends++;
      this.transmit(out);
    } else {
      this.finish(out, { state: 'failed', error: 'NO_ANSWER', reason: `no answer from the loudspeaker after ${out.update.attempts} attempts` });
    }
  }

  private onStatusTimeout(out: Outgoing): void {
    if (out.final) return;
    if (out.queries < this.queries) {
      out.queries++;
      this.resends++;
      // any chunk of a known request is answered with its status
      const first = out.messages[0]!;
      this.opts.channel.send(first.clazz, first.fields);
      out.timer = this.opts.clock.setTimeout(() => this.onStatusTimeout(out), this.statusTimeoutMs);
    } else {
      this.finish(out, { state: 'failed', error: 'LOST_CONTACT' });
    }
  }

  private onStatus(out: Outgoing, state: SpeakerRequestState | 'receiving', s: SpeakerStatus): void {
    out.mask = (out.mask | s.chunkMask) >>> 0;
    if (state === 'receiving') return;
    const error = s.error === SpeakerError.NONE ? null : (SpeakerError[s.error] ?? `ERROR_${s.error}`);
    const durationMs = s.durationMs > 0 ? s.durationMs : out.update.durationMs;
    if (FINAL.has(state)) {
      this.finish(out, { state, error, progress: state === 'done' ? 100 : s.progress, durationMs, acknowledged: true });
      return;
    }
    out.mask = fullMask(out.messages.length);
    out.queries = 0;
    out.timer?.cancel();
    out.timer = this.opts.clock.setTimeout(() => this.onStatusTimeout(out), this.statusTimeoutMs);
    const u = out.update;
    const changed = !u.acknowledged || u.state !== state || u.progress !== s.progress || u.queueLength !== s.queueLength;
    out.update = { ...u, state, acknowledged: true, progress: s.progress, durationMs, queueLength: s.queueLength };
    if (changed) this.notify(out);
  }

  private finish(out: Outgoing, patch: Partial<SpeakerUpdate> & { state: SpeakerRequestState }): void {
    if (out.final) return;
    out.timer?.cancel();
    out.timer = null;
    const error = patch.error ?? null;
    out.update = { ...out.update, ...patch, error, reason: patch.reason ?? (error ? speakerErrorReason(error, out.lang) : null) };
    this.notify(out);
    out.resolve(out.update);
  }

  private notify(out: Outgoing): void {
    for (const l of out.listeners) l(out.update);
  }

  private orphanUpdate(requestId: number, state: SpeakerRequestState, s: SpeakerStatus): SpeakerUpdate {
    const error = s.error === SpeakerError.NONE ? null : (SpeakerError[s.error] ?? null);
    return { requestId, state, acknowledged: true, progress: s.progress, durationMs: s.durationMs || null, queueLength: 0, error, reason: error ? speakerErrorReason(error) : null, attempts: 0 };
  }

  /** Keep finished requests for a while (idempotency), not forever. */
  private prune(): void {
    if (this.requests.size <= 512) return;
    for (const [id, r] of this.requests) {
      if (this.requests.size <= 256) break;
      if (r.final) this.requests.delete(id);
    }
  }
}

function clampByte(n: number, max: number): number {
  return Math.max(0, Math.min(max, Math.round(n)));
}
