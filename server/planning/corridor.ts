/**
 * Corridor patrol along a LineString (a road) at a lateral offset (positive: right of the
 * direction of travel; Turf lineOffset in local metres): there and back along the same line, or
 * as a loop (out on the offset side, back on the mirrored side).
 */
import { lineOffset, lineString } from '@turf/turf';
import type { LineString } from 'geojson';
import { frameAround, type LocalFrame, type XY } from './local-frame.ts';
import { PlanningError } from './types.ts';
import { dedupe } from './vec.ts';

export interface CorridorOptions {
  path: LineString;
  offsetM?: number;
  /** true: out on +offset, back on −offset (a closed loop); false (default): there and back. */
  loop?: boolean;
  /** How many times the whole corridor is flown (default 1). */
  loops?: number;
}

export interface CorridorResult {
  /** One round (out and back), closed for a loop. */
  roundXY: XY[];
  frame: LocalFrame;
  loops: number;
  warnings: string[];
}

export function planCorridor(o: CorridorOptions): CorridorResult {
  const coords = o.path.coordinates;
  if (coords.length < 2) throw new PlanningError('BAD_PLAN_INPUT', 'the corridor path needs at least two positions');
  const loops = o.loops ?? 1;
  if (!Number.isInteger(loops) || loops < 1) throw new PlanningError('BAD_PLAN_INPUT', 'loops must be a whole number ≥ 1', { loops });
  const frame = frameAround(coords);
  const xy = dedupe(frame.ringToXY(coords), 0.01);
  if (xy.length < 2) throw new PlanningError('BAD_PLAN_INPUT', 'the corridor path has no length');
  const offsetM = o.offsetM ?? 0;
  const out = offsetLine(xy, offsetM);
  let round: XY[];
  if (o.loop) {
    const back = offsetLine(xy, -offsetM).reverse();
    round = [...out, ...back, out[0]!];
  } else {
    round = [...out, ...[...out].reverse().slice(1)];
  }
  return { roundXY: dedupe(round), frame, loops, warnings: [] };
}

/** Offset in local metres (units "degrees" keeps Turf from converting the distance). */
function offsetLine(xy: XY[], offsetM: number): XY[] {
  if (offsetM === 0) return xy.map((p) => [p[0], p[1]] as XY);
  // lineOffset: positive offsets to the right of the direction of travel
  return lineOffset(lineString(xy), offsetM, { units: 'degrees' }).geometry.coordinates.map((p) => [p[0]!, p[1]!] as XY);
}
