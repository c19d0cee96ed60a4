/**
 * The one place that knows which map library runs: mapbox-gl with the operator's Mapbox token (a
 * real basemap), maplibre-gl on the local offline style otherwise. Both share the API and the style
 * specification, so the rest of the console talks to the small MapAdapter below and never imports
 * either library. mapbox-gl is only loaded (a separate chunk) when a token is configured.
 */
import type { FeatureCollection } from 'geojson';
import { DEMO_CENTER, demoScene } from './demo-scene.ts';
import { offlineStyle, demoLayers } from './style.ts';
import { addOverlay, numberIcon, OVERLAY_SOURCES, type OverlaySource } from './layers.ts';

export interface ScreenPoint { x: number; y: number }

/** Sources whose features may name a numbered marker (`icon: 'num-…'`). */
const NUMBERED_SOURCES = new Set<OverlaySource>(['plan', 'traffic-plan', 'overwatch', 'mission', 'draft', 'junctions']);
export type FeatureProps = Record<string, unknown>;

export interface MapAdapter {
  readonly library: 'maplibre' | 'mapbox';
  setData(source: OverlaySource, data: FeatureCollection): void;
  flyTo(lon: number, lat: number, minZoom?: number): void;
  project(lon: number, lat: number): ScreenPoint;
  /** Properties of the rendered features of `layers` at a screen point (± `radiusPx`). */
  featuresAt(point: ScreenPoint, layers: string[], radiusPx?: number): FeatureProps[];
  onClick(fn: (lon: number, lat: number, point: ScreenPoint) => void): void;
  onDblClick(fn: (lon: number, lat: number, point: ScreenPoint) => void): void;
  onMove(fn: (point: ScreenPoint | null) => void): void;
  /** The view moved or zoomed (called on every frame of the movement). */
  onView(fn: () => void): void;
  setCursor(cursor: string): void;
  /** Double-click zooms the map (on) or belongs to a drawing tool (off). */
  setDoubleClickZoom(on: boolean): void;
  zoom(): number;
  /** What is in view: west, south, east, north (degrees). */
  bounds(): { west: number; south: number; east: number; north: number };
  fitBounds(bounds: [[number, number], [number, number]], maxZoom?: number): void;
  /** Resolves after a frame drawn with every source loaded (or after `timeoutMs`). */
  idle(timeoutMs?: number): Promise<void>;
  resize(): void;
}

/** What both libraries' Map offers and we use. */
interface GlMap {
  on(type: string, fn: (e: any) => void): unknown;
  once(type: string, fn: (e: any) => void): unknown;
  addSource(id: string, source: unknown): void;
  addLayer(layer: unknown, beforeId?: string): void;
  getSource(id: string): { setData(data: unknown): void } | undefined;
  addImage(id: string, image: ImageData, options?: { pixelRatio?: number }): void;
  project(lngLat: [number, number]): { x: number; y: number };
  flyTo(options: Record<string, unknown>): void;
  getZoom(): number;
  queryRenderedFeatures(geometry: unknown, options?: { layers?: string[] }): Array<{ properties: FeatureProps | null }>;
  getCanvas(): HTMLCanvasElement;
  getBounds(): { getWest(): number; getSouth(): number; getEast(): number; getNorth(): number };
  fitBounds(bounds: unknown, options?: Record<string, unknown>): void;
  hasImage(id: string): boolean;
  doubleClickZoom: { enable(): void; disable(): void };
  loaded(): boolean;
  resize(): void;
}

