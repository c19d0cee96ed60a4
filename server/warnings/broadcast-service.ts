/**
 * Broadcasts: a text or a template spoken by a drone's loudspeaker (or a pre-approved clip played). The service checks that the
 * drone can say it (a speaker heard recently, the link up, the target within audible range),
 * stores the broadcast, hands it to the drone's SpeakerClient and follows it to its end
 * (queued → playing → done | failed | stopped), storing every change.
 *
 * It keeps one SpeakerClient per drone, created when the speaker component's first frame arrives
 * through DroneSession.onComponentFrame. Callers that are not HTTP routes (the parking-advisory
 * loop) use `broadcast()` too and await `finished`; they write their own audit entry.
 */
import { randomInt } from 'node:crypto';
import { minimal } from 'mavlink-mappings';
import type { Logger } from 'pino';
import { AppError } from '../errors.ts';
import type { DroneSession } from '../fleet/drone-session.ts';
import type { Fleet } from '../fleet/fleet.ts';
import { SPEAKER_COMPID, SPEAKER_MAV_TYPE, cleanText, splitText } from '../mavlink/dialects/speaker.ts';
import type { Frame } from '../mavlink/frame.ts';
import { decodeAs } from '../mavlink/message.ts';
import type { BroadcastState, Store, StoredBroadcast } from '../store/store.ts';
import type { Clock } from '../time/clock.ts';
import { SpeakerClient, type SpeakerClientOptions, type SpeakerUpdate } from './speaker-client.ts';
import { findTemplate, renderTemplate, type Lang, type TemplateParams } from './templates.ts';
import { distanceM } from '../fleet/distance.ts';

export type Voice = 'default' | 'female' | 'male';
const VOICES: Record<Voice, number> = { default: 0, female: 1, male: 2 };

export interface BroadcastInput {
  template?: string;
  params?: TemplateParams;
  text?: string;
  /** A pre-approved clip on the speaker, instead of a text. */
  clip?: number;
  lang: Lang;
  volume?: number;
  repeat?: number;
  priority?: 'normal' | 'urgent';
  voice?: Voice;
  /** What the broadcast is for (a vehicle, a crowd): refused when the drone is out of audible range of it. */
  target?: { lat: number; lon: number };
}

export interface StartedBroadcast {
  broadcast: StoredBroadcast;
  /** Settles with the stored broadcast once done, failed or stopped. */
  finished: Promise<StoredBroadcast>;
}

export interface BroadcastServiceOptions {
  fleet: Fleet;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Horizontal audible range of the speaker (default 150 m). */
  audibleRangeM?: number;
  /** The speaker counts as gone after this long without its HEARTBEAT (default 5 s). */
  speakerLostAfterMs?: number;
  client?: Partial<Omit<SpeakerClientOptions, 'channel' | 'clock'>>;
}

export const DEFAULT_VOLUME = 80;
export const MAX_TEXT_CHARS = 1000;

interface SpeakerEntry {
  client: SpeakerClient;
  /** Last HEARTBEAT of the speaker component, ms. */
  heartbeatMs: number | null;
}


export class BroadcastService {
  readonly audibleRangeM: number;
  private readonly speakers = new Map<string, SpeakerEntry>();
  private readonly attached = new Set<string>();
  private closed = false;
  private readonly listeners = new Set<(b: StoredBroadcast) => void>();
  private readonly speakerLostAfterMs: number;

  constructor(private readonly opts: BroadcastServiceOptions) {
    this.audibleRangeM = opts.audibleRangeM ?? 150;
    this.speakerLostAfterMs = opts.speakerLostAfterMs ?? 5000;
    const now = this.iso();
    for (const b of opts.store.broadcasts.unfinished()) {
      opts.store.broadcasts.update(b.id, { state: 'failed', reason: 'the server restarted before the broadcast finished', endedAt: now, updatedAt: now });
    }
    for (const d of opts.fleet.list()) this.attach(d.id);
    opts.fleet.onEvent((e) => { if (e.kind === 'drone-discovered' && e.droneId) this.attach(e.droneId); });
  }

