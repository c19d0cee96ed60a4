/**
 * Live telemetry stream (issue 4): 1,000 simulated drones at their default rates and 20 WebSocket
 * clients; p50/p99 latency from UDP datagram received to WebSocket frame sent, server CPU and memory,
 * with the simulator running beside the server on this machine.
 *
 * - **simulator** (the figure): the real simulator (`bench/lib/sim-fleet-main.ts`, i.e. `npm run sim --
 *   --drones 1000`, real time) in a child process beside the server. Its drones stream nothing until
 *   the server asks; the server asks on discovery (SET_MESSAGE_INTERVAL: position 5 Hz, attitude 2 Hz,
 *   VFR_HUD 2 Hz, status messages 1 Hz). They are parked, as `npm run sim` leaves them.
 * - **UDP sender** (the baseline): the lightweight sender (`bench/lib/udp-fleet.ts`) in the same place:
 *   1,000 vehicles flying circles at the same rates, one frame per datagram, nearly no CPU of its own.
 *
 * Each run of a case: a fresh real server (in this process: real UDP link, real HTTP, the /api/stream
 * hub), the fleet in one child, 20 WebSocket clients in another (each subscribed to the whole fleet at
 * 10 Hz); WARMUP_S after every drone is discovered, then SECONDS measured. The cases run interleaved
 * (sim, udp, sim, udp, …) so that the shared machine's load hits both alike; each row gives the
 * medians of its runs (every run's p99, CPU and load average are in the notes; the other details are
 * from the run with the median p99).
 *
 * Latency is measured inside the hub, per drone update sent: from the receive time of the oldest
 * UDP datagram whose change the update carries (the time the link stamped on it) to the moment the
 * frame was handed to the client's socket. The clients also measure frame `t` → receive.
 * Server CPU is process.cpuUsage() of this process (the server alone; fleet and clients are children).
 *
 * BENCH_STREAM_VEHICLES (1000), BENCH_STREAM_CLIENTS (20), BENCH_STREAM_SECONDS (7 per run),
 * BENCH_STREAM_RUNS (3 per case), BENCH_STREAM_CASES ("sim,udp") size it; about 90 s in all expected on a quiet
 * machine (140 s at load average 10: process start-up and discovery slow down).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { gc, median } from './lib/measure.ts';
import type { BenchRow } from './lib/types.ts';

export const suites = ['stream'] as const;

const VEHICLES = Number(process.env.BENCH_STREAM_VEHICLES ?? 1000);
const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS ?? 20);
const SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 7);
const RUNS = Number(process.env.BENCH_STREAM_RUNS ?? 3);
const CASES = (process.env.BENCH_STREAM_CASES ?? 'sim,udp').split(',').map((s) => s.trim()) as Array<'sim' | 'udp'>;
const WARMUP_S = 4;
const BENCH_TOKEN = 'bench-stream-admin-token-0123456789';
/** Hub tick override (default: the server's, 25 ms). */
const TICK_MS = process.env.BENCH_STREAM_TICK_MS ? Number(process.env.BENCH_STREAM_TICK_MS) : undefined;

const SIM_CASE = `${VEHICLES} simulator drones → ${CLIENTS} clients: datagram received → frame sent (hub)`;
const UDP_CASE = `${VEHICLES} UDP-sender vehicles → ${CLIENTS} clients (same measure)`;

function child(file: string, args: string[]): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function ask<T>(p: ChildProcess, cmd: string, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: any) => { if (m?.type === type) { p.off('message', on); resolve(m as T); } };
    p.on('message', on);
    if (cmd) p.send({ cmd });
  });
}

function exited(p: ChildProcess, ms: number): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => { p.kill('SIGKILL'); resolve(); }, ms);
    p.once('exit', () => { clearTimeout(timer); resolve(); });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The kernel's UDP receive-buffer overflows (whole machine, every socket: /proc/net/snmp), or NaN. */
function rcvbufErrors(): number {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp: '));
    const names = lines[0]!.split(/\s+/);
    return Number(lines[1]!.split(/\s+/)[names.indexOf('RcvbufErrors')]);
  } catch {
    return NaN;
  }
}

interface FleetStats { datagramsSent: number; bytesSent?: number; cpu: NodeJS.CpuUsage; simMs?: number; overruns?: number; airborne?: number }

