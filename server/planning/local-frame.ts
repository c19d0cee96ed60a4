/**
 * A local tangent plane: east/north metres around an origin (equirectangular, accurate to well under
 * 0.1% over the few kilometres a patrol spans). The map is affine, so straight lines and polygon
 * clipping give the same answer in either frame: clip in whichever is handy, measure in metres here.
 */
import type { Position } from 'geojson';
import type { LatLon } from './types.ts';

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** [eastM, northM] */
export type XY = [number, number];

export class LocalFrame {
  private readonly mPerDegLat: number;
  private readonly mPerDegLon: number;

  constructor(readonly origin: LatLon) {
    this.mPerDegLat = EARTH_RADIUS_M * RAD;
    this.mPerDegLon = EARTH_RADIUS_M * RAD * Math.cos(origin.lat * RAD);
  }

  /** GeoJSON position [lon, lat] → [eastM, northM]. */
  toXY(p: Position): XY {
    return [(p[0]! - this.origin.lon) * this.mPerDegLon, (p[1]! - this.origin.lat) * this.mPerDegLat];
  }

  fromLatLon(p: LatLon): XY {
    return this.toXY([p.lon, p.lat]);
  }

  /** [eastM, northM] → GeoJSON position [lon, lat]. */
  toPosition(xy: readonly number[]): Position {
    return [this.origin.lon + xy[0]! / this.mPerDegLon, this.origin.lat + xy[1]! / this.mPerDegLat];
  }

  toLatLon(xy: readonly number[]): LatLon {
    const [lon, lat] = this.toPosition(xy) as [number, number];
    return { lat, lon };
  }

  ringToXY(ring: Position[]): XY[] {
    return ring.map((p) => this.toXY(p));
  }

  ringsToXY(rings: Position[][]): XY[][] {
    return rings.map((r) => this.ringToXY(r));
  }

  ringsToPositions(rings: readonly (readonly number[])[][]): Position[][] {
    return rings.map((r) => r.map((p) => this.toPosition(p)));
  }
}

/** A frame centred on the mean of the given positions. */
export function frameAround(positions: Position[]): LocalFrame {
  let lon = 0;
  let lat = 0;
  for (const p of positions) {
    lon += p[0]!;
    lat += p[1]!;
  }
  const n = Math.max(1, positions.length);
  return new LocalFrame({ lat: lat / n, lon: lon / n });
}
