/** Horizontal distance between two positions (equirectangular: exact enough over a city). */
const M_PER_DEG = 111_320;

export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const north = (b.lat - a.lat) * M_PER_DEG;
  const east = (b.lon - a.lon) * M_PER_DEG * Math.cos((((a.lat + b.lat) / 2) * Math.PI) / 180);
  return Math.hypot(north, east);
}
