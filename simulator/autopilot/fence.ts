/**
 * Geofence as ArduCopter has it: a maximum altitude, a circle around home (FENCE_RADIUS), and the
 * FENCE mission type's inclusion/exclusion polygons and circles. Like ArduPilot, the vehicle must be
 * inside every inclusion zone and outside every exclusion zone.
 */
import { common } from 'mavlink-mappings';
import type { LocalFrame, NorthEast } from '../geo.ts';
import type { MissionItem } from './mission-item.ts';
import type { ParamStore } from './params.ts';

export type FenceBreach = 'none' | 'altitude' | 'circle' | 'polygon';

interface Polygon { inclusion: boolean; vertices: NorthEast[] }
interface Circle { inclusion: boolean; center: NorthEast; radiusM: number }

export const FENCE_TYPE_ALT_MAX = 1;
export const FENCE_TYPE_CIRCLE = 2;
export const FENCE_TYPE_POLYGON = 4;

export class Geofence {
  private polygons: Polygon[] = [];
  private circles: Circle[] = [];

  constructor(private readonly params: ParamStore) {}

  /** Rebuild from FENCE items: consecutive polygon vertices (param1 = vertex count), circles (param1 = radius m). */
  load(items: readonly MissionItem[], frame: LocalFrame): void {
    const polygons: Polygon[] = [];
    const circles: Circle[] = [];
    let i = 0;
    while (i < items.length) {
      const item = items[i]!;
      const at = frame.toNorthEast({ lat: item.x / 1e7, lon: item.y / 1e7 });
      if (item.command === common.MavCmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION || item.command === common.MavCmd.NAV_FENCE_POLYGON_VERTEX_EXCLUSION) {
        const count = Math.max(3, Math.round(item.param1));
        const vertices: NorthEast[] = [];
        for (let k = 0; k < count && i + k < items.length; k++) {
          const v = items[i + k]!;
          vertices.push(frame.toNorthEast({ lat: v.x / 1e7, lon: v.y / 1e7 }));
        }
        polygons.push({ inclusion: item.command === common.MavCmd.NAV_FENCE_POLYGON_VERTEX_INCLUSION, vertices });
        i += count;
        continue;
      }
      if (item.command === common.MavCmd.NAV_FENCE_CIRCLE_INCLUSION || item.command === common.MavCmd.NAV_FENCE_CIRCLE_EXCLUSION) {
        circles.push({ inclusion: item.command === common.MavCmd.NAV_FENCE_CIRCLE_INCLUSION, center: at, radiusM: item.param1 });
      }
      i++;
    }
    this.polygons = polygons;
    this.circles = circles;
  }

  get enabled(): boolean {
    return this.params.get('FENCE_ENABLE') >= 1;
  }

  /** Which fence (if any) the position breaks. `home` is the centre of the FENCE_RADIUS circle. */
  check(p: NorthEast, altitudeM: number, home: NorthEast | null): FenceBreach {
    if (!this.enabled) return 'none';
    return this.violation(p, altitudeM, home);
  }

  /** Whether a destination lies inside the fence (checked even for a guided target). */
  allows(p: NorthEast, altitudeM: number, home: NorthEast | null): boolean {
    return !this.enabled || this.violation(p, altitudeM, home) === 'none';
  }

  /** Highest altitude RTL may climb to while the altitude fence is on. */
  maxAltitudeM(): number {
    if (!this.enabled || (this.params.get('FENCE_TYPE') & FENCE_TYPE_ALT_MAX) === 0) return Infinity;
    return this.params.get('FENCE_ALT_MAX') - this.params.get('FENCE_MARGIN');
  }

  private violation(p: NorthEast, altitudeM: number, home: NorthEast | null): FenceBreach {
    const types = this.params.get('FENCE_TYPE');
    if ((types & FENCE_TYPE_ALT_MAX) !== 0 && altitudeM > this.params.get('FENCE_ALT_MAX')) return 'altitude';
    if ((types & FENCE_TYPE_CIRCLE) !== 0 && home) {
      if (Math.hypot(p.northM - home.northM, p.eastM - home.eastM) > this.params.get('FENCE_RADIUS')) return 'circle';
    }
    if ((types & FENCE_TYPE_POLYGON) !== 0) {
      for (const poly of this.polygons) if (pointInPolygon(p, poly.vertices) !== poly.inclusion) return 'polygon';
      for (const c of this.circles) {
        const inside = Math.hypot(p.northM - c.center.northM, p.eastM - c.center.eastM) <= c.radiusM;
        if (inside !== c.inclusion) return 'polygon';
      }
    }
    return 'none';
  }
}

/** Even-odd ray casting in the local frame. */
export function pointInPolygon(p: NorthEast, vertices: readonly NorthEast[]): boolean {
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const a = vertices[i]!, b = vertices[j]!;
    if ((a.northM > p.northM) !== (b.northM > p.northM)) {
      const eastAtCrossing = a.eastM + ((p.northM - a.northM) / (b.northM - a.northM)) * (b.eastM - a.eastM);
      if (p.eastM < eastAtCrossing) inside = !inside;
    }
  }
  return inside;
}
