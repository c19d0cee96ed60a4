/** Geofences (CONTRACT.md "Planning and airspace"): an operating area and no-fly zones, GeoJSON in and out. */
import { Type, type Static } from '@sinclair/typebox';

const Position = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })], { description: '[lon, lat]' });

export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(Position, { minItems: 4, maxItems: 2000 }), { minItems: 1, maxItems: 100, description: 'outer ring first, closed (first = last position)' }),
}, { additionalProperties: false });

export const GeofenceKind = Type.Union([Type.Literal('operating-area'), Type.Literal('no-fly')]);

export const GeofenceBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: GeofenceKind,
  geometry: Type.Optional(PolygonGeometry),
  circle: Type.Optional(Type.Object({
    center: Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) }),
    radiusM: Type.Number({ exclusiveMinimum: 0, maximum: 50_000 }),
  }, { additionalProperties: false, description: 'a circular zone instead of a polygon (e.g. around an airport)' })),
  floorM: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: 'metres above take-off' })),
  ceilingM: Type.Optional(Type.Number({ minimum: 1, maximum: 1000, description: 'metres above take-off; default 120 for an operating area' })),
}, { additionalProperties: false });

export type GeofenceBody = Static<typeof GeofenceBody>;

export const Geofence = Type.Intersect([Type.Object({ id: Type.String(), createdAt: Type.String() }), GeofenceBody]);
export type Geofence = Static<typeof Geofence>;