export async function createMap(container: HTMLElement, options: { mapboxToken: string | null }): Promise<MapAdapter> {
  // fadeDuration 0: a symbol re-placed after each update would otherwise fade in again from nothing,
  // and a drone moving a few pixels per update (10 updates a second) would never become visible
  const view = { center: [DEMO_CENTER.lon, DEMO_CENTER.lat] as [number, number], zoom: 17, fadeDuration: 0 };
  let map: GlMap;
  let library: MapAdapter['library'];
  if (options.mapboxToken) {
    const [{ default: mapboxgl }] = await Promise.all([import('mapbox-gl'), import('mapbox-gl/dist/mapbox-gl.css')]);
    mapboxgl.accessToken = options.mapboxToken;
    map = new mapboxgl.Map({ container, style: 'mapbox://styles/mapbox/streets-v12', ...view, attributionControl: true }) as unknown as GlMap;
    library = 'mapbox';
  } else {
    const [maplibregl, { default: workerUrl }] = await Promise.all([import('maplibre-gl'), import('maplibre-gl/dist/maplibre-gl-worker.mjs?url')]);
    await import('maplibre-gl/dist/maplibre-gl.css');
    maplibregl.setWorkerUrl(workerUrl);
    map = new maplibregl.Map({ container, style: offlineStyle() as never, ...view, attributionControl: false }) as unknown as GlMap;
    library = 'maplibre';
  }
  await new Promise<void>((resolve) => map.once('load', () => resolve()));
  if (library === 'mapbox') {
    // the same demo scene over the real basemap
    map.addSource('demo', { type: 'geojson', data: demoScene() });
    for (const layer of demoLayers('demo')) if (!layer.id.startsWith('demo-road')) map.addLayer(layer);
  }
  addOverlay(map);

  const adapter: MapAdapter = {
    library,
    setData(source, data) {
      // numbered markers are drawn the first time a feature names one (before the data that uses it)
      if (NUMBERED_SOURCES.has(source)) {
        for (const f of data.features) {
          const icon = f.properties?.icon;
          if (typeof icon === 'string' && icon && !map.hasImage(icon)) {
            const image = numberIcon(icon);
            if (image) map.addImage(icon, image, { pixelRatio: 2 });
          }
        }
      }
      map.getSource(source)?.setData(data);
    },
    flyTo(lon, lat, minZoom = 17) {
      const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
      map.flyTo({ center: [lon, lat], zoom: Math.max(map.getZoom(), minZoom), duration: reduced ? 0 : 800, essential: true });
    },
    project(lon, lat) {
      const p = map.project([lon, lat]);
      return { x: p.x, y: p.y };
    },
    featuresAt(point, layers, radiusPx = 0) {
      const geometry = radiusPx > 0 ? [[point.x - radiusPx, point.y - radiusPx], [point.x + radiusPx, point.y + radiusPx]] : [point.x, point.y];
      return map.queryRenderedFeatures(geometry, { layers }).map((f) => f.properties ?? {});
    },
    onClick(fn) {
      map.on('click', (e: { lngLat: { lng: number; lat: number }; point: ScreenPoint }) => fn(e.lngLat.lng, e.lngLat.lat, { x: e.point.x, y: e.point.y }));
    },
    onDblClick(fn) {
      map.on('dblclick', (e: { lngLat: { lng: number; lat: number }; point: ScreenPoint }) => fn(e.lngLat.lng, e.lngLat.lat, { x: e.point.x, y: e.point.y }));
    },
    onView(fn) {
      map.on('move', () => fn());
    },
    onMove(fn) {
      map.on('mousemove', (e: { point: ScreenPoint }) => fn({ x: e.point.x, y: e.point.y }));
      map.getCanvas().addEventListener('mouseleave', () => fn(null));
    },
    setCursor(cursor) {
      map.getCanvas().style.cursor = cursor;
    },
    setDoubleClickZoom(on) {
      if (on) map.doubleClickZoom.enable();
      else map.doubleClickZoom.disable();
    },
    zoom: () => map.getZoom(),
    bounds() {
      const b = map.getBounds();
      return { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    },
    fitBounds(bounds, maxZoom = 18) {
      const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
      map.fitBounds(bounds, { padding: 60, maxZoom, duration: reduced ? 0 : 600 });
    },
    // not the 'idle' event: live data calls setData many times a second, so the map is rarely idle
    idle: (timeoutMs = 3000) => new Promise<void>((resolve) => {
      const until = performance.now() + timeoutMs;
      const check = () => {
        if (map.loaded() || performance.now() > until) requestAnimationFrame(() => resolve());
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }),
    resize: () => map.resize(),
  };
  for (const source of OVERLAY_SOURCES) adapter.setData(source, { type: 'FeatureCollection', features: [] });
  return adapter;
}
