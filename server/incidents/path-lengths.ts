/**
 * Flight path lengths between many points in one airspace, fast enough for a matrix of a thousand
 * wait points × hundreds of incidents. The free space is routeAround's (operating area shrunk by the
 * margin, minus every no-fly zone that applies at the altitude grown by the margin, circles as their
 * circumscribed 32-gons), and the length is the same shortest path routeAround finds in it: the
 * straight line when it stays in the free space, otherwise the shortest way round through the free
 * space's reflex corners. Only the search differs:
 * - all corner-to-corner lengths are computed once (Floyd–Warshall over the bitangent visibility
 *   graph), each point learns once which corners it sees, and a point that has a blocked pair gets
 *   a table of its shortest way to every corner; a blocked pair then costs a min over the corners
 *   the other end sees;
 * - segment tests are plain arithmetic over the boundary edges (rings with boxes and bounding
 *   circles, edges in chunks with boxes), not Turf;
 * - a convex zone (most are: a grown square or circle) is tested from a prepared point by its
 *   shadow: the point learns once the zone's two tangent corners, and a segment from it is blocked
 *   by the zone exactly when its far end lies strictly between the tangents and beyond the chord
 *   joining them. Three cross products instead of an edge loop.
 *
 * Coordinates are local metres ([east, north]) in the caller's LocalFrame.
 */
