/** Battery model: coulomb counting, open-circuit voltage from state of charge, sag under load. Pure. */
import type { BatterySpec } from './airframe.ts';

export interface BatteryState {
  usedAh: number;
  currentA: number;
  voltageV: number;
  /** A failed cell: the pack loses one cell's voltage (battery fault injection). */
  cellFailed: boolean;
}

/** A pack at rest with state of charge `soc` (0–1, default full): `usedAh` and voltage agree with it. */
export function freshBattery(spec: BatterySpec, soc = 1): BatteryState {
  const s = Math.max(0, Math.min(1, soc));
  return { usedAh: (1 - s) * spec.capacityAh, currentA: 0, voltageV: openCircuitVoltsPerCell(spec, s) * spec.cells, cellFailed: false };
}

export function openCircuitVoltsPerCell(spec: BatterySpec, soc: number): number {
  const curve = spec.ocvCurve;
  const first = curve[0]!;
  if (soc >= first[0]) return first[1];
  for (let i = 1; i < curve.length; i++) {
    const [socLo, vLo] = curve[i]!;
    const [socHi, vHi] = curve[i - 1]!;
    if (soc >= socLo) return vLo + ((soc - socLo) / (socHi - socLo)) * (vHi - vLo);
  }
  return curve[curve.length - 1]![1];
}

export function remainingFraction(spec: BatterySpec, b: BatteryState): number {
  return Math.max(0, 1 - b.usedAh / spec.capacityAh);
}

export function stepBattery(spec: BatterySpec, b: BatteryState, currentA: number, dtS: number): BatteryState {
  const usedAh = Math.min(spec.capacityAh, b.usedAh + (currentA * dtS) / 3600);
  const soc = Math.max(0, 1 - usedAh / spec.capacityAh);
  const cells = b.cellFailed ? spec.cells - 1 : spec.cells;
  const voltageV = Math.max(0, openCircuitVoltsPerCell(spec, soc) * cells - currentA * spec.internalResistanceOhm);
  return { usedAh, currentA, voltageV, cellFailed: b.cellFailed };
}
