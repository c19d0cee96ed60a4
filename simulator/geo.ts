/**
 * Local flat-earth frame around an origin: north/east metres ↔ latitude/longitude degrees.
 * Good to well under a metre over the few kilometres a patrol fleet covers.
 */
export interface LatLon {
  lat: number;
  lon: number;
}

export interface NorthEast {
  northM: number;
  eastM: number;
}

const EARTH_RADIUS_M = 6_378_137;
const DEG = Math.PI / 180;

export class LocalFrame {
  readonly metresPerDegLat: number;
  readonly metresPerDegLon: number;

  constructor(readonly origin: LatLon) {
    this.metresPerDegLat = EARTH_RADIUS_M * DEG;
    this.metresPerDegLon = EARTH_RADIUS_M * DEG * Math.cos(origin.lat * DEG);
  }

  toLatLon(p: NorthEast): LatLon {
    return { lat: this.origin.lat + p.northM / this.metresPerDegLat, lon: this.origin.lon + p.eastM / this.metresPerDegLon };
  }

  toNorthEast(p: LatLon): NorthEast {
    return { northM: (p.lat - this.origin.lat) * this.metresPerDegLat, eastM: (p.lon - this.origin.lon) * this.metresPerDegLon };
  }
}

export function horizontalDistanceM(a: NorthEast, b: NorthEast): number {
  return Math.hypot(b.northM - a.northM, b.eastM - a.eastM);
}

/** Bearing from a to b, degrees clockwise from north in [0, 360). */
export function bearingDeg(a: NorthEast, b: NorthEast): number {
  const deg = Math.atan2(b.eastM - a.eastM, b.northM - a.northM) / DEG;
  return (deg + 360) % 360;
}

export function wrapDeg180(deg: number): number {
  let d = deg % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}

export function wrapDeg360(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}
