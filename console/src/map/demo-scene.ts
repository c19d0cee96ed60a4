/**
 * The offline demo scene around the drone base in Wuhan's Optics Valley (≈ 30.4987 N, 114.4123 E).
 * APPROXIMATE shapes drawn by hand for the demo — not survey data, not real road geometry.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';

type Ring = Array<[number, number]>;

const BASE = { lat: 30.4987, lon: 114.4123 };
const M_LAT = 1 / 111_320;
const M_LON = 1 / (111_320 * Math.cos((BASE.lat * Math.PI) / 180));

/** A point `north`/`east` metres from the base. */
function at(northM: number, eastM: number): [number, number] {
  return [+(BASE.lon + eastM * M_LON).toFixed(7), +(BASE.lat + northM * M_LAT).toFixed(7)];
}

function rect(n0: number, e0: number, n1: number, e1: number): Ring {
  return [at(n0, e0), at(n0, e1), at(n1, e1), at(n1, e0), at(n0, e0)];
}

function feature(kind: string, name: string, geometry: Geometry): Feature {
  return { type: 'Feature', properties: { kind, name }, geometry };
}

export const DEMO_CENTER = BASE;

export function demoScene(): FeatureCollection {
  const features: Feature[] = [
    // green space and a pond, for orientation
    feature('park', '公园', { type: 'Polygon', coordinates: [[at(-420, -520), at(-380, -260), at(-520, -200), at(-640, -420), at(-420, -520)]] }),
    feature('water', '湖', { type: 'Polygon', coordinates: [[at(-460, -430), at(-430, -330), at(-520, -300), at(-560, -400), at(-460, -430)]] }),
    // the expo venue: a large hall with a forecourt, north-east of the base
    feature('venue', '光谷展会场馆（示意）', { type: 'Polygon', coordinates: [[at(120, 160), at(140, 520), at(420, 540), at(440, 300), at(360, 150), at(120, 160)]] }),
    feature('venue-hall', '展馆', { type: 'Polygon', coordinates: [rect(200, 240, 380, 480)] }),
    // roads (two avenues, a side street and the venue ring road)
    feature('road-major', '东西向主干道（示意）', { type: 'LineString', coordinates: [at(-60, -900), at(-62, -300), at(-60, 300), at(-58, 900)] }),
    feature('road-major', '南北向主干道（示意）', { type: 'LineString', coordinates: [at(-800, 80), at(-300, 82), at(100, 80), at(800, 84)] }),
    feature('road-minor', '支路', { type: 'LineString', coordinates: [at(-60, -120), at(60, -120), at(200, -110), at(520, -100)] }),
    feature('road-minor', '场馆环路', { type: 'LineString', coordinates: [at(100, 140), at(100, 560), at(460, 560), at(460, 140), at(100, 140)] }),
    // temporary stopping lanes along the avenue by the venue
    feature('stop-lane', '临时停车道 A', { type: 'Polygon', coordinates: [rect(110, 92, 330, 100)] }),
    feature('stop-lane', '临时停车道 B', { type: 'Polygon', coordinates: [rect(-50, 200, -42, 420)] }),
    // the drone base: a fenced pad around the parking grid
    feature('base', '无人机基地', { type: 'Polygon', coordinates: [rect(-22, -26, 22, 26)] }),
  ];
  return { type: 'FeatureCollection', features };
}
