/**
 * Overlay sources and layers (same in both libraries), and the icons drawn with a canvas: drones,
 * and numbered markers (waypoints, stations, points) made on demand (`numberIcon`) since the
 * offline style has no glyphs for text layers.
 */
import type { DroneState } from '../state/store.ts';
import { INCIDENT_COLORS, STATE_COLORS, TRAFFIC_COLORS } from './colors.ts';

export const OVERLAY_SOURCES = ['geofences', 'zones', 'traffic', 'junctions', 'plans', 'plan', 'traffic-plan', 'overwatch', 'mission', 'preposition', 'advisories', 'incident-lines', 'incidents', 'report-point', 'trails', 'draft', 'selected', 'target', 'drones'] as const;
export type OverlaySource = (typeof OVERLAY_SOURCES)[number];

export const DRONE_LAYER = 'drones';

interface OverlayMap {
  addSource(id: string, source: unknown): void;
  addLayer(layer: unknown): void;
  addImage(id: string, image: ImageData, options?: { pixelRatio?: number }): void;
}

/** Numbered markers: `num-<style>-<n>`, drawn when the map first asks for one. */
const NUMBER_STYLES = {
  wp: { fill: '#ffffff', ring: '#6a1b9a', ink: '#6a1b9a' }, // a mission's waypoint
  cur: { fill: '#f08c00', ring: '#ffffff', ink: '#ffffff' }, // the drone's current mission item
  stn: { fill: '#00796b', ring: '#ffffff', ink: '#ffffff' }, // an overwatch station
  poi: { fill: '#c62828', ring: '#ffffff', ink: '#ffffff' }, // a point of interest, a tour stop
  jct: { fill: '#37474f', ring: '#ffffff', ink: '#ffffff' }, // a road junction
} as const;
const NUMBER_ID = /^num-(wp|cur|stn|poi|jct)-(\d{1,4})$/;

export function numberIcon(id: string): ImageData | null {
  const m = NUMBER_ID.exec(id);
  if (!m) return null;
  const style = NUMBER_STYLES[m[1] as keyof typeof NUMBER_STYLES];
  const text = m[2]!;
  const px = 40; // pixelRatio 2 → 20 CSS px
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = px;
  const g = canvas.getContext('2d')!;
  g.beginPath();
  g.arc(px / 2, px / 2, px / 2 - 3, 0, Math.PI * 2);
  g.fillStyle = style.fill;
  g.fill();
  g.lineWidth = 3;
  g.strokeStyle = style.ring;
  g.stroke();
  g.fillStyle = style.ink;
  g.font = `bold ${text.length > 2 ? 14 : 18}px system-ui, sans-serif`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText(text, px / 2, px / 2 + 1);
  return g.getImageData(0, 0, px, px);
}

const ICON_PX = 48; // drawn at pixelRatio 2 → 24 CSS px

/** An arrow pointing north (rotated by heading on the map), in the state's colour with a white rim. */
function droneIcon(color: string): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = ICON_PX;
  const g = canvas.getContext('2d')!;
  const c = ICON_PX / 2;
  g.beginPath();
  g.arc(c, c, c - 3, 0, Math.PI * 2);
  g.fillStyle = color;
  g.fill();
  g.lineWidth = 3;
  g.strokeStyle = '#ffffff';
  g.stroke();
  g.beginPath();
  g.moveTo(c, 7);
  g.lineTo(c + 10, c + 11);
  g.lineTo(c, c + 5);
  g.lineTo(c - 10, c + 11);
  g.closePath();
  g.fillStyle = '#ffffff';
  g.fill();
  return g.getImageData(0, 0, ICON_PX, ICON_PX);
}

const stateMatch = (prop: string, values: Record<DroneState, string>) =>
  ['match', ['get', prop], ...Object.entries(values).flat(), '#000000'];

