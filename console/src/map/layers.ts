/** Overlay sources and layers (same in both libraries), and the drone icons drawn with a canvas. */
import type { DroneState } from '../state/store.ts';
import { STATE_COLORS } from './colors.ts';

export const OVERLAY_SOURCES = ['geofences', 'zones', 'advisories', 'trails', 'selected', 'target', 'drones'] as const;
export type OverlaySource = (typeof OVERLAY_SOURCES)[number];

export const DRONE_LAYER = 'drones';

interface OverlayMap {
  addSource(id: string, source: unknown): void;
  addLayer(layer: unknown): void;
  addImage(id: string, image: ImageData, options?: { pixelRatio?: number }): void;
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
  // advisory cases: open ones magenta, closed ones (complied, escalated) faded
  map.addLayer({ id: 'advisories', type: 'circle', source: 'advisories', paint: {
    'circle-radius': 7, 'circle-color': ['match', ['get', 'state'], 'complied', '#12a150', 'escalated', '#7b1fa2', '#c2185b'],
    'circle-opacity': ['match', ['get', 'state'], ['complied', 'escalated'], 0.45, 0.95], 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } });
  map.addLayer({ id: 'trails', type: 'line', source: 'trails', layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': stateMatch('state', STATE_COLORS), 'line-width': 2, 'line-opacity': 0.6 } });
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