  /** Called with the stored broadcast after every change of state or progress. */
  onUpdate(listener: (b: StoredBroadcast) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** The drone's speaker client, when a speaker was heard within the last few seconds. */
  speakerOf(droneId: string): SpeakerClient | null {
    const entry = this.speakers.get(droneId);
    if (!entry || entry.heartbeatMs === null) return null;
    return this.opts.clock.nowMs() - entry.heartbeatMs <= this.speakerLostAfterMs ? entry.client : null;
  }

  /** Render and check a broadcast without sending it: the text to speak, or an AppError saying why not. */
  prepare(session: DroneSession, input: BroadcastInput): { text: string; client: SpeakerClient; priority: 'normal' | 'urgent' } {
    const text = this.textOf(input);
    const entry = this.speakers.get(session.id);
    if (!session.state.connected) {
      throw new AppError('LINK_LOST', `drone ${session.id}: its link is lost (last heartbeat ${session.state.lastHeartbeatAt}); nothing can be broadcast`, { droneId: session.id, lastHeartbeatAt: session.state.lastHeartbeatAt });
    }
    const client = this.speakerOf(session.id);
    if (!client) {
      const lastHeardAt = entry?.heartbeatMs ? new Date(entry.heartbeatMs).toISOString() : null;
      throw new AppError('NO_SPEAKER', lastHeardAt
        ? `drone ${session.id}: its loudspeaker has been silent since ${lastHeardAt}`
        : `drone ${session.id} has no loudspeaker (no speaker component, compid ${SPEAKER_COMPID}, was heard on its link)`, { droneId: session.id, compid: SPEAKER_COMPID, lastHeardAt });
    }
    if (input.target) {
      const position = session.state.position;
      if (!position) throw new AppError('OUT_OF_RANGE', `drone ${session.id}: its position is unknown, so it cannot be known to be within ${this.audibleRangeM} m of the target`, { droneId: session.id, rangeM: this.audibleRangeM });
      const awayM = distanceM(position, input.target);
      if (awayM > this.audibleRangeM) {
        throw new AppError('OUT_OF_RANGE', `drone ${session.id} is ${Math.round(awayM)} m from the target, beyond the loudspeaker's audible range of ${this.audibleRangeM} m`, {
          droneId: session.id, distanceM: Math.round(awayM), rangeM: this.audibleRangeM,
        });
      }
    }
    const priority = input.priority ?? (input.template ? findTemplate(input.template)?.priority : undefined) ?? 'normal';
    return { text, client, priority };
  }

  /** Check, store and send a broadcast; it then runs on its own (`finished` tells the end). */
  broadcast(session: DroneSession, input: BroadcastInput, operator: string): StartedBroadcast {
    const { text, client, priority } = this.prepare(session, input);
    const repo = this.opts.store.broadcasts;
    const stored = repo.create({
      droneId: session.id, operator, at: this.iso(), template: input.template ?? null, params: input.template ? input.params ?? {} : null, text, clipId: input.clip ?? null, lang: input.lang,
      voice: VOICES[input.voice ?? 'default'], volume: input.volume ?? DEFAULT_VOLUME, repeat: input.repeat ?? 1, priority, target: input.target ?? null,
      requestId: randomInt(1, 0xffffffff), state: 'queued', progress: 0, durationMs: null, reason: null, startedAt: null, endedAt: null,
    });
    this.opts.logger.info({ droneId: session.id, broadcast: stored.id, requestId: stored.requestId, lang: stored.lang, template: stored.template, priority }, 'broadcast sent to the loudspeaker');
    // the broadcast as last recorded: `finished` gives it without reading the store (closed by then when the server stops)
    let latest = stored;
    const onUpdate = (u: SpeakerUpdate) => { latest = this.record(stored.id, u) ?? latest; };
    const handle = stored.clipId !== null
      ? client.playClip({ requestId: stored.requestId, clipId: stored.clipId, volume: stored.volume, repeat: stored.repeat, priority }, onUpdate)
      : client.speak({ requestId: stored.requestId, text, lang: stored.lang, voice: stored.voice, volume: stored.volume, repeat: stored.repeat, priority }, onUpdate);
    if (handle.current.state === 'queued') this.publish(stored);
    const finished = handle.finished.then(() => latest);
    return { broadcast: stored, finished };
  }

  /** Ask the speaker to stop a broadcast; resolves with the stored broadcast afterwards. */
  async stop(id: string): Promise<StoredBroadcast> {
    const b = this.get(id);
    if (b.state === 'done' || b.state === 'failed' || b.state === 'stopped') return b;
    const client = this.speakers.get(b.droneId)?.client;
    if (!client) throw new AppError('NO_SPEAKER', `drone ${b.droneId}: no loudspeaker to stop`, { droneId: b.droneId });
    const result = await client.stop(b.requestId);
    if (!result) throw new AppError('COMMAND_TIMEOUT', `broadcast ${id}: the loudspeaker did not confirm the stop`, { id });
    return this.get(id);
  }

  get(id: string): StoredBroadcast {
    const b = this.opts.store.broadcasts.get(id);
    if (!b) throw new AppError('NOT_FOUND', `no broadcast ${id}`, { id });
    return b;
  }

  /** Unfinished broadcasts are recorded failed; after that nothing touches the store (it closes next). */
  close(): void {
    for (const e of this.speakers.values()) e.client.close();
    this.closed = true;
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  private textOf(input: BroadcastInput): string {
    const given = [input.template, input.text, input.clip].filter((x) => x !== undefined).length;
    if (given !== 1) {
      throw new AppError('BAD_REQUEST', 'give one of: a template (with its params), a text, or a clip', { fields: ['template', 'text', 'clip'] });
    }
    if (input.clip !== undefined) {
      if (!Number.isInteger(input.clip) || input.clip < 1 || input.clip > 0xffff) throw new AppError('BAD_REQUEST', 'clip: a clip id from 1 to 65535', { fields: ['clip'] });
      return '';
    }
    if (input.params && input.template === undefined) throw new AppError('BAD_REQUEST', 'params belong to a template', { fields: ['params'] });
    const text = input.template !== undefined ? renderTemplate(input.template, input.lang, input.params) : cleanText(input.text!);
    if (!text) throw new AppError('BAD_REQUEST', 'the text is empty', { fields: ['text'] });
    if ([...text].length > MAX_TEXT_CHARS) throw new AppError('BAD_REQUEST', `the text is longer than ${MAX_TEXT_CHARS} characters`, { fields: ['text'], maxChars: MAX_TEXT_CHARS });
    try {
      splitText(text);
    } catch {
      throw new AppError('BAD_REQUEST', 'the text is too long for one broadcast', { fields: ['text'] });
    }
    return text;
  }

  private attach(droneId: string): void {
    if (this.attached.has(droneId)) return;
    const session = this.opts.fleet.get(droneId);
    if (!session) return;
    this.attached.add(droneId);
    session.onComponentFrame((frame, nowMs) => this.fromComponent(session, frame, nowMs));
  }

  private fromComponent(session: DroneSession, frame: Frame, nowMs: number): void {
    if (frame.compid !== SPEAKER_COMPID) return;
    let entry = this.speakers.get(session.id);
    if (frame.msgid === minimal.Heartbeat.MSG_ID) {
      const hb = decodeAs(frame, minimal.Heartbeat);
      if (hb.type !== SPEAKER_MAV_TYPE) return;
      if (!entry) {
        const client = new SpeakerClient({
          channel: { target: { sysid: session.state.sysid, compid: SPEAKER_COMPID }, send: (clazz, fields) => session.channel.send(clazz, fields) },
          clock: this.opts.clock, ...this.opts.client,
        });
        entry = { client, heartbeatMs: null };
        this.speakers.set(session.id, entry);
        session.logger.info({ compid: SPEAKER_COMPID }, 'loudspeaker found');
      }
      entry.heartbeatMs = nowMs;
    }
    entry?.client.handleFrame(frame, nowMs);
  }

  private record(id: string, u: SpeakerUpdate): StoredBroadcast | null {
    if (this.closed) return null;
    const repo = this.opts.store.broadcasts;
    const before = repo.get(id);
    if (!before) return null;
    const now = this.iso();
    const state: BroadcastState = u.state;
    const final = state === 'done' || state === 'failed' || state === 'stopped';
    const after = repo.update(id, {
      state, progress: u.progress, durationMs: u.durationMs, reason: u.reason, updatedAt: now,
      startedAt: before.startedAt ?? (state === 'playing' || (state === 'done' && u.acknowledged) ? now : undefined),
      endedAt: final ? now : undefined,
    });
    if (!after) return null;
    if (before.state !== after.state) {
      this.opts.logger.info({ droneId: after.droneId, broadcast: id, state: after.state, reason: after.reason }, 'broadcast state');
      this.publish(after);
    }
    for (const l of this.listeners) l(after);
    return after;
  }

  /** A `broadcast` event on the fleet's event bus (stream, stored events) for every change of state. */
  private publish(b: StoredBroadcast): void {
    this.opts.fleet.publish({
      kind: 'broadcast', droneId: b.droneId, at: b.updatedAt, id: b.id, state: b.state, lang: b.lang, text: b.text, template: b.template,
      clipId: b.clipId, priority: b.priority, reason: b.reason, durationMs: b.durationMs,
    });
  }

  private iso(): string {
    return new Date(this.opts.clock.nowMs()).toISOString();
  }
}
