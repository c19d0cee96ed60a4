/**
 * One drone's UDP socket: bound on an ephemeral port, sending to the ground station's address and
 * answering whoever last talked to it. Frames queued during a tick leave together, in datagrams of
 * at most `maxDatagramBytes`.
 */
import dgram from 'node:dgram';

export interface UdpAddress {
  host: string;
  port: number;
}

export class UdpPort {
  private readonly socket: dgram.Socket;
  private peer: UdpAddress;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  datagramsSent = 0;
  bytesSent = 0;

  constructor(
    link: UdpAddress,
    onDatagram: (data: Buffer, from: UdpAddress) => void,
    /** Asked once per outgoing datagram: false means the link lost it. */
    private readonly passes: () => boolean = () => true,
    private readonly maxDatagramBytes = 1200,
  ) {
    this.peer = { ...link };
    this.socket = dgram.createSocket('udp4');
    this.socket.on('message', (data, rinfo) => {
      if (rinfo.address !== this.peer.host || rinfo.port !== this.peer.port) this.peer = { host: rinfo.address, port: rinfo.port };
      onDatagram(data, this.peer);
    });
    this.socket.on('error', () => { /* ICMP unreachable etc.: a real radio just loses the packet */ });
  }

  async open(bindHost: string): Promise<UdpAddress> {
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind({ address: bindHost, port: 0 }, () => { this.socket.off('error', reject); resolve(); });
    });
    const a = this.socket.address();
    return { host: a.address, port: a.port };
  }

  enqueue(frame: Buffer): void {
    if (this.queuedBytes + frame.length > this.maxDatagramBytes) this.flush();
    this.queue.push(frame);
    this.queuedBytes += frame.length;
  }

  /** Sends what is queued as one datagram, unless the link loses it. */
  flush(): void {
    if (this.queue.length === 0) return;
    const data = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    if (!this.passes()) return;
    this.datagramsSent++;
    this.bytesSent += data.length;
    this.socket.send(data, this.peer.port, this.peer.host);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try { this.socket.close(() => resolve()); } catch { resolve(); }
    });
  }
}