export function addOverlay(map: OverlayMap): void {
  for (const [state, color] of Object.entries(STATE_COLORS)) map.addImage(`drone-${state}`, droneIcon(color), { pixelRatio: 2 });
  for (const id of OVERLAY_SOURCES) map.addSource(id, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });

  map.addLayer({ id: 'geofences-fill', type: 'fill', source: 'geofences', paint: { 'fill-color': ['match', ['get', 'kind'], 'no-fly', '#d62828', '#1e63d6'], 'fill-opacity': ['match', ['get', 'kind'], 'no-fly', 0.18, 0.04] } });
  map.addLayer({ id: 'geofences-line', type: 'line', source: 'geofences', paint: { 'line-color': ['match', ['get', 'kind'], 'no-fly', '#d62828', '#1e63d6'], 'line-width': 2, 'line-dasharray': [2, 1] } });
  map.addLayer({ id: 'zones-fill', type: 'fill', source: 'zones', paint: { 'fill-color': ['match', ['get', 'kind'], 'fire-lane', '#d62828', 'no-parking', '#f08c00', '#e0b000'], 'fill-opacity': 0.25 } });
  map.addLayer({ id: 'zones-line', type: 'line', source: 'zones', paint: { 'line-color': '#a07800', 'line-width': 1.5 } });
  const role = (r: string | string[]) => ['match', ['get', 'role'], r, true, false];
  // road segments coloured by their traffic level (GET /api/roads + /api/traffic, `traffic` events)
  map.addLayer({ id: 'traffic-casing', type: 'line', source: 'traffic', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': 8, 'line-opacity': 0.9 } });
  map.addLayer({ id: 'traffic', type: 'line', source: 'traffic', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ['match', ['get', 'level'], 'slow', TRAFFIC_COLORS.slow, 'congested', TRAFFIC_COLORS.congested, 'jammed', TRAFFIC_COLORS.jammed, TRAFFIC_COLORS.free], 'line-width': 5 } });
  // stored plans shown as a layer ("plans and patrol routes")
  map.addLayer({ id: 'plans-line', type: 'line', source: 'plans', layout: { 'line-join': 'round' }, paint: { 'line-color': '#455a9c', 'line-width': 2, 'line-opacity': 0.7, 'line-dasharray': [3, 2] } });
  // the plan being prepared: its drawn area or path, its route, where it breaks the airspace
  map.addLayer({ id: 'plan-area', type: 'fill', source: 'plan', filter: role('area'), paint: { 'fill-color': '#6a1b9a', 'fill-opacity': 0.08 } });
  map.addLayer({ id: 'plan-input', type: 'line', source: 'plan', filter: role(['area', 'path']), paint: { 'line-color': '#6a1b9a', 'line-width': 1.5, 'line-dasharray': [2, 2] } });
  const routeLine = { type: 'line', filter: role('route'), layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': ['case', ['to-boolean', ['get', 'violation']], '#d62828', '#6a1b9a'], 'line-width': 3 } } as const;
  map.addLayer({ id: 'plan-route', source: 'plan', ...routeLine });
  // the traffic tab's preview (a corridor patrol along a road, a tour over the junctions): a source of
  // its own, so that it and the planning tab's preview never draw over each other
  map.addLayer({ id: 'traffic-plan-route', source: 'traffic-plan', ...routeLine });
  // overwatch: the venue, the stations' coverage footprints
  map.addLayer({ id: 'overwatch-venue', type: 'line', source: 'overwatch', filter: role('venue'), paint: { 'line-color': '#00796b', 'line-width': 2, 'line-dasharray': [2, 2] } });
  map.addLayer({ id: 'overwatch-footprint', type: 'fill', source: 'overwatch', filter: role('footprint'), paint: { 'fill-color': '#00796b', 'fill-opacity': 0.15 } });
  map.addLayer({ id: 'overwatch-footprint-line', type: 'line', source: 'overwatch', filter: role('footprint'), paint: { 'line-color': '#00796b', 'line-width': 1.5 } });
  // the selected drone's mission
  map.addLayer({ id: 'mission-line', type: 'line', source: 'mission', filter: role('line'), layout: { 'line-join': 'round' }, paint: { 'line-color': '#6a1b9a', 'line-width': 2.5, 'line-opacity': 0.85 } });
  // advisory cases: open ones magenta, closed ones (complied, escalated) faded
  map.addLayer({ id: 'advisories', type: 'circle', source: 'advisories', paint: {
    'circle-radius': 7, 'circle-color': ['match', ['get', 'state'], 'complied', '#12a150', 'escalated', '#7b1fa2', '#c2185b'],
    'circle-opacity': ['match', ['get', 'state'], ['complied', 'escalated'], 0.45, 0.95], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  // pre-positioning suggestions: a dashed line from each idle drone to its suggested wait point
  map.addLayer({ id: 'preposition-line', type: 'line', source: 'preposition', filter: role('move'), paint: { 'line-color': '#00838f', 'line-width': 2, 'line-dasharray': [2, 1.5] } });
  map.addLayer({ id: 'preposition-point', type: 'circle', source: 'preposition', filter: role('point'), paint: { 'circle-radius': 7, 'circle-color': '#00838f', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  // incidents: a line from each responding drone while it is on the way; the scene coloured by state,
  // urgent open ones (priority 1–2) bigger with a red halo
  map.addLayer({ id: 'incident-lines', type: 'line', source: 'incident-lines', paint: { 'line-color': '#b71c1c', 'line-width': 2.5, 'line-dasharray': [1, 1] } });
  map.addLayer({ id: 'incidents', type: 'circle', source: 'incidents', paint: {
    'circle-radius': ['case', ['get', 'urgent'], 11, 8],
    'circle-color': ['match', ['get', 'state'], ...Object.entries(INCIDENT_COLORS).flat(), '#b71c1c'],
    'circle-opacity': ['match', ['get', 'state'], 'released', 0.5, 0.95],
    'circle-stroke-color': ['case', ['get', 'urgent'], '#ff1744', '#ffffff'], 'circle-stroke-width': ['case', ['get', 'urgent'], 4, 2] } });
  map.addLayer({ id: 'incident-selected', type: 'circle', source: 'incidents', filter: ['==', ['get', 'selected'], true], paint: { 'circle-radius': 16, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffb300', 'circle-stroke-width': 3 } });
  map.addLayer({ id: 'report-point', type: 'circle', source: 'report-point', paint: { 'circle-radius': 9, 'circle-color': 'rgba(183,28,28,0.25)', 'circle-stroke-color': '#b71c1c', 'circle-stroke-width': 3 } });
  map.addLayer({ id: 'trails', type: 'line', source: 'trails', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': stateMatch('state', STATE_COLORS), 'line-width': 2, 'line-opacity': 0.6 } });
  // the shape being drawn
  map.addLayer({ id: 'draft-area', type: 'fill', source: 'draft', filter: role('area'), paint: { 'fill-color': '#1e63d6', 'fill-opacity': 0.12 } });
  map.addLayer({ id: 'draft-line', type: 'line', source: 'draft', filter: role('line'), paint: { 'line-color': '#1e63d6', 'line-width': 2 } });
  map.addLayer({ id: 'draft-vertex', type: 'circle', source: 'draft', filter: ['all', role('vertex'), ['==', ['get', 'icon'], '']], paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': '#1e63d6', 'circle-stroke-width': 2 } });
  // numbered markers: waypoints (the current one highlighted), stations, points of interest, drawn points
  const numbered = { 'icon-image': ['get', 'icon'], 'icon-allow-overlap': true, 'icon-ignore-placement': true };
  map.addLayer({ id: 'mission-waypoints', type: 'symbol', source: 'mission', filter: role('wp'), layout: { ...numbered, 'symbol-sort-key': ['get', 'sort'] } });
  map.addLayer({ id: 'plan-stops', type: 'symbol', source: 'plan', filter: role('stop'), layout: numbered });
  map.addLayer({ id: 'traffic-plan-stops', type: 'symbol', source: 'traffic-plan', filter: role('stop'), layout: numbered });
  // road junctions (GET /api/traffic/junctions), numbered as in the Traffic tab
  map.addLayer({ id: 'junctions', type: 'symbol', source: 'junctions', layout: { ...numbered, 'icon-size': 0.8 } });
  map.addLayer({ id: 'overwatch-pois', type: 'circle', source: 'overwatch', filter: role('poi'), paint: { 'circle-radius': 5, 'circle-color': '#c62828', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  map.addLayer({ id: 'overwatch-stations', type: 'symbol', source: 'overwatch', filter: role('station'), layout: numbered });
  map.addLayer({ id: 'draft-points', type: 'symbol', source: 'draft', filter: ['all', role('vertex'), ['!=', ['get', 'icon'], '']], layout: numbered });
  map.addLayer({ id: 'plan-violation', type: 'circle', source: 'plan', filter: role('violation'), paint: { 'circle-radius': 9, 'circle-color': 'rgba(214,40,40,0.35)', 'circle-stroke-color': '#d62828', 'circle-stroke-width': 3 } });
  map.addLayer({ id: 'target', type: 'circle', source: 'target', paint: { 'circle-radius': 7, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#111111', 'circle-stroke-width': 2 } });
  map.addLayer({ id: 'selected', type: 'circle', source: 'selected', paint: { 'circle-radius': 17, 'circle-color': 'rgba(255, 200, 0, 0.25)', 'circle-stroke-color': '#ffb300', 'circle-stroke-width': 3 } });
  map.addLayer({
    id: DRONE_LAYER, type: 'symbol', source: 'drones',
    layout: {
      'icon-image': ['concat', 'drone-', ['get', 'state']],
      'icon-rotate': ['get', 'heading'],
      'icon-rotation-alignment': 'map',
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      'symbol-sort-key': ['get', 'sort'],
    },
  });
}
