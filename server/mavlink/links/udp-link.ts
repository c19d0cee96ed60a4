/** UDP link: listens on HOST:PORT; each datagram is decoded on its own; replies go to the sender's address. */
import dgram from 'node:dgram';
import type { Clock } from '../../time/clock.ts';
import { decodeDatagram, newDecodeCounters } from '../frame-decoder.ts';
import type { FrameVerifier } from '../signing/signature-verifier.ts';
import { admitFrame, newLinkCounters, type BytesHandler, type FrameHandler, type Link, type LinkCounters, type SentHandler } from './link.ts';

export interface UdpLinkOptions {
  id: string;
  host: string;
  port: number;
  clock: Clock;
  /** Signed link: frames are checked (and refused ones dropped and counted) before the handlers. */
  verifier?: FrameVerifier | null;
}

export class UdpLink implements Link {
  readonly id: string;
  readonly counters: LinkCounters = newLinkCounters(newDecodeCounters());
  private readonly socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });
  private readonly frameHandlers: FrameHandler[] = [];
  private readonly bytesHandlers: BytesHandler[] = [];
  private readonly sentHandlers: SentHandler[] = [];
  private readonly endpoints = new Map<string, { host: string; port: number }>();
  private closed = false;

  constructor(private readonly opts: UdpLinkOptions) {
    this.id = opts.id;
    this.socket.on('message', (msg, rinfo) => this.receive(msg, `${rinfo.address}:${rinfo.port}`, rinfo.address, rinfo.port));
    this.socket.on('error', () => { this.counters.sendErrors++; });
  }

  onFrame(handler: FrameHandler): void { this.frameHandlers.push(handler); }
  onBytes(handler: BytesHandler): void { this.bytesHandlers.push(handler); }
  onSent(handler: SentHandler): void { this.sentHandlers.push(handler); }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.opts.port, this.opts.host, () => {
        this.socket.off('error', reject);
        this.socket.setRecvBufferSize?.(8 * 1024 * 1024);
        resolve();
      });
    });
  }

  address(): { host: string; port: number } {
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  send(remote: string, bytes: Uint8Array): void {
    const to = this.endpoints.get(remote);
    if (!to || this.closed) { this.counters.sendErrors++; return; }
    this.counters.framesOut++;
    this.counters.bytesOut += bytes.length;
    this.socket.send(bytes, to.port, to.host, (err) => { if (err) this.counters.sendErrors++; });
    if (this.sentHandlers.length > 0) {
      const at = this.opts.clock.nowMs();
      for (const h of this.sentHandlers) h(remote, bytes, at);
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private receive(datagram: Buffer, remote: string, host: string, port: number): void {
    // an endpoint is learned from its first good frame (on a signed link: first verified frame),
    // so spoofed or junk datagrams cannot grow the table
    let known = this.endpoints.has(remote);
    const receivedAtMs = this.opts.clock.nowMs();
    this.counters.bytesIn += datagram.length;
    for (const h of this.bytesHandlers) h(remote, datagram, receivedAtMs);
    const verifier = this.opts.verifier;
    decodeDatagram(datagram, (frame) => {
      if (!admitFrame(verifier, this.counters, frame)) return;
      if (!known) { this.endpoints.set(remote, { host, port }); known = true; }
      this.counters.framesIn++;
      for (const h of this.frameHandlers) h({ remote, frame, receivedAtMs });
    }, this.counters.decode);
  }
}
