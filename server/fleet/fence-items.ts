/**
 * Stored geofences → the FENCE mission list a vehicle enforces by itself (MAV_CMD_NAV_FENCE_*),
 * so that the aircraft keeps to its airspace even when the server is gone.
 */
import type { Geofence } from '../contracts/geofence.ts';
import type { MissionItem } from '../contracts/mission.ts';

export function fenceItems(fences: Geofence[]): MissionItem[] {
  const items: MissionItem[] = [];
  for (const f of fences) {
    const inclusion = f.kind === 'operating-area';
    if (f.circle) {
      items.push({
        command: inclusion ? 'NAV_FENCE_CIRCLE_INCLUSION' : 'NAV_FENCE_CIRCLE_EXCLUSION',
        lat: f.circle.center.lat, lon: f.circle.center.lon, altitudeM: 0, params: [f.circle.radiusM, 0, 0, 0], frame: 'GLOBAL',
      });
    }
    for (const ring of f.geometry ? [f.geometry.coordinates[0]!] : []) {
      const closed = ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1];
      const vertices = closed ? ring.slice(0, -1) : ring;
      for (const [lon, lat] of vertices) {
        items.push({
          command: inclusion ? 'NAV_FENCE_POLYGON_VERTEX_INCLUSION' : 'NAV_FENCE_POLYGON_VERTEX_EXCLUSION',
          lat, lon, altitudeM: 0, params: [vertices.length, 0, 0, 0], frame: 'GLOBAL',
        });
      }
    }
  }
  return items;
}
