/**
 * Drawing on the map, on the map's own click events (no draw plugin): a polygon, a line or a set of
 * points, one click per vertex. A double-click or finish() ends it; Escape (the tool slot) or
 * cancel() drops it. The shape being drawn goes to the `draft` source; the finished one is handed to `onDone`.
 */
import type { FeatureCollection, Position } from 'geojson';
import type { MapAdapter, ScreenPoint } from './adapter.ts';
import type { MapTool, ToolSlot } from './tools.ts';

export type DrawMode = 'polygon' | 'line' | 'points';

const MIN_VERTICES: Record<DrawMode, number> = { polygon: 3, line: 2, points: 1 };
/** A click this close to the last vertex adds nothing (the two clicks of a double-click). */
const SAME_PX = 5;

export interface DrawOptions {
  mode: DrawMode;
  slot: ToolSlot;
  map: () => MapAdapter | null;
  /** The vertices changed (panels update their buttons). */
  onChange?: () => void;
  /** Finished: the vertices as [lon, lat] (a polygon's ring is not closed here). */
  onDone: (vertices: Position[]) => void;
}

export class DrawTool implements MapTool {
  readonly cursor = 'crosshair';
  readonly vertices: Position[] = [];
  private lastPx: ScreenPoint | null = null;

  constructor(private readonly o: DrawOptions) {
    o.slot.start(this);
    this.render();
  }

  get mode(): DrawMode {
    return this.o.mode;
  }

  canFinish(): boolean {
    return this.vertices.length >= MIN_VERTICES[this.o.mode];
  }

  click(lon: number, lat: number, point: ScreenPoint): void {
    if (this.lastPx && Math.hypot(point.x - this.lastPx.x, point.y - this.lastPx.y) < SAME_PX) return;
    this.vertices.push([lon, lat]);
    this.lastPx = point;
    this.render();
    this.o.onChange?.();
  }

  dblclick(): void {
    if (this.canFinish()) this.finish();
  }

  /** Remove the last vertex. */
  undo(): void {
    this.vertices.pop();
    this.lastPx = null;
    this.render();
    this.o.onChange?.();
  }

  finish(): void {
    if (!this.canFinish()) return;
    this.close();
    this.o.onDone([...this.vertices]);
  }

  cancel(): void {
    this.close();
    this.o.onChange?.();
  }

  private close(): void {
    this.o.map()?.setData('draft', { type: 'FeatureCollection', features: [] });
    this.o.slot.end(this);
  }

  private render(): void {
    this.o.map()?.setData('draft', draftFeatures(this.o.mode, this.vertices));
  }
}

/** The shape being drawn: its area (polygon), its line, and its vertices (numbered for points). */
export function draftFeatures(mode: DrawMode, vertices: Position[]): FeatureCollection {
  const fc: FeatureCollection = { type: 'FeatureCollection', features: [] };
  if (mode === 'polygon' && vertices.length >= 3) fc.features.push({ type: 'Feature', properties: { role: 'area' }, geometry: { type: 'Polygon', coordinates: [[...vertices, vertices[0]!]] } });
  if (mode !== 'points' && vertices.length >= 2) {
    const line = mode === 'polygon' && vertices.length >= 3 ? [...vertices, vertices[0]!] : vertices;
    fc.features.push({ type: 'Feature', properties: { role: 'line' }, geometry: { type: 'LineString', coordinates: line } });
  }
  vertices.forEach((v, i) => fc.features.push({ type: 'Feature', properties: { role: 'vertex', icon: mode === 'points' ? `num-poi-${i + 1}` : '' }, geometry: { type: 'Point', coordinates: v } }));
  return fc;
}
