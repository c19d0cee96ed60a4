/**
 * Shortest paths through free space (a polygon or multipolygon with holes, in local metres): a
 * visibility graph over the free space's reflex corners (convex corners of the obstacles, concave
 * corners of the boundary), searched with A* and checked lazily (a pair is tested for visibility
 * only when it would improve a path). Segment tests are Turf's: `lineIntersect` against each
 * boundary ring whose box overlaps, and `booleanPointInPolygon` on the midpoint.
 */
import { booleanPointInPolygon, lineIntersect, lineString, multiPolygon, point } from '@turf/turf';
import type { Feature, LineString, MultiPolygon } from 'geojson';
import type { XY } from './local-frame.ts';
import { cross, dist, distanceToRingsM, openRing, signedArea2 } from './vec.ts';

interface Ring {
  line: Feature<LineString>;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface FreeSpace {
  /** The free space as polygons of rings, outer ring first (closed rings). */
  polygons: XY[][][];
  shape: Feature<MultiPolygon>;
  /** Boundary rings, in chunks of a few edges. */
  rings: Ring[];
  /** Reflex corners: where shortest paths bend. */
  corners: XY[];
  /** Each corner's neighbours on its ring (for the tangent test). */
  neighbours: [XY, XY][];
}

const EPS_M = 1e-5;
const CHUNK_EDGES = 8;

export function buildFreeSpace(polygons: XY[][][]): FreeSpace {
  const rings: Ring[] = [];
  const corners: XY[] = [];
  const neighbours: [XY, XY][] = [];
  for (const poly of polygons) {
    poly.forEach((closed, ringIndex) => {
      if (closed.length < 4) return;
      // Rings are kept in chunks of a few edges, each with its box, so a segment test only
      // intersects the edges near it.
      for (let i = 0; i + 1 < closed.length; i += CHUNK_EDGES) {
        const part = closed.slice(i, Math.min(closed.length, i + CHUNK_EDGES + 1));
        const xs = part.map((p) => p[0]);
        const ys = part.map((p) => p[1]);
        rings.push({ line: lineString(part), minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) });
      }
      // Free space on the left: outer rings counter-clockwise, holes clockwise.
      let open = openRing(closed);
      const ccw = signedArea2(open) > 0;
      if ((ringIndex === 0) !== ccw) open = [...open].reverse();
      const n = open.length;
      for (let i = 0; i < n; i++) {
        if (cross(open[(i + n - 1) % n]!, open[i]!, open[(i + 1) % n]!) < -1e-9) {
          corners.push(open[i]!);
          neighbours.push([open[(i + n - 1) % n]!, open[(i + 1) % n]!]);
        }
      }
    });
  }
  return { polygons, shape: multiPolygon(polygons), rings, corners, neighbours };
}

export function insideFreeSpace(fs: FreeSpace, p: XY): boolean {
  return booleanPointInPolygon(point(p), fs.shape);
}

export function insideOrOn(fs: FreeSpace, p: XY): boolean {
  return insideFreeSpace(fs, p) || onBoundary(fs, p);
}

/** Within a rounding error of a boundary ring (midpoints of boundary edges land a hair outside). */
function onBoundary(fs: FreeSpace, p: XY): boolean {
  for (const ring of fs.rings) {
    if (p[0] < ring.minX - 1e-6 || p[0] > ring.maxX + 1e-6 || p[1] < ring.minY - 1e-6 || p[1] > ring.maxY + 1e-6) continue;
    if (distanceToRingsM(p, [ring.line.geometry.coordinates]) < 1e-6) return true;
  }
  return false;
}

/**
 * True when the segment a–b stays in the free space (running along or touching its boundary is
 * allowed): the boundary crossings split the segment into pieces, and every piece's midpoint must
 * be inside.
 */
