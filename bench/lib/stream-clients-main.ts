/**
 * Child process for bench/stream.bench.ts: N WebSocket clients of /api/stream. Each counts frames
 * and bytes and measures, per telemetry frame, receive time − the frame's `t` (the hub's tick time);
 * client 0 also parses every entry to check the per-drone rate. argv: WS_URL N.
 * IPC: "reset" starts a measurement; "report" → the figures since.
 */
import WebSocket from 'ws';

const [url = 'ws://127.0.0.1:8080/api/stream', n = '20'] = process.argv.slice(2);
const T_PREFIX = '{"type":"telemetry","t":';

interface Stats { frames: number; telemetry: number; bytes: number; entries: number; closed: number | null }
const stats: Stats[] = [];
let delays: number[] = [];
let perDrone = new Map<string, number[]>();
let since = Date.now();

for (let i = 0; i < Number(n); i++) {
  const s: Stats = { frames: 0, telemetry: 0, bytes: 0, entries: 0, closed: null };
  stats.push(s);
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('message', (data: Buffer) => {
    const now = Date.now();
    s.frames++;
    s.bytes += data.length;
    const head = data.toString('latin1', 0, 40);
    if (!head.startsWith(T_PREFIX)) return;
    s.telemetry++;
    const t = Number(head.slice(T_PREFIX.length, head.indexOf(',', T_PREFIX.length)));
    if (i % 5 === 0) delays.push(now - t);
    if (i === 0) {
      const m = JSON.parse(data.toString());
      s.entries += m.drones.length;
      for (const d of m.drones) {
        let list = perDrone.get(d.id);
        if (!list) perDrone.set(d.id, (list = []));
        list.push(m.t);
      }
    }
  });
  ws.on('close', (code) => { s.closed = code; });
  ws.on('error', () => undefined);
}

function maxInAnySecond(times: number[]): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

process.send?.({ type: 'ready' });
process.on('message', (msg: { cmd: string }) => {
  if (msg.cmd === 'reset') {
    for (const s of stats) Object.assign(s, { frames: 0, telemetry: 0, bytes: 0, entries: 0 });
    delays = [];
    perDrone = new Map();
    since = Date.now();
  }
  if (msg.cmd === 'report') {
    const seconds = (Date.now() - since) / 1000;
    const rates = [...perDrone.values()].map((l) => l.length / seconds);
    process.send?.({
      type: 'report', seconds, clients: stats.length,
      framesPerSecond: stats.reduce((a, s) => a + s.telemetry, 0) / seconds,
      bytesPerSecond: stats.reduce((a, s) => a + s.bytes, 0) / seconds,
      minClientTelemetryPerSecond: Math.min(...stats.map((s) => s.telemetry / seconds)),
      closed: stats.filter((s) => s.closed !== null).length,
      delayP50: pct(delays, 50), delayP99: pct(delays, 99),
      auditor: {
        drones: perDrone.size,
        updatesPerSecond: stats[0]!.entries / seconds,
        meanHzPerDrone: rates.reduce((a, r) => a + r, 0) / Math.max(1, rates.length),
        maxInAnySecond: Math.max(0, ...[...perDrone.values()].map(maxInAnySecond)),
      },
      cpu: process.cpuUsage(),
    });
  }
  if (msg.cmd === 'stop') process.exit(0);
});
