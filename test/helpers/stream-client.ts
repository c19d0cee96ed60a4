/** A real `ws` client of /api/stream for system tests: records every message and the close. */
import WebSocket from 'ws';

export class TestStreamClient {
  readonly messages: any[] = [];
  closed: { code: number; reason: string } | null = null;
  /** Receive time (Date.now()) of each message, same index as `messages`. */
  readonly receivedAt: number[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.receivedAt.push(Date.now());
      this.messages.push(JSON.parse(String(data)));
    });
    ws.on('close', (code, reason) => { this.closed = { code, reason: String(reason) }; });
  }

  /** Resolves when open; rejects with the HTTP status (e.g. "401") when the upgrade is refused. */
  static open(httpUrl: string, opts: { token?: string; headers?: Record<string, string> } = {}): Promise<TestStreamClient> {
    const url = `${httpUrl.replace(/^http/, 'ws')}/api/stream${opts.token ? `?token=${encodeURIComponent(opts.token)}` : ''}`;
    const ws = new WebSocket(url, { headers: opts.headers ?? {} });
    const client = new TestStreamClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => { reject(new Error(String(res.statusCode))); ws.terminate(); });
      ws.once('error', reject);
    });
  }

  ofType(type: string): any[] {
    return this.messages.filter((m) => m.type === type);
  }

  /** Telemetry entries for one drone, with the frame time `t`. */
  updatesOf(id: string): any[] {
    return this.ofType('telemetry').flatMap((m) => m.drones.filter((d: any) => d.id === id).map((d: any) => ({ t: m.t, ...d })));
  }

  events(kind?: string): any[] {
    return this.ofType('event').map((m) => m.event).filter((e) => !kind || e.kind === kind);
  }

  /** The fleet as this client sees it: the last snapshot with every later telemetry entry applied. */
  model(): Map<string, any> {
    let last = -1;
    this.messages.forEach((m, i) => { if (m.type === 'snapshot') last = i; });
    const drones = new Map<string, any>();
    if (last < 0) return drones;
    for (const d of this.messages[last].drones) drones.set(d.id, { ...d });
    for (const m of this.messages.slice(last + 1)) {
      if (m.type !== 'telemetry') continue;
      for (const e of m.drones) drones.set(e.id, { ...(drones.get(e.id) ?? {}), ...e });
    }
    return drones;
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}