export function segmentIsFree(fs: FreeSpace, a: XY, b: XY): boolean {
  const len = dist(a, b);
  if (len < EPS_M) return true;
  const minX = Math.min(a[0], b[0]);
  const maxX = Math.max(a[0], b[0]);
  const minY = Math.min(a[1], b[1]);
  const maxY = Math.max(a[1], b[1]);
  let seg: Feature<LineString> | null = null;
  const ts = [0, 1];
  for (const ring of fs.rings) {
    if (ring.maxX < minX || ring.minX > maxX || ring.maxY < minY || ring.minY > maxY) continue;
    seg ??= lineString([a, b]);
    const hits = lineIntersect(seg, ring.line);
    for (const h of hits.features) {
      const c = h.geometry.coordinates;
      const t = dist(c, a) / len;
      if (t * len > EPS_M && (1 - t) * len > EPS_M) ts.push(t);
    }
  }
  ts.sort((x, y) => x - y);
  for (let i = 1; i < ts.length; i++) {
    if ((ts[i]! - ts[i - 1]!) * len < EPS_M) continue;
    const t = (ts[i]! + ts[i - 1]!) / 2;
    const p: XY = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    if (!insideFreeSpace(fs, p) && !onBoundary(fs, p)) return false;
  }
  return true;
}

/** Is the line through `from` and `corner` tangent to the corner (its neighbours on one side)? */
function tangent(corner: XY, from: XY, [p, q]: [XY, XY]): boolean {
  // sides by the sine of the angle, so a neighbour on the line (a start point on the corner's
  // own edge) counts as on neither side whatever the rounding
  const d = dist(from, corner);
  const sp = cross(from, corner, p) / (d * dist(corner, p) || 1);
  const sq = cross(from, corner, q) / (d * dist(corner, q) || 1);
  return !(sp > 1e-7 && sq < -1e-7) && !(sp < -1e-7 && sq > 1e-7);
}

/**
 * Shortest path from a to b inside the free space, or null when there is none (or a or b is
 * outside it). The path starts with a and ends with b.
 */
export function shortestPath(fs: FreeSpace, a: XY, b: XY): XY[] | null {
  if (!insideOrOn(fs, a) || !insideOrOn(fs, b)) return null;
  if (segmentIsFree(fs, a, b)) return [a, b];
  const nodes: XY[] = [a, b, ...fs.corners];
  const n = nodes.length;
  const g = new Float64Array(n).fill(Infinity);
  const prev = new Int32Array(n).fill(-1);
  const closed = new Uint8Array(n);
  const h = nodes.map((p) => dist(p, b));
  g[0] = 0;
  // n is small (hundreds): a linear scan for the open minimum is cheaper than a heap here.
  const open = new Set<number>([0]);
  while (open.size) {
    let u = -1;
    let best = Infinity;
    for (const i of open) {
      const f = g[i]! + h[i]!;
      if (f < best) {
        best = f;
        u = i;
      }
    }
    open.delete(u);
    if (u === 1) break;
    closed[u] = 1;
    const pu = nodes[u]!;
    for (let v = 0; v < n; v++) {
      if (closed[v] || v === u) continue;
      const tentative = g[u]! + dist(pu, nodes[v]!);
      if (tentative >= g[v]! - 1e-9) continue;
      // A shortest path only bends round a corner it is tangent to: both ring neighbours of the
      // corner lie on one side of the line (a cheap test that prunes most pairs).
      if (u >= 2 && !tangent(pu, nodes[v]!, fs.neighbours[u - 2]!)) continue;
      if (v >= 2 && !tangent(nodes[v]!, pu, fs.neighbours[v - 2]!)) continue;
      if (!segmentIsFree(fs, pu, nodes[v]!)) continue;
      g[v] = tentative;
      prev[v] = u;
      open.add(v);
    }
  }
  if (prev[1] === -1) return null;
  const path: XY[] = [];
  for (let v = 1; v !== -1; v = prev[v]!) path.push(nodes[v]!);
  return path.reverse();
}
