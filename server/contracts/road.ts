/**
 * Road segments and their traffic levels (CONTRACT.md "Workflows": `POST /api/roads` ·
 * `GET /api/traffic`); fields beyond the contract's are additions. See docs/traffic.md.
 */
import { Type, type Static } from '@sinclair/typebox';

const Position = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })], { description: '[lon, lat]' });

export const RoadGeometry = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(Position, { minItems: 2, maxItems: 500, description: 'the centre line, in the road\'s forward direction' }),
}, { additionalProperties: false, description: 'GeoJSON LineString' });

const DIRECTION_TEXT = 'which way traffic flows: along the LineString (forward), against it (backward), or both ways';
const directions = () => [Type.Literal('both'), Type.Literal('forward'), Type.Literal('backward')];
export const RoadDirection = Type.Union(directions(), { description: DIRECTION_TEXT });
export type RoadDirection = Static<typeof RoadDirection>;

export const TrafficLevel = Type.Union([Type.Literal('free'), Type.Literal('slow'), Type.Literal('congested'), Type.Literal('jammed')]);
export type TrafficLevel = Static<typeof TrafficLevel>;

export const RoadBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  geometry: RoadGeometry,
  direction: Type.Optional(Type.Union(directions(), { description: DIRECTION_TEXT, default: 'both' })),
  freeFlowMps: Type.Number({ exclusiveMinimum: 0, maximum: 70, description: 'the speed traffic moves at when the road is free (m/s; 13.9 = 50 km/h)' }),
  lanes: Type.Optional(Type.Integer({ minimum: 1, maximum: 12, description: 'lanes the segment carries, both directions counted (default: 2 when direction is both, else 1); density is per lane' })),
}, { additionalProperties: false });
export type RoadBody = Static<typeof RoadBody>;

/** What the store keeps: the body with its direction filled in. */
export interface RoadInput {
  name: string;
  geometry: { type: 'LineString'; coordinates: Array<[number, number]> };
  direction: RoadDirection;
  freeFlowMps: number;
  lanes?: number;
}

export const Road = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  name: Type.String(),
  geometry: RoadGeometry,
  direction: RoadDirection,
  freeFlowMps: Type.Number(),
  lanes: Type.Optional(Type.Integer()),
});
export type Road = Static<typeof Road>;

/** Per-segment counts from a counting camera or loop (an addition to the observation batch). */
export const SegmentCount = Type.Object({
  roadId: Type.String({ minLength: 1, maxLength: 64 }),
  at: Type.String({ format: 'date-time' }),
  vehicles: Type.Integer({ minimum: 0, maximum: 100_000, description: 'vehicles on the whole segment at `at`' }),
  meanSpeedMps: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'their mean speed' })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, { additionalProperties: false });
export type SegmentCount = Static<typeof SegmentCount>;

export const TrafficSegment = Type.Object({
  id: Type.String({ description: 'the road id' }),
  level: TrafficLevel,
  speedMps: Type.Union([Type.Number(), Type.Null()], { description: 'mean speed over the window; null when nothing was seen in it' }),
  at: Type.String({ format: 'date-time', description: 'when the level was last evaluated' }),
  name: Type.String(),
  freeFlowMps: Type.Number(),
  speedRatio: Type.Union([Type.Number(), Type.Null()], { description: 'speedMps / freeFlowMps' }),
  densityPerKm: Type.Union([Type.Number(), Type.Null()], { description: 'vehicles per km per lane (a lower bound from per-vehicle sightings; exact from segment counts)' }),
  samples: Type.Integer({ description: 'observations in the window' }),
  observed: Type.Boolean({ description: 'false when nothing was seen on the segment within the window' }),
  since: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the current level was adopted; null: never changed since start' }),
  pending: Type.Union([Type.Object({ level: TrafficLevel, since: Type.String({ format: 'date-time' }) }), Type.Null()], { description: 'a level waiting out its dwell' }),
});
export type TrafficSegment = Static<typeof TrafficSegment>;

export const TrafficEvent = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  roadId: Type.String(),
  level: TrafficLevel,
  previous: TrafficLevel,
  speedMps: Type.Union([Type.Number(), Type.Null()]),
  densityPerKm: Type.Union([Type.Number(), Type.Null()]),
  reason: Type.String({ description: '"observed" or "no-data" (nothing seen for the window: back to free)' }),
});