import { bbox, bboxPolygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { obstaclesUnion, offsetPolygon, polygonsOf, subtract, zoneApplies, type Airspace } from '../planning/airspace.ts';
import type { LocalFrame, XY } from '../planning/local-frame.ts';
import { DEFAULT_MARGIN_M } from '../planning/route-around.ts';
import { openRing, signedArea2 } from '../planning/vec.ts';

/**
 * A point prepared for length queries: where it is, which corners it sees and how far away, and
 * its view of each convex zone. A class, so every site has one shape (the hot loops stay optimised).
 */
export class Site {
  /** Per corner, the shortest way from this point to it (empty until the first blocked query from here). */
  toCorner: Float64Array = NO_TABLE;

  constructor(
    readonly x: number,
    readonly y: number,
    readonly corners: Int32Array,
    readonly cornerDistM: Float64Array,
    /**
     * Per tested ring, VIEW_SLOTS numbers: usable (1/0), left tangent corner x, y, right tangent
     * corner x, y, |left − p|, |right − p|, the side of their chord p is on, the chord's length,
     * and the two corners' indexes.
     */
    readonly views: Float64Array,
  ) {}
}

const NO_TABLE = new Float64Array(0);

export interface PathLengthOptions {
  frame: LocalFrame;
  /** Zones whose altitude band excludes this altitude do not count (routeAround's `altitudeM`). */
  altitudeM: number;
  /** Clearance from zones and the operating area's edge (default routeAround's, 10 m). */
  marginM?: number;
  /** Points the free space must reach round when there is no operating area (local metres). */
  around: XY[];
}

/** Touching within this distance counts as touching (as in free-space.ts). */
const EPS_M = 1e-5;
/** A point this close to a boundary edge is on it. */
const ON_BOUNDARY_M = 1e-6;
/** A point nearer a convex zone than this is tested against its edges, not its shadow. */
const NEAR_RING_M = 1e-3;
const CHUNK_EDGES = 8;
/** Without an operating area, the free space is a box this far (degrees) round everything. */
const BOX_PAD_DEG = 0.2;
const VIEW_SLOTS = 11;
/** Numbers per ring in ringRange. */
const RANGE = 6;

const BLOCKED = -1;
const CLEAR = 0;
const TOUCHED = 1;

export class PathLengths {
  /** False when the airspace leaves nowhere to fly (an operating area narrower than the margins). */
  readonly hasFreeSpace: boolean;
  readonly marginM: number;
  // boundary edges, all rings
  private readonly ex1: Float64Array;
  private readonly ey1: Float64Array;
  private readonly ex2: Float64Array;
  private readonly ey2: Float64Array;
  private readonly elen: Float64Array;
  private readonly chunkStart: Int32Array;
  private readonly chunkBox: Float64Array;
  // rings the segment test looks at
  private readonly ringBox: Float64Array;
  /** [x, y, r] */
  private readonly ringCircle: Float64Array;
  /** [first chunk, end chunk, first edge, end edge, first corner, end corner] */
  private readonly ringRange: Int32Array;
  /** 1 for a convex hole (a zone, or zones, with no dent): tested by its shadow. */
  private readonly ringConvex: Uint8Array;
  // reflex corners
  private readonly cornerX: Float64Array;
  private readonly cornerY: Float64Array;
  /** Each corner's neighbours on its ring: [prevX, prevY, nextX, nextY]. */
  private readonly cornerNb: Float64Array;
  /** Shortest corner-to-corner lengths (Infinity when none). */
  private readonly between: Float64Array;
  /** The corner index of each edge's first vertex (-1 when that vertex is no reflex corner). */
  private readonly cornerAtEdge: Int32Array;
  /** Where the segment tests put the touch parameters (grown when full). */
  private touchT = new Float64Array(16);
  private touchCount = 0;
  private readonly seg = new Float64Array(6);

  constructor(airspace: Airspace, options: PathLengthOptions) {
    const { frame } = options;
    this.marginM = options.marginM ?? DEFAULT_MARGIN_M;
    const zones = (airspace.noFly ?? []).filter((z) => zoneApplies(z, options.altitudeM, options.altitudeM));
    const obstacles = obstaclesUnion(zones, this.marginM);
    let base: Feature<Polygon | MultiPolygon> | null;
    if (airspace.operatingArea) {
      base = offsetPolygon(airspace.operatingArea, -this.marginM);
    } else {
      // as routeAround does: a box well round the zones and the points (its corners are never path corners)
      const b = obstacles ? bbox(obstacles) : [Infinity, Infinity, -Infinity, -Infinity];
      for (const xy of options.around) {
        const [lon, lat] = frame.toPosition(xy) as [number, number];
        b[0] = Math.min(b[0]!, lon); b[1] = Math.min(b[1]!, lat); b[2] = Math.max(b[2]!, lon); b[3] = Math.max(b[3]!, lat);
      }
      if (!Number.isFinite(b[0]!)) b.splice(0, 4, frame.origin.lon, frame.origin.lat, frame.origin.lon, frame.origin.lat);
      base = bboxPolygon([b[0]! - BOX_PAD_DEG, b[1]! - BOX_PAD_DEG, b[2]! + BOX_PAD_DEG, b[3]! + BOX_PAD_DEG]);
    }
    const free = base ? subtract(base, obstacles) : null;

    const edges: number[] = [];
    const chunkStart: number[] = [0];
    const chunkBox: number[] = [];
    const corners: number[] = [];
    const cornerAtEdge: number[] = [];
    const nb: number[] = [];
    const ringBox: number[] = [];
    const ringCircle: number[] = [];
    const ringRange: number[] = [];
    const ringConvex: number[] = [];
    const polys = polygonsOf(free);
    for (const poly of polys) {
      poly.forEach((ringPositions, ringIndex) => {
        let ring = openRing(frame.ringToXY(ringPositions));
        if (ring.length < 3) return;
        // Free space on the left: outer rings counter-clockwise, holes clockwise.
        if ((ringIndex === 0) !== signedArea2(ring) > 0) ring = [...ring].reverse();
        const n = ring.length;
        const firstChunk = chunkStart.length - 1;
        const firstEdge = edges.length / 4;
        const firstCorner = corners.length / 2;
        for (let i = 0; i < n; i += CHUNK_EDGES) {
          let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
          for (let k = i; k < Math.min(n, i + CHUNK_EDGES); k++) {
            const p = ring[k]!;
            const q = ring[(k + 1) % n]!;
            edges.push(p[0], p[1], q[0], q[1]);
            minX = Math.min(minX, p[0], q[0]); maxX = Math.max(maxX, p[0], q[0]);
            minY = Math.min(minY, p[1], q[1]); maxY = Math.max(maxY, p[1], q[1]);
          }
          chunkBox.push(minX, minY, maxX, maxY);
          chunkStart.push(edges.length / 4);
        }
        let leftTurns = 0;
        let rightTurns = 0;
        for (let i = 0; i < n; i++) {
          const prev = ring[(i + n - 1) % n]!;
          const cur = ring[i]!;
          const next = ring[(i + 1) % n]!;
          const turn = crossXY(prev[0], prev[1], cur[0], cur[1], next[0], next[1]);
          // a right turn with free space on the left: a reflex corner of the free space, where paths bend
          cornerAtEdge.push(turn < -1e-9 ? corners.length / 2 : -1);
          if (turn < -1e-9) {
            rightTurns++;
            corners.push(cur[0], cur[1]);
            nb.push(prev[0], prev[1], next[0], next[1]);
          } else if (turn > 1e-9) {
            leftTurns++;
          }
        }
        // The outer ring of the only free polygon, when convex (no reflex corner), cannot come
        // between two free points: the segment test skips it.
        if (polys.length === 1 && ringIndex === 0 && rightTurns === 0) return;
        const xs = ring.map((p) => p[0]);
        const ys = ring.map((p) => p[1]);
        const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const;
        ringBox.push(...box);
        const cx = (box[0] + box[2]) / 2;
        const cy = (box[1] + box[3]) / 2;
        ringCircle.push(cx, cy, Math.max(...ring.map((p) => Math.sqrt((p[0] - cx) ** 2 + (p[1] - cy) ** 2))) + EPS_M);
        ringRange.push(firstChunk, chunkStart.length - 1, firstEdge, edges.length / 4, firstCorner, corners.length / 2);
        ringConvex.push(ringIndex > 0 && leftTurns === 0 ? 1 : 0);
      });
    }
    const e = edges.length / 4;
    this.hasFreeSpace = e > 0;
    this.ex1 = new Float64Array(e);
    this.ey1 = new Float64Array(e);
    this.ex2 = new Float64Array(e);
    this.ey2 = new Float64Array(e);
    this.elen = new Float64Array(e);
    for (let i = 0; i < e; i++) {
      this.ex1[i] = edges[4 * i]!;
      this.ey1[i] = edges[4 * i + 1]!;
      this.ex2[i] = edges[4 * i + 2]!;
      this.ey2[i] = edges[4 * i + 3]!;
      this.elen[i] = Math.sqrt((this.ex2[i]! - this.ex1[i]!) ** 2 + (this.ey2[i]! - this.ey1[i]!) ** 2);
    }
    this.chunkStart = Int32Array.from(chunkStart);
    this.chunkBox = Float64Array.from(chunkBox);
    this.ringBox = Float64Array.from(ringBox);
    this.ringCircle = Float64Array.from(ringCircle);
    this.ringRange = Int32Array.from(ringRange);
    this.ringConvex = Uint8Array.from(ringConvex);
    const c = corners.length / 2;
    this.cornerX = new Float64Array(c);
    this.cornerY = new Float64Array(c);
    for (let i = 0; i < c; i++) {
      this.cornerX[i] = corners[2 * i]!;
      this.cornerY[i] = corners[2 * i + 1]!;
    }
    this.cornerNb = Float64Array.from(nb);
    this.cornerAtEdge = Int32Array.from(cornerAtEdge);
    this.between = this.cornerLengths();
  }

  /** In the free space or on its edge. */
  isFree(p: XY): boolean {
    return this.hasFreeSpace && this.insideOrOn(p[0], p[1]);
  }

  /** The point itself when free, else the nearest point of the free space's edge (null: no free space). */
  nearestFree(p: XY): XY | null {
    if (!this.hasFreeSpace) return null;
    if (this.insideOrOn(p[0], p[1])) return p;
    let best = Infinity;
    let bx = 0, by = 0;
    for (let i = 0; i < this.ex1.length; i++) {
      const ax = this.ex1[i]!, ay = this.ey1[i]!;
      const dx = this.ex2[i]! - ax, dy = this.ey2[i]! - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - ax) * dx + (p[1] - ay) * dy) / len2));
      const qx = ax + t * dx, qy = ay + t * dy;
      const d = Math.sqrt((p[0] - qx) ** 2 + (p[1] - qy) ** 2);
      if (d < best) {
        best = d;
        bx = qx;
        by = qy;
      }
    }
    return [bx, by];
  }

  /** Prepare a free point for length queries. */
  site(p: XY): Site {
    const [px, py] = p;
    const views = this.viewsFrom(px, py);
    const corners: number[] = [];
    const dists: number[] = [];
    const consider = (i: number) => {
      if (i < 0) return;
      const cx = this.cornerX[i]!, cy = this.cornerY[i]!;
      const d = Math.sqrt((cx - px) ** 2 + (cy - py) ** 2);
      if (d > EPS_M && (!this.tangent(i, px, py) || !this.segmentFree(px, py, cx, cy))) return;
      corners.push(i);
      dists.push(d);
    };
    // Lines from the point touch a convex zone seen from outside only at its two tangent corners;
    // the corners of the other rings (and of a zone whose tangent vertex is a straight-on vertex,
    // not a corner) are tried one by one. Every corner is on a tested ring: a ring the segment
    // test skips is convex, so it has none.
    for (let r = 0, rings = this.ringConvex.length; r < rings; r++) {
      const o = r * VIEW_SLOTS;
      if (views[o] === 1 && views[o + 9]! >= 0 && views[o + 10]! >= 0) {
        consider(views[o + 9]!);
        if (views[o + 10] !== views[o + 9]) consider(views[o + 10]!);
        continue;
      }
      for (let i = this.ringRange[RANGE * r + 4]!, end = this.ringRange[RANGE * r + 5]!; i < end; i++) consider(i);
    }
    return new Site(px, py, Int32Array.from(corners), Float64Array.from(dists), views);
  }

  /** Length of the shortest flight path between two sites (Infinity when there is none). */
  lengthM(a: Site, b: Site): number {
    const out = new Float64Array(1);
    this.lengthsFrom(a, [b], out);
    return out[0]!;
  }

  /**
   * lengthM from one site to each of many, written to out[offset + j] (a matrix row in one call:
   * no number is boxed on the way).
   */
  lengthsFrom(a: Site, to: readonly Site[], out: Float64Array, offset = 0): void {
    for (let j = 0; j < to.length; j++) {
      const b = to[j]!;
      if (this.pairFree(a, b)) {
        out[offset + j] = Math.sqrt((b.x - a.x) ** 2 + (b.y - a.y) ** 2);
        continue;
      }
      if (a.toCorner === NO_TABLE) a.toCorner = this.cornerTable(a);
      const toCorner = a.toCorner;
      let best = Infinity;
      for (let i = 0; i < b.corners.length; i++) {
        const total = toCorner[b.corners[i]!]! + b.cornerDistM[i]!;
        if (total < best) best = total;
      }
      out[offset + j] = best;
    }
  }

  /** The shortest way from a site to every corner: straight to a corner it sees, then corner to corner. */
  private cornerTable(a: Site): Float64Array {
    const c = this.cornerX.length;
    const table = new Float64Array(c).fill(Infinity);
    for (let i = 0; i < a.corners.length; i++) {
      const row = a.corners[i]! * c;
      const da = a.cornerDistM[i]!;
      for (let j = 0; j < c; j++) {
        const via = da + this.between[row + j]!;
        if (via < table[j]!) table[j] = via;
      }
    }
    return table;
  }

  /** segmentFree between two sites, using their views of the convex zones. */
  private pairFree(a: Site, b: Site): boolean {
    const minX = Math.min(a.x, b.x) - EPS_M, maxX = Math.max(a.x, b.x) + EPS_M;
    const minY = Math.min(a.y, b.y) - EPS_M, maxY = Math.max(a.y, b.y) + EPS_M;
    // the segment goes to `seg` only when a ring needs its edges tested
    let segmentSet = false;
    let touched = false;
    for (let r = 0, rings = this.ringConvex.length; r < rings; r++) {
      if (this.ringBox[4 * r + 2]! < minX || this.ringBox[4 * r]! > maxX || this.ringBox[4 * r + 3]! < minY || this.ringBox[4 * r + 1]! > maxY) continue;
      if (this.ringConvex[r]) {
        if (a.views[r * VIEW_SLOTS] === 1) {
          if (inShadow(a, r * VIEW_SLOTS, b)) return false;
          continue;
        }
        if (b.views[r * VIEW_SLOTS] === 1) {
          if (inShadow(b, r * VIEW_SLOTS, a)) return false;
          continue;
        }
      }
      if (!segmentSet) {
        if (!this.setSegment(a.x, a.y, b.x, b.y)) return true;
        segmentSet = true;
      }
      const found = this.ringTouches(r);
      if (found === BLOCKED) return false;
      if (found === TOUCHED) touched = true;
    }
    return !touched || this.piecesInside(this.seg);
  }

  /**
   * True when the segment stays in the free space (running along or touching its edge is allowed).
   * A crossing through the inside of a boundary edge leaves the free space at once; otherwise, when
   * the segment only touches the boundary (at a vertex, along an edge, at its own ends), every piece
   * between the touches must have its midpoint inside; no touch at all means free.
   */
  segmentFree(ax: number, ay: number, bx: number, by: number): boolean {
    if (!this.setSegment(ax, ay, bx, by)) return true;
    const minX = Math.min(ax, bx) - EPS_M, maxX = Math.max(ax, bx) + EPS_M;
    const minY = Math.min(ay, by) - EPS_M, maxY = Math.max(ay, by) + EPS_M;
    let touched = false;
    for (let r = 0, rings = this.ringConvex.length; r < rings; r++) {
      if (this.ringBox[4 * r + 2]! < minX || this.ringBox[4 * r]! > maxX || this.ringBox[4 * r + 3]! < minY || this.ringBox[4 * r + 1]! > maxY) continue;
      const found = this.ringTouches(r);
      if (found === BLOCKED) return false;
      if (found === TOUCHED) touched = true;
    }
    return !touched || this.piecesInside(this.seg);
  }

  /**
   * The segment under test goes to `seg` (a typed array, so the hot loops pass no loose numbers,
   * which V8 would box): [ax, ay, dx, dy, length, length²]. False for a segment of no length.
   */
  private setSegment(ax: number, ay: number, bx: number, by: number): boolean {
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    if (len2 < EPS_M * EPS_M) return false;
    const seg = this.seg;
    seg[0] = ax; seg[1] = ay; seg[2] = dx; seg[3] = dy; seg[4] = Math.sqrt(len2); seg[5] = len2;
    this.touchCount = 0;
    return true;
  }

  /**
   * The segment in `seg` against one ring's edges: BLOCKED when it crosses the inside of an edge,
   * TOUCHED (the touch parameters strictly inside the segment are recorded) when it meets the ring
   * otherwise, CLEAR when it misses it.
   */
  private ringTouches(r: number): number {
    const seg = this.seg;
    const ax = seg[0]!, ay = seg[1]!, dx = seg[2]!, dy = seg[3]!, len = seg[4]!, len2 = seg[5]!;
    // the segment's closest approach to the ring's bounding circle
    const ox = this.ringCircle[3 * r]! - ax, oy = this.ringCircle[3 * r + 1]! - ay, radius = this.ringCircle[3 * r + 2]!;
    const along = Math.max(0, Math.min(1, (ox * dx + oy * dy) / len2));
    const gx = ox - along * dx, gy = oy - along * dy;
    if (gx * gx + gy * gy > radius * radius) return CLEAR;
    const minX = Math.min(ax, ax + dx) - EPS_M, maxX = Math.max(ax, ax + dx) + EPS_M;
    const minY = Math.min(ay, ay + dy) - EPS_M, maxY = Math.max(ay, ay + dy) + EPS_M;
    const tEps = EPS_M / len;
    const { ex1, ey1, ex2, ey2, elen, chunkBox: box } = this;
    let result = CLEAR;
    for (let c = this.ringRange[RANGE * r]!, lastChunk = this.ringRange[RANGE * r + 1]!; c < lastChunk; c++) {
      if (box[4 * c + 2]! < minX || box[4 * c]! > maxX || box[4 * c + 3]! < minY || box[4 * c + 1]! > maxY) continue;
      for (let e = this.chunkStart[c]!, end = this.chunkStart[c + 1]!; e < end; e++) {
        const px = ex1[e]!, py = ey1[e]!;
        const fx = ex2[e]! - px, fy = ey2[e]! - py;
        const wx = px - ax, wy = py - ay;
        const el = elen[e]!;
        const denom = dx * fy - dy * fx;
        if (Math.abs(denom) <= 1e-12 * len * el) {
          // parallel: touches only when collinear and overlapping
          if (Math.abs(wx * dy - wy * dx) > EPS_M * len) continue;
          const tp = (wx * dx + wy * dy) / len2;
          const tq = ((px + fx - ax) * dx + (py + fy - ay) * dy) / len2;
          if (Math.max(tp, tq) < -tEps || Math.min(tp, tq) > 1 + tEps) continue;
          result = TOUCHED;
          if (tp > tEps && tp < 1 - tEps) this.recordTouch(tp);
          if (tq > tEps && tq < 1 - tEps) this.recordTouch(tq);
          continue;
        }
        const t = (wx * fy - wy * fx) / denom;
        if (t < -tEps || t > 1 + tEps) continue;
        const u = (wx * dy - wy * dx) / denom;
        const uEps = EPS_M / (el || 1);
        if (u < -uEps || u > 1 + uEps) continue;
        const insideSegment = t > tEps && t < 1 - tEps;
        // through the inside of both: one side of a boundary edge is not free space
        if (insideSegment && u > uEps && u < 1 - uEps) return BLOCKED;
        result = TOUCHED;
        if (insideSegment) this.recordTouch(t);
      }
    }
    return result;
  }

  private recordTouch(t: number): void {
    if (this.touchCount === this.touchT.length) {
      const grown = new Float64Array(this.touchT.length * 2);
      grown.set(this.touchT);
      this.touchT = grown;
    }
    this.touchT[this.touchCount++] = t;
  }

  /** Every piece of the segment in `seg` between the recorded touches has its midpoint in the free space. */
  private piecesInside(seg: Float64Array): boolean {
    const ax = seg[0]!, ay = seg[1]!, dx = seg[2]!, dy = seg[3]!, len = seg[4]!;
    const ts = this.touchT;
    const count = this.touchCount;
    // a handful of values: insertion sort in place
    for (let i = 1; i < count; i++) {
      const v = ts[i]!;
      let j = i - 1;
      for (; j >= 0 && ts[j]! > v; j--) ts[j + 1] = ts[j]!;
      ts[j + 1] = v;
    }
    let prev = 0;
    for (let i = 0; i <= count; i++) {
      const t = i < count ? ts[i]! : 1;
      if ((t - prev) * len >= EPS_M) {
        const mid = (t + prev) / 2;
        if (!this.insideOrOn(ax + dx * mid, ay + dy * mid)) return false;
      }
      prev = t;
    }
    return true;
  }

  /**
   * How a point sees each convex zone: its two tangent corners (the left- and rightmost corners as
   * seen from the point) and the side of their chord the point is on. Not usable (0) when the point
   * is on or right by the zone's edge, where the edge test decides.
   */
  private viewsFrom(px: number, py: number): Float64Array {
    const rings = this.ringConvex.length;
    const views = new Float64Array(rings * VIEW_SLOTS);
    for (let r = 0; r < rings; r++) {
      if (!this.ringConvex[r]) continue;
      const first = this.ringRange[RANGE * r + 2]!, end = this.ringRange[RANGE * r + 3]!;
      const fromCentreM = Math.sqrt((px - this.ringCircle[3 * r]!) ** 2 + (py - this.ringCircle[3 * r + 1]!) ** 2);
      if (fromCentreM <= this.ringCircle[3 * r + 2]! + NEAR_RING_M) {
        let near = Infinity;
        for (let e = first; e < end; e++) near = Math.min(near, pointSegmentM(px, py, this.ex1[e]!, this.ey1[e]!, this.ex2[e]!, this.ey2[e]!));
        if (near < NEAR_RING_M) continue;
      }
      let lx = this.ex1[first]!, ly = this.ey1[first]!, rx = lx, ry = ly;
      let le = first, re = first;
      for (let e = first + 1; e < end; e++) {
        const wx = this.ex1[e]!, wy = this.ey1[e]!;
        if (crossAt(px, py, lx, ly, wx, wy) > 0) { lx = wx; ly = wy; le = e; }
        if (crossAt(px, py, rx, ry, wx, wy) < 0) { rx = wx; ry = wy; re = e; }
      }
      const chordLen = Math.sqrt((lx - rx) ** 2 + (ly - ry) ** 2);
      if (chordLen < EPS_M) continue;
      const side = Math.sign((lx - rx) * (py - ry) - (ly - ry) * (px - rx));
      const o = r * VIEW_SLOTS;
      views[o] = 1;
      views[o + 1] = lx; views[o + 2] = ly; views[o + 3] = rx; views[o + 4] = ry;
      views[o + 5] = Math.sqrt((lx - px) ** 2 + (ly - py) ** 2);
      views[o + 6] = Math.sqrt((rx - px) ** 2 + (ry - py) ** 2);
      views[o + 7] = side;
      views[o + 8] = chordLen;
      views[o + 9] = this.cornerAtEdge[le]!;
      views[o + 10] = this.cornerAtEdge[re]!;
    }
    return views;
  }

  private insideOrOn(x: number, y: number): boolean {
    const { ex1, ey1, ex2, ey2 } = this;
    let inside = false;
    for (let i = 0; i < ex1.length; i++) {
      const py = ey1[i]!, qy = ey2[i]!;
      if (py > y !== qy > y) {
        const px = ex1[i]!;
        if (x < px + ((y - py) * (ex2[i]! - px)) / (qy - py)) inside = !inside;
      }
    }
    if (inside) return true;
    for (let i = 0; i < ex1.length; i++) {
      if (pointSegmentM(x, y, ex1[i]!, ey1[i]!, ex2[i]!, ey2[i]!) <= ON_BOUNDARY_M) return true;
    }
    return false;
  }

  /**
   * Is the line from (fx, fy) through corner i tangent to the corner (both ring neighbours on one
   * side)? A shortest path bends only round corners it is tangent to (as in free-space.ts).
   */
  private tangent(i: number, fx: number, fy: number): boolean {
    const cx = this.cornerX[i]!, cy = this.cornerY[i]!;
    const px = this.cornerNb[4 * i]!, py = this.cornerNb[4 * i + 1]!, qx = this.cornerNb[4 * i + 2]!, qy = this.cornerNb[4 * i + 3]!;
    const d = Math.sqrt((cx - fx) ** 2 + (cy - fy) ** 2);
    const sp = crossXY(fx, fy, cx, cy, px, py) / (d * Math.sqrt((px - cx) ** 2 + (py - cy) ** 2) || 1);
    const sq = crossXY(fx, fy, cx, cy, qx, qy) / (d * Math.sqrt((qx - cx) ** 2 + (qy - cy) ** 2) || 1);
    return !(sp > 1e-7 && sq < -1e-7) && !(sp < -1e-7 && sq > 1e-7);
  }

  /** All-pairs shortest lengths over the bitangent visibility graph of the corners. */
  private cornerLengths(): Float64Array {
    const c = this.cornerX.length;
    const g = new Float64Array(c * c).fill(Infinity);
    for (let i = 0; i < c; i++) {
      g[i * c + i] = 0;
      const ix = this.cornerX[i]!, iy = this.cornerY[i]!;
      for (let j = i + 1; j < c; j++) {
        const jx = this.cornerX[j]!, jy = this.cornerY[j]!;
        if (!this.tangent(i, jx, jy) || !this.tangent(j, ix, iy) || !this.segmentFree(ix, iy, jx, jy)) continue;
        g[i * c + j] = g[j * c + i] = Math.sqrt((jx - ix) ** 2 + (jy - iy) ** 2);
      }
    }
    for (let k = 0; k < c; k++) {
      const rowK = k * c;
      for (let i = 0; i < c; i++) {
        const ik = g[i * c + k]!;
        if (ik === Infinity) continue;
        const rowI = i * c;
        for (let j = 0; j < c; j++) {
          const via = ik + g[rowK + j]!;
          if (via < g[rowI + j]!) g[rowI + j] = via;
        }
      }
    }
    return g;
  }
}