/** One measured window. */
interface Window {
  p50: number; p99: number; max: number; count: number;
  cpuPct: number; rssMiB: number; heapMiB: number;
  framesPerS: number; updatesPerClientS: number; updatesPerDroneS: number; dronesSeen: number; maxInAnySecond: number;
  clientMiBs: number; clientFramesMin: number; clientP50: number; clientP99: number; clientsClosed: number;
  rcvbufErrors: number; framesInS: number; fleetSentS: number; udpLossPct: number | null;
  skipped: number; closedSlow: number; clientsAtStart: number; eventsDropped: number;
  tickWork: [number, number]; tickLate: [number, number];
  fleetCpuPct: number; clientsCpuPct: number; simRealTime: number | null; simOverruns: number; airborne: number | null;
  load: [number, number];
}

async function measureCase(kind: 'sim' | 'udp', run: number): Promise<{ windows: Window[]; discoveredMs: number; tickMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eagle-bench-stream-'));
  // EAGLE_DATA and EAGLE_ADMIN_TOKEN matter once flight logs and operators exist: the server runs as configured for real
  const config = loadConfig({ EAGLE_HTTP: '127.0.0.1:0', EAGLE_MAVLINK: 'udp:127.0.0.1:0', EAGLE_DB: ':memory:', EAGLE_LOG_LEVEL: 'silent', EAGLE_DATA: dataDir, EAGLE_ADMIN_TOKEN: BENCH_TOKEN });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), ...(TICK_MS ? { stream: { tickMs: TICK_MS } } : {}) });
  const link = server.links[0]!;
  const mav = link.address();
  const fleetProc = kind === 'sim'
    ? child('./lib/sim-fleet-main.ts', [mav.host, String(mav.port), String(VEHICLES), '1'])
    : child('./lib/udp-fleet-main.ts', [mav.host, String(mav.port), String(VEHICLES)]);
  let clientsProc: ChildProcess | null = null;
  try {
    await ask(fleetProc, '', 'ready');
    const t0 = Date.now();
    while (server.fleet.size < VEHICLES) {
      if (Date.now() - t0 > 30_000) throw new Error(`only ${server.fleet.size} of ${VEHICLES} vehicles discovered`);
      await sleep(100);
    }
    const discoveredMs = Date.now() - t0;
    console.error(`  ${kind}: ${VEHICLES} vehicles discovered in ${discoveredMs} ms`);
    clientsProc = child('./lib/stream-clients-main.ts', [`${server.url.replace('http', 'ws')}/api/stream?token=${BENCH_TOKEN}`, String(CLIENTS)]);
    await ask(clientsProc, '', 'ready');
    const tc = Date.now();
    while (server.stream.clientCount < CLIENTS && Date.now() - tc < 15_000) await sleep(50);
    await sleep(WARMUP_S * 1000);
    const clientsAtStart = server.stream.clientCount;
    if (clientsAtStart === 0) throw new Error(`none of ${CLIENTS} clients connected`);

    const windows: Window[] = [];
    {
      server.stream.latency.reset();
      server.stream.tickDuration.reset();
      server.stream.tickLateness.reset();
      const c0 = { ...server.stream.counters };
      const f0 = await ask<FleetStats>(fleetProc, 'stats', 'stats');
      const l0 = { ...link.counters }; // read right after the fleet's own count, so the two windows line up
      const rb0 = rcvbufErrors();
      const r0 = await ask<{ cpu: NodeJS.CpuUsage }>(clientsProc, 'report', 'report');
      clientsProc.send({ cmd: 'reset' });
      const load0 = os.loadavg()[0]!;
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      let peakRss = 0;
      let peakHeap = 0;
      for (let s = 0; s < SECONDS; s++) {
        await sleep(1000);
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }
      const wallS = (performance.now() - wall0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const lat = server.stream.latency.summary();
      const c1 = { ...server.stream.counters };
      const report = await ask<any>(clientsProc, 'report', 'report');
      const f1 = await ask<FleetStats>(fleetProc, 'stats', 'stats');
      const l1 = { ...link.counters };
      const rb1 = rcvbufErrors();
      const load1 = os.loadavg()[0]!;
      const pct = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ((b.user + b.system - a.user - a.system) / 1000 / (wallS * 1000)) * 100;
      const framesOut = (c1.telemetryFramesSent - c0.telemetryFramesSent) / wallS;
      const bytesSent = f0.bytesSent !== undefined && f1.bytesSent !== undefined ? f1.bytesSent - f0.bytesSent : null;
      const w: Window = {
        p50: lat.p50Ms ?? NaN, p99: lat.p99Ms ?? NaN, max: lat.maxMs ?? NaN, count: lat.count,
        cpuPct: pct({ user: 0, system: 0 }, cpu), rssMiB: peakRss / 2 ** 20, heapMiB: peakHeap / 2 ** 20,
        framesPerS: framesOut, updatesPerClientS: report.auditor.updatesPerSecond, updatesPerDroneS: report.auditor.updatesPerSecond / VEHICLES,
        dronesSeen: report.auditor.drones, maxInAnySecond: report.auditor.maxInAnySecond,
        clientMiBs: report.bytesPerSecond / 2 ** 20, clientFramesMin: report.minClientTelemetryPerSecond,
        clientP50: report.delayP50, clientP99: report.delayP99, clientsClosed: report.closed,
        rcvbufErrors: rb1 - rb0, framesInS: (l1.framesIn - l0.framesIn) / wallS, fleetSentS: (f1.datagramsSent - f0.datagramsSent) / wallS,
        // the sim batches a tick's frames into one datagram: compare bytes; the UDP sender sends one frame per datagram
        udpLossPct: bytesSent !== null
          ? (1 - (l1.bytesIn - l0.bytesIn) / Math.max(1, bytesSent)) * 100
          : (1 - (l1.framesIn - l0.framesIn) / Math.max(1, f1.datagramsSent - f0.datagramsSent)) * 100,
        skipped: c1.telemetrySkipped - c0.telemetrySkipped, closedSlow: c1.clientsClosedSlow, clientsAtStart, eventsDropped: c1.eventsDropped - c0.eventsDropped,
        tickWork: [server.stream.tickDuration.percentile(50) ?? NaN, server.stream.tickDuration.percentile(99) ?? NaN],
        tickLate: [server.stream.tickLateness.percentile(50) ?? NaN, server.stream.tickLateness.percentile(99) ?? NaN],
        fleetCpuPct: pct(f0.cpu, f1.cpu), clientsCpuPct: pct(r0.cpu, report.cpu),
        simRealTime: f0.simMs !== undefined && f1.simMs !== undefined ? (f1.simMs - f0.simMs) / 1000 / wallS : null,
        simOverruns: (f1.overruns ?? 0) - (f0.overruns ?? 0), airborne: f1.airborne ?? null,
        load: [load0, load1],
      };
      windows.push(w);
      console.error(`  ${kind} run ${run + 1}/${RUNS}: p50 ${w.p50} ms, p99 ${w.p99} ms, server CPU ${w.cpuPct.toFixed(0)}%, ${w.updatesPerDroneS.toFixed(2)} updates/drone/s, load ${load0.toFixed(2)} → ${load1.toFixed(2)}`);
    }
    return { windows, discoveredMs, tickMs: server.stream.options.tickMs };
  } finally {
    clientsProc?.send({ cmd: 'stop' });
    fleetProc.send({ cmd: 'stop' });
    await Promise.all([clientsProc ? exited(clientsProc, 5000) : Promise.resolve(), exited(fleetProc, 5000), server.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const mib = (v: number) => v.toFixed(1);
const int = (v: number) => Math.round(v).toLocaleString('en-US');

/** The run with the median p99 gives the details in the notes. */
function medianWindow(ws: Window[]): Window {
  return [...ws].sort((a, b) => a.p99 - b.p99)[Math.floor((ws.length - 1) / 2)]!;
}

function notes(kind: 'sim' | 'udp', ws: Window[], discoveredMs: number[], tickMs: number): string {
  const m = medianWindow(ws);
  const med = (f: (w: Window) => number) => median(ws.map(f));
  return [
    `runs (p50/p99, load average): ${ws.map((w) => `${w.p50}/${w.p99} ms @ ${w.load[0].toFixed(1)}→${w.load[1].toFixed(1)}`).join(', ')}`,
    `server CPU ${med((w) => w.cpuPct).toFixed(0)}% of one core (runs ${ws.map((w) => w.cpuPct.toFixed(0)).join('/')}%)`,
    `peak RSS ${ws.map((w) => mib(w.rssMiB)).join('/')} MiB, heap ${ws.map((w) => mib(w.heapMiB)).join('/')} MiB`,
    `${med((w) => w.updatesPerDroneS).toFixed(2)} updates per drone per second (runs ${ws.map((w) => w.updatesPerDroneS.toFixed(2)).join('/')}; ${m.dronesSeen} drones in the frames; max ${Math.max(...ws.map((w) => w.maxInAnySecond))} in any 1 s)`,
    `${m.framesPerS.toFixed(0)} frames/s in all, ${m.clientFramesMin.toFixed(1)} for the slowest client; ${mib(m.clientMiBs)} MiB/s to all clients`,
    `${int(m.framesInS)} MAVLink frames/s in (fleet sent ${int(m.fleetSentS)} datagrams/s); ${kind === 'sim' ? 'bytes' : 'frames'} not received ${ws.map((w) => (w.udpLossPct === null ? '?' : `${w.udpLossPct.toFixed(1)}%`)).join('/')}, kernel UDP receive-buffer overflows (whole machine) ${ws.map((w) => int(w.rcvbufErrors)).join('/')}`,
    `latency max ${m.max} ms over ${int(m.count)} updates; tick work p50/p99 ${m.tickWork[0]}/${m.tickWork[1]} ms, tick late p50/p99 ${m.tickLate[0]}/${m.tickLate[1]} ms`,
    `skipped ${ws.reduce((a, w) => a + w.skipped, 0)}, events dropped ${ws.reduce((a, w) => a + w.eventsDropped, 0)}, closed slow ${ws.reduce((a, w) => a + w.closedSlow, 0)} (all runs, warm-up included); clients connected at the start ${ws.map((w) => w.clientsAtStart).join('/')} of ${CLIENTS}`,
    `beside it: ${kind === 'sim' ? 'simulator' : 'UDP sender'} ${med((w) => w.fleetCpuPct).toFixed(0)}%, ws clients ${med((w) => w.clientsCpuPct).toFixed(0)}% of one core`
      + (kind === 'sim' ? `; simulator ${median(ws.map((w) => w.simRealTime ?? NaN)).toFixed(3)}× real time, ${ws.reduce((a, w) => a + w.simOverruns, 0)} overruns, ${m.airborne} airborne` : ''),
    `all discovered in ${discoveredMs.map((d) => (d / 1000).toFixed(1)).join('/')} s; tick ${tickMs} ms; ${RUNS} runs of ${SECONDS} s after ${WARMUP_S} s warm-up, interleaved with the ${kind === 'sim' ? 'UDP sender' : 'simulator'}`,
  ].join('; ');
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const results: Partial<Record<'sim' | 'udp', { windows: Window[]; discoveredMs: number[]; tickMs: number }>> = {};
  // interleaved (sim, udp, sim, udp, …), each window a fresh set-up: load from other processes on a
  // shared machine drifts over a minute, and this way it hits both cases alike
  for (let r = 0; r < RUNS; r++) {
    for (const kind of CASES) {
      gc();
      const one = await measureCase(kind, r);
      const into = (results[kind] ??= { windows: [], discoveredMs: [], tickMs: one.tickMs });
      into.windows.push(...one.windows);
      into.discoveredMs.push(one.discoveredMs);
    }
  }
  const hasBaseline = results.udp !== undefined;
  if (results.sim) {
    const { windows, discoveredMs, tickMs } = results.sim;
    const p99Ratio = results.udp ? median(windows.map((w) => w.p99)) / median(results.udp.windows.map((w) => w.p99)) : null;
    rows.push({
      suite: 'stream', case: SIM_CASE,
      value: median(windows.map((w) => w.updatesPerClientS)), unit: 'drone updates/s per client',
      ...(hasBaseline ? { baseline: UDP_CASE } : {}),
      p50Ms: median(windows.map((w) => w.p50)), p99Ms: median(windows.map((w) => w.p99)), memoryMiB: Math.max(...windows.map((w) => w.heapMiB)), runs: windows.length,
      notes: (p99Ratio !== null ? `p99 ${p99Ratio.toFixed(2)}× the UDP sender's; ` : '') + notes('sim', windows, discoveredMs, tickMs),
    });
    rows.push({
      suite: 'stream', case: 'same runs, at the clients: frame t → received',
      value: median(windows.map((w) => w.clientFramesMin)), unit: 'frames/s (slowest client)',
      p50Ms: median(windows.map((w) => w.clientP50)), p99Ms: median(windows.map((w) => w.clientP99)), runs: windows.length,
      notes: `${CLIENTS} ws clients in one child process (every 5th measures); t is the hub's tick time, so this adds frame build + send + client parse queueing to the tick; ${windows.reduce((a, w) => Math.max(a, w.clientsClosed), 0)} clients closed`,
    });
  }
  if (results.udp) {
    const { windows, discoveredMs, tickMs } = results.udp;
    rows.push({
      suite: 'stream', case: UDP_CASE,
      value: median(windows.map((w) => w.updatesPerClientS)), unit: 'drone updates/s per client',
      p50Ms: median(windows.map((w) => w.p50)), p99Ms: median(windows.map((w) => w.p99)), memoryMiB: Math.max(...windows.map((w) => w.heapMiB)), runs: windows.length,
      notes: `flying circles, one frame per datagram; ` + notes('udp', windows, discoveredMs, tickMs),
    });
  }
  return rows;
}
