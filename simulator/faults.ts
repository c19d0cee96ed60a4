/** Faults a test or the CLI can inject into one drone. */
export type Fault =
  /** The radio link carries nothing, either way, for `durationS`. */
  | { kind: 'link-drop'; durationS: number }
  /** Each datagram, either way, is lost with this probability (0–100 %), until set again. */
  | { kind: 'packet-loss'; percent: number }
  /** No GPS fix for `durationS` (for good when omitted). */
  | { kind: 'gps-loss'; durationS?: number }
  /** A cell fails: the pack loses one cell's voltage (trips the low-voltage failsafe). */
  | { kind: 'battery-fault' }
  /** A motor fails: the vehicle comes down (forced landing). */
  | { kind: 'motor-failure' }
  /**
   * The loudspeaker fails (simulator/payloads/speaker.ts): `amplifier` (default) fails what plays and
   * every request; `unresponsive` ignores every request. For `durationS`, or for good when omitted.
   */
  | { kind: 'speaker-fault'; mode?: 'amplifier' | 'unresponsive'; durationS?: number };

export type FaultKind = Fault['kind'];

export interface ScheduledFault {
  droneIndex: number;
  atS: number;
  fault: Fault;
}

/**
 * CLI form: `INDEX:KIND[:ARG][@T]`, e.g. `2:link-drop:10@30` (drone 2 loses its link for 10 s,
 * 30 s after start), `0:packet-loss:20`, `1:gps-loss:15@60`, `3:battery-fault@120`, `4:motor-failure@90`,
 * `0:speaker-fault:30@10` (amplifier fault for 30 s).
 */
export function parseFault(text: string): ScheduledFault {
  const [spec, at] = text.split('@');
  const [indexText, kind, arg] = (spec ?? '').split(':');
  const droneIndex = Number(indexText);
  const atS = at === undefined ? 0 : Number(at);
  const n = arg === undefined ? undefined : Number(arg);
  if (!Number.isInteger(droneIndex) || droneIndex < 0 || !Number.isFinite(atS)) throw new Error(`bad fault "${text}"`);
  let fault: Fault;
  switch (kind) {
    case 'link-drop': fault = { kind, durationS: n ?? 10 }; break;
    case 'packet-loss': fault = { kind, percent: n ?? 10 }; break;
    case 'gps-loss': fault = n === undefined ? { kind } : { kind, durationS: n }; break;
    case 'battery-fault': fault = { kind }; break;
    case 'motor-failure': fault = { kind }; break;
    case 'speaker-fault': fault = n === undefined ? { kind } : { kind, durationS: n }; break;
    default: throw new Error(`unknown fault kind "${kind}" in "${text}"`);
  }
  if (n !== undefined && !Number.isFinite(n)) throw new Error(`bad fault argument in "${text}"`);
  return { droneIndex, atS, fault };
}
