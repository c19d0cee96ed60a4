/** ArduCopter flight modes (HEARTBEAT.custom_mode numbers) that the simulator implements. */
export const CopterMode = {
  STABILIZE: 0,
  AUTO: 3,
  GUIDED: 4,
  LOITER: 5,
  RTL: 6,
  LAND: 9,
  BRAKE: 17,
} as const;

export type CopterMode = (typeof CopterMode)[keyof typeof CopterMode];

const NAMES = new Map<number, string>(Object.entries(CopterMode).map(([name, n]) => [n, name]));

export function modeName(mode: number): string {
  return NAMES.get(mode) ?? `MODE(${mode})`;
}

export function isCopterMode(mode: number): mode is CopterMode {
  return NAMES.has(mode);
}

/** Modes ArduCopter lets you arm in (without pilot input: the ones a ground station uses). */
export function modeAllowsArming(mode: CopterMode): boolean {
  return mode === CopterMode.STABILIZE || mode === CopterMode.GUIDED || mode === CopterMode.LOITER;
}

/** Modes that need a position estimate to be entered. */
export function modeNeedsPosition(mode: CopterMode): boolean {
  return mode !== CopterMode.STABILIZE && mode !== CopterMode.LAND;
}
