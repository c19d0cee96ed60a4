/**
 * Simulator capacity: how many drones one process sustains in real time at a ground station's
 * usual rates. A sink in a child process plays the GCS: on each drone's first datagram it asks for
 * every ArduPilot stream group at 4 Hz and GLOBAL_POSITION_INT at 10 Hz, and it sends a GCS
 * heartbeat to every drone each second. The fleet runs in lockstep as fast as it can (50 ms ticks,
 * I/O between ticks); we report the real-time factor (simulated s per wall s) and the simulator
 * process's CPU ms per drone-second. A last case runs the largest fleet against the wall clock.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import readline from 'node:readline';
import { common, minimal } from 'mavlink-mappings';
import { FrameEncoder } from '../server/mavlink/frame-encoder.ts';
import { startSimFleet, type SimFleet } from '../simulator/index.ts';
import type { BenchRow } from './lib/types.ts';

const SIZES = [100, 500, 1000];
const RUNS = 3;
const MEASURE_SIM_MS = 5000;

interface Sink {
  port: number;
  report(): Promise<{ datagrams: number; bytes: number; peers: number }>;
  close(): void;
}

async function startSink(): Promise<Sink> {
  const enc = new FrameEncoder({ sysid: 255, compid: 190 });
  const request = Buffer.concat([
    enc.encode(common.RequestDataStream, { targetSystem: 0, targetComponent: 0, reqStreamId: 0, reqMessageRate: 4, startStop: 1 }),
    enc.encode(common.CommandLong, { targetSystem: 0, targetComponent: 0, command: common.MavCmd.SET_MESSAGE_INTERVAL, _param1: common.GlobalPositionInt.MSG_ID, _param2: 100_000 }),
  ]);
  const heartbeat = enc.encode(minimal.Heartbeat, { type: minimal.MavType.GCS, autopilot: minimal.MavAutopilot.INVALID, systemStatus: minimal.MavState.ACTIVE, mavlinkVersion: 3 });
  const script = fileURLToPath(new URL('./simulator-sink.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, request.toString('hex'), heartbeat.toString('hex')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const queue: Array<(line: string) => void> = [];
  lines.on('line', (line) => queue.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => queue.push(resolve));
  const { port } = JSON.parse(await nextLine()) as { port: number };
  return {
    port,
    async report() {
      const p = nextLine();
      child.stdin!.write('report\n');
      return JSON.parse(await p);
    },
    close() { child.stdin!.write('quit\n'); },
  };
}

const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

async function stepFor(fleet: SimFleet, simMs: number): Promise<void> {
  for (let t = 0; t < simMs; t += fleet.world.tickMs) {
    fleet.world.advance(fleet.world.tickMs);
    await breathe();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const sink = await startSink();
  try {
    let peersBefore = 0;
    for (const drones of SIZES) {
      const fleet = await startSimFleet({ drones, link: { host: '127.0.0.1', port: sink.port }, lockstep: true, seed: 1, positionSettleMs: 1000 });
      await stepFor(fleet, 3000); // discovered, streams requested, position estimate settled
      const rtf: number[] = [];
      const cpuPerDroneS: number[] = [];
      const datagramsPerS: number[] = [];
      for (let r = 0; r < RUNS; r++) {
        const before = await sink.report();
        const cpu0 = process.cpuUsage();
        const wall0 = performance.now();
        await stepFor(fleet, MEASURE_SIM_MS);
        const wallMs = performance.now() - wall0;
        const cpu = process.cpuUsage(cpu0);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const after = await sink.report();
        rtf.push(MEASURE_SIM_MS / wallMs);
        cpuPerDroneS.push((cpu.user + cpu.system) / 1000 / (drones * MEASURE_SIM_MS / 1000));
        datagramsPerS.push((after.datagrams - before.datagrams) / (MEASURE_SIM_MS / 1000));
      }
      const received = await sink.report();
      const seen = received.peers - peersBefore;
      peersBefore = received.peers;
      rows.push({
        suite: 'simulator', case: `${drones} drones, lockstep flat out`, value: Number(median(rtf).toFixed(2)), unit: '× real time', runs: RUNS,
        notes: `${median(cpuPerDroneS).toFixed(3)} CPU ms per drone-second, i.e. ${(1000 / (median(cpuPerDroneS) * drones)).toFixed(1)}× real time per core of CPU; sink got ${Math.round(median(datagramsPerS))} datagrams/s (GCS view; ${seen} drones seen)`,
      });
      rows.push({ suite: 'simulator', case: `${drones} drones, CPU per drone-second`, value: Number(median(cpuPerDroneS).toFixed(3)), unit: 'CPU ms', runs: RUNS });
      await fleet.close();
    }
    // The largest fleet against the wall clock, as `npm run sim` runs it.
    const drones = SIZES[SIZES.length - 1]!;
    const fleet = await startSimFleet({ drones, link: { host: '127.0.0.1', port: sink.port }, speedup: 1, seed: 1, positionSettleMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const sim0 = fleet.world.elapsedMs;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const wallMs = performance.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    const ratio = (fleet.world.elapsedMs - sim0) / wallMs;
    rows.push({
      suite: 'simulator', case: `${drones} drones, real-time mode`, value: Number(ratio.toFixed(3)), unit: 'sim s / wall s', runs: 1,
      notes: `process CPU ${(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(0)}% of one core; overruns ${fleet.world.stats.overruns}`,
    });
    await fleet.close();
  } finally {
    sink.close();
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await run();
  console.table(rows);
}
