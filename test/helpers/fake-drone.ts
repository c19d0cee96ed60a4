/**
 * A fake drone for unit tests of the server's flights (scene, way back to a patrol, way home)
 * without a simulator: it records what it is sent, switches to GUIDED on a goto (to AUTO on a resumed
 * mission, to RTL on RTL), and stays where it is until the test moves it (`moveTo`) — or flies to a
 * goto at once with `flies: 'at-once'`. Waits (`until`) and the fleet's watchers look again at every
 * telemetry update (`change`), as with a real session.
 */
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import type { DroneSession } from '../../server/fleet/drone-session.ts';
import type { DroneEvent } from '../../server/fleet/events.ts';
import { BASE } from './local-metres.ts';

type LatLon = { lat: number; lon: number };

export interface FakeDroneOptions {
  mode?: string;
  flies?: 'at-once' | 'when-moved';
  /** Where it reports home (null: none yet; default the test base). */
  home?: LatLon | null;
  batteryPct?: number;
  missionSeq?: number;
  /** The RTL height the vehicle reports, in metres (default none: it cannot be read, and the server assumes one). */
  rtlAltitudeM?: number;
  /** Called after the n-th goto has moved the drone, before the telemetry update (a failsafe, a pilot). */
  onGoto?: (n: number) => void;
}

export function fakeDrone(start: LatLon, o: FakeDroneOptions = {}) {
  const sent: string[] = [];
  const gotos: LatLon[] = [];
  const events: DroneEvent[] = [];
  const state = {
    id: 'E01', position: { ...start, altRelM: 40 }, home: o.home === null ? null : { ...(o.home ?? BASE), altMslM: 20 }, connected: true, armed: true, landed: false,
    mode: o.mode ?? 'AUTO', battery: { remainingPct: o.batteryPct ?? 80 }, mission: { current: o.missionSeq ?? 4 },
  };
  const waits = new Set<() => void>();
  const watchers: Array<(s: DroneSession, atMs: number) => void> = [];
  /** A telemetry update: every wait and fleet watcher looks again. */
  const change = () => {
    for (const w of [...waits]) w();
    for (const h of watchers) h(session, 0);
  };
  const session = {
    id: 'E01', state, control: {},
    returnAltitudeM: async () => o.rtlAltitudeM ?? null,
    adapter: {
      ...ardupilotCopter,
      goto: async (_v: unknown, lat: number, lon: number) => {
        sent.push('goto');
        gotos.push({ lat, lon });
        state.mode = 'GUIDED';
        if (o.flies === 'at-once') state.position = { lat, lon, altRelM: 40 };
        o.onGoto?.(gotos.length);
        change();
      },
      returnToLaunch: async () => { sent.push('rtl'); state.mode = 'RTL'; change(); },
      resumeMission: async (_v: unknown, seq: number) => { sent.push(`resume ${seq}`); state.mode = 'AUTO'; change(); },
    },
    until: (pred: (d: unknown) => boolean) => new Promise<void>((resolve) => {
      if (pred(state)) return resolve();
      const look = () => { if (pred(state)) { waits.delete(look); resolve(); } };
      waits.add(look);
    }),
  } as unknown as DroneSession;
  const fleet = {
    get: (id: string) => (id === 'E01' ? session : undefined),
    list: () => [state],
    onChange: (h: (s: DroneSession, atMs: number) => void) => { watchers.push(h); },
    publish: (e: DroneEvent) => { events.push(e); },
  };
  /** The drone is at `p` now (a telemetry update). */
  const moveTo = (p: LatLon) => { state.position = { ...p, altRelM: 40 }; change(); };
  /** Someone else (a pilot, its failsafe) switched the drone to `mode`. */
  const setMode = (mode: string) => { state.mode = mode; change(); };
  return { session, state, sent, gotos, events, fleet, change, moveTo, setMode, waiting: () => waits.size };
}

export type FakeDrone = ReturnType<typeof fakeDrone>;

/** Lets every pending promise callback run (the flights' awaits between commands). */
export const settle = () => new Promise<void>((r) => setTimeout(r, 0));
