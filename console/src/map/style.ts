/**
 * The offline style: a background and the local demo scene. No glyphs, no sprite, no tiles: nothing
 * is fetched (labels are DOM tooltips, icons come from addImage). Works in maplibre-gl and mapbox-gl.
 */
import { BACKGROUND } from './colors.ts';
import { DEMO_CENTER, demoScene } from './demo-scene.ts';

export type LayerSpec = Record<string, unknown> & { id: string; type: string };

/** The demo scene's layers (on the offline style, and over a Mapbox basemap). */
export function demoLayers(source: string): LayerSpec[] {
  const kind = (k: string | string[]) => ['match', ['get', 'kind'], k, true, false];
  return [
    { id: 'demo-park', type: 'fill', source, filter: kind('park'), paint: { 'fill-color': '#d3e6c4' } },
    { id: 'demo-water', type: 'fill', source, filter: kind('water'), paint: { 'fill-color': '#b5d3ea' } },
    { id: 'demo-venue', type: 'fill', source, filter: kind('venue'), paint: { 'fill-color': '#efe3f7', 'fill-opacity': 0.9 } },
    { id: 'demo-venue-hall', type: 'fill', source, filter: kind('venue-hall'), paint: { 'fill-color': '#d9c2ea' } },
    { id: 'demo-venue-outline', type: 'line', source, filter: kind('venue'), paint: { 'line-color': '#8e5bb5', 'line-width': 2, 'line-dasharray': [3, 2] } },
    { id: 'demo-road-casing', type: 'line', source, filter: kind(['road-major', 'road-minor']), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#c9c4b8', 'line-width': ['interpolate', ['exponential', 2], ['zoom'], 14, 4, 19, 60] } },
    { id: 'demo-road', type: 'line', source, filter: kind(['road-major', 'road-minor']), layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['exponential', 2], ['zoom'], 14, 2.5, 19, 52] } },
    { id: 'demo-stop-lane', type: 'fill', source, filter: kind('stop-lane'), paint: { 'fill-color': '#ffd54a', 'fill-opacity': 0.75 } },
    { id: 'demo-base', type: 'fill', source, filter: kind('base'), paint: { 'fill-color': '#dfe7f3', 'fill-outline-color': '#5a7bb0' } },
    { id: 'demo-base-outline', type: 'line', source, filter: kind('base'), paint: { 'line-color': '#5a7bb0', 'line-width': 2 } },
  ];
}

export function offlineStyle(): Record<string, unknown> {
  return {
    version: 8,
    name: 'Eagle Eye offline',
    sources: { demo: { type: 'geojson', data: demoScene() } },
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }, ...demoLayers('demo')],
    center: [DEMO_CENTER.lon, DEMO_CENTER.lat],
    zoom: 17,
  };
}