/**
 * Is the target hidden from the viewer by the convex zone whose view starts at viewer.views[o]:
 * strictly between the two tangents (by more than EPS_M) and strictly beyond the chord joining
 * the tangent corners? The chord lies inside the zone, and the way from the viewer to anything
 * beyond it between the tangents crosses the zone's near side first; anything short of it is in
 * front of the zone.
 */
function inShadow(viewer: Site, o: number, target: Site): boolean {
  const views = viewer.views;
  const px = viewer.x, py = viewer.y, qx = target.x, qy = target.y;
  const dx = qx - px, dy = qy - py;
  const lx = views[o + 1]!, ly = views[o + 2]!, rx = views[o + 3]!, ry = views[o + 4]!;
  // left of the ray to the right tangent corner, right of the ray to the left one
  if ((rx - px) * dy - (ry - py) * dx <= EPS_M * views[o + 6]!) return false;
  if (dx * (ly - py) - dy * (lx - px) <= EPS_M * views[o + 5]!) return false;
  const sq = (lx - rx) * (qy - ry) - (ly - ry) * (qx - rx);
  return sq * views[o + 7]! < 0 && Math.abs(sq) > EPS_M * views[o + 8]!;
}

function crossXY(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - by) - (by - ay) * (cx - bx);
}

/** (a − p) × (b − p): positive when b is counter-clockwise of a as seen from p. */
function crossAt(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  return (ax - px) * (by - py) - (ay - py) * (bx - px);
}

function pointSegmentM(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
  const ox = x - (ax + t * dx), oy = y - (ay + t * dy);
  return Math.sqrt(ox * ox + oy * oy);
}
