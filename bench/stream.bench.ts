/**
 * Live telemetry stream: 1,000 vehicles at their default rates (a UdpFleet in a child process beside
 * the server, standing in for the simulator, which is not merged yet) into the real server
 * (in this process: real UDP link, real HTTP, the /api/stream hub), and 20 WebSocket clients in
 * another child process, each subscribed to the whole fleet at 10 Hz.
 *
 * Latency is measured inside the hub, per drone update sent: from the receive time of the oldest
 * UDP datagram whose change the update carries (the time the link stamped on it) to the moment the
 * frame was handed to the client's socket. The clients also measure frame `t` → receive.
 * Server CPU is process.cpuUsage() of this process (the server alone; fleet and clients are children).
 *
 * BENCH_STREAM_VEHICLES (1000), BENCH_STREAM_CLIENTS (20), BENCH_STREAM_SECONDS (20) size it;
 * about 40 s in all.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import type { BenchRow } from './lib/types.ts';

export const suites = ['stream'] as const;

const VEHICLES = Number(process.env.BENCH_STREAM_VEHICLES ?? 1000);
const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS ?? 20);
const SECONDS = Number(process.env.BENCH_STREAM_SECONDS ?? 20);
const WARMUP_S = 5;
const BENCH_TOKEN = 'bench-stream-admin-token-0123456789';
/** Hub tick override (default: the server's, 25 ms). */
const TICK_MS = process.env.BENCH_STREAM_TICK_MS ? Number(process.env.BENCH_STREAM_TICK_MS) : undefined;

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eagle-bench-stream-'));
  // EAGLE_DATA and EAGLE_ADMIN_TOKEN matter once flight logs and operators exist: the server runs as configured for real
  const config = loadConfig({ EAGLE_HTTP: '127.0.0.1:0', EAGLE_MAVLINK: 'udp:127.0.0.1:0', EAGLE_DB: ':memory:', EAGLE_LOG_LEVEL: 'silent', EAGLE_DATA: dataDir, EAGLE_ADMIN_TOKEN: BENCH_TOKEN });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), ...(TICK_MS ? { stream: { tickMs: TICK_MS } } : {}) });
  const mav = server.links[0]!.address();
  const fleetProc = child('./lib/udp-fleet-main.ts', [mav.host, String(mav.port), String(VEHICLES)]);
  let clientsProc: ChildProcess | null = null;
  try {
    await ask(fleetProc, '', 'ready');
    const t0 = Date.now();
    while (server.fleet.size < VEHICLES) {
      if (Date.now() - t0 > 20_000) throw new Error(`only ${server.fleet.size} of ${VEHICLES} vehicles discovered`);
      await sleep(100);
    }
    console.error(`  ${VEHICLES} vehicles discovered in ${Date.now() - t0} ms`);
    clientsProc = child('./lib/stream-clients-main.ts', [`${server.url.replace('http', 'ws')}/api/stream?token=${BENCH_TOKEN}`, String(CLIENTS)]);
    await ask(clientsProc, '', 'ready');
    await sleep(WARMUP_S * 1000);
    if (server.stream.clientCount !== CLIENTS) throw new Error(`${server.stream.clientCount} of ${CLIENTS} clients connected`);

    // measurement
    server.stream.latency.reset();
    server.stream.tickDuration.reset();
    server.stream.tickLateness.reset();
    const c0 = { ...server.stream.counters };
    const l0 = { ...server.links[0]!.counters };
    const f0 = await ask<{ datagramsSent: number; cpu: NodeJS.CpuUsage }>(fleetProc, 'stats', 'stats');
    clientsProc.send({ cmd: 'report' });
    const r0 = await ask<{ cpu: NodeJS.CpuUsage }>(clientsProc, '', 'report');
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
    const report = await ask<any>(clientsProc, 'report', 'report');
    const f1 = await ask<{ datagramsSent: number; cpu: NodeJS.CpuUsage }>(fleetProc, 'stats', 'stats');
    const childPct = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ((b.user + b.system - a.user - a.system) / 1000 / (wallS * 1000)) * 100;
    const load1 = os.loadavg()[0]!;
    const c1 = server.stream.counters;
    const lat = server.stream.latency.summary();
    const cpuPct = ((cpu.user + cpu.system) / 1000 / (wallS * 1000)) * 100;
    const datagramsIn = (server.links[0]!.counters.framesIn - l0.framesIn) / wallS;
    const framesOut = (c1.telemetryFramesSent - c0.telemetryFramesSent) / wallS;
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    const perClient = framesOut / CLIENTS;
    const rows: BenchRow[] = [
      {
        suite: 'stream',
        case: `${VEHICLES} drones → ${CLIENTS} clients: datagram received → frame sent (hub)`,
        value: framesOut, unit: 'frames/s',
        p50Ms: lat.p50Ms ?? NaN, p99Ms: lat.p99Ms ?? NaN,
        memoryMiB: peakRss / 2 ** 20,
        runs: 1,
        notes: [
          `server CPU ${cpuPct.toFixed(0)}% of one core`,
          `RSS ${mib(peakRss)} MiB, heap ${mib(peakHeap)} MiB`,
          `${Math.round(datagramsIn).toLocaleString('en-US')} datagrams/s in (fleet sent ${Math.round((f1.datagramsSent - f0.datagramsSent) / wallS).toLocaleString('en-US')}/s)`,
          `${perClient.toFixed(1)} frames/s and ${Math.round(report.auditor.updatesPerSecond).toLocaleString('en-US')} drone updates/s per client`,
          `${(report.bytesPerSecond / 2 ** 20).toFixed(1)} MiB/s to all clients`,
          `per drone ${report.auditor.meanHzPerDrone.toFixed(1)} Hz mean, max ${report.auditor.maxInAnySecond} in any 1 s`,
          `latency max ${lat.maxMs} ms over ${lat.count.toLocaleString('en-US')} updates`,
          `tick work p50/p99 ${server.stream.tickDuration.percentile(50)}/${server.stream.tickDuration.percentile(99)} ms, tick late p50/p99 ${server.stream.tickLateness.percentile(50)}/${server.stream.tickLateness.percentile(99)} ms`,
          `skipped ${c1.telemetrySkipped - c0.telemetrySkipped}, closed slow ${c1.clientsClosedSlow - c0.clientsClosedSlow}`,
          `tick ${server.stream.options.tickMs} ms; ${SECONDS} s after ${WARMUP_S} s warm-up`,
          `beside it: UDP fleet ${childPct(f0.cpu, f1.cpu).toFixed(0)}%, ws clients ${childPct(r0.cpu, report.cpu).toFixed(0)}% of one core; load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
        ].join('; '),
      },
      {
        suite: 'stream',
        case: 'same run, at the clients: frame t → received',
        value: report.minClientTelemetryPerSecond, unit: 'frames/s (slowest client)',
        p50Ms: report.delayP50, p99Ms: report.delayP99,
        runs: 1,
        notes: `${CLIENTS} ws clients in one child process (every 5th measures); t is the hub's tick time, so this adds frame build + send + client parse queueing to the hub figure; ${report.closed} clients closed`,
      },
    ];
    return rows;
  } finally {
    clientsProc?.send({ cmd: 'stop' });
    fleetProc.send({ cmd: 'stop' });
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
