/**
 * Positions in metres from the test base (north, east), for unit tests of ways round no-fly zones:
 * `at(northM, eastM)`, a rectangle `ring(n0, n1, e0, e1)` as a GeoJSON polygon, and the 120 m no-fly
 * block centred 150 m north of the base that patrol-return and home-return tests fly round.
 */
export const BASE = { lat: 30.4987, lon: 114.4123 };
export const M = 1 / 111_320;
export const COS = Math.cos((BASE.lat * Math.PI) / 180);

export const at = (northM: number, eastM = 0) => ({ lat: BASE.lat + northM * M, lon: BASE.lon + (eastM * M) / COS });

export const ring = (n0: number, n1: number, e0: number, e1: number) => {
  const p = (n: number, e: number) => { const q = at(n, e); return [q.lon, q.lat]; };
  return { type: 'Polygon' as const, coordinates: [[p(n0, e0), p(n0, e1), p(n1, e1), p(n1, e0), p(n0, e0)]] };
};

/** A 120 m no-fly block centred 150 m north of the base. */
export const BLOCK = { id: 'nf_block', polygon: ring(90, 210, -60, 60) };

export const insideBlock = (p: { lat: number; lon: number }) => {
  const n = (p.lat - BASE.lat) / M;
  const e = ((p.lon - BASE.lon) * COS) / M;
  return n > 90 && n < 210 && e > -60 && e < 60;
};
