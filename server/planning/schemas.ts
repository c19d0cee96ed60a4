/**
 * TypeBox schemas of the plan requests (CONTRACT.md "Planning and airspace"; extra options are
 * additions) and of the Plan answer. The request types are `Static` of these, so the schema is the type.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DiscriminatedUnion } from '../contracts/common.ts';
import { MissionItem } from '../contracts/mission.ts';

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[lon, lat] (GeoJSON)' });

export const PolygonGeometry = Type.Object({
  type: Type.Literal('Polygon'),
  coordinates: Type.Array(Type.Array(Position, { minItems: 4 }), { minItems: 1, description: 'outer ring, then holes' }),
}, { description: 'GeoJSON Polygon' });

export const MultiPolygonGeometry = Type.Object({
  type: Type.Literal('MultiPolygon'),
  coordinates: Type.Array(Type.Array(Type.Array(Position, { minItems: 4 }), { minItems: 1 }), { minItems: 1 }),
}, { description: 'GeoJSON MultiPolygon' });

export const LineStringGeometry = Type.Object({
  type: Type.Literal('LineString'),
  coordinates: Type.Array(Position, { minItems: 2 }),
}, { description: 'GeoJSON LineString' });

export const LatLonSchema = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
});

export const CameraSchema = Type.Object({
  hfovDeg: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 180, description: 'horizontal field of view across the track' }),
  sideOverlap: Type.Number({ minimum: 0, exclusiveMaximum: 1 }),
});

export const AirframeSchema = Type.Object({
  cruiseMps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 50 })),
  enduranceS: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'flight time on one battery at cruise' })),
  swapS: Type.Optional(Type.Number({ minimum: 0, description: 'battery swap or charge time at the base' })),
  climbMps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  descentMps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  accelMps2: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});

const AltitudeM = Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'metres above take-off' });
const SpeedMps = Type.Number({ exclusiveMinimum: 0, maximum: 50 });

/** Options every route plan takes (additions to the contract). */
const Common = {
  speedMps: Type.Optional(SpeedMps),
  base: Type.Optional(Type.Object(LatLonSchema.properties, { description: 'take-off and landing point: transits to and from it are planned (round no-fly zones) and counted' })),
  airframe: Type.Optional(AirframeSchema),
  reservePct: Type.Optional(Type.Number({ minimum: 0, maximum: 90, description: 'battery kept in reserve (default 25)' })),
  onTooLong: Type.Optional(Type.Union([Type.Literal('split'), Type.Literal('refuse')], { description: 'a plan that needs more than one battery: split into sorties (default) or refuse' })),
};

export const CoverageRequest = Type.Object({
  kind: Type.Literal('coverage'),
  area: Type.Union([PolygonGeometry, MultiPolygonGeometry]),
  altitudeM: AltitudeM,
  spacingM: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  camera: Type.Optional(CameraSchema),
  angleDeg: Type.Optional(Type.Number({ description: 'sweep direction, degrees clockwise from north; chosen to minimise flight time when absent' })),
  insetM: Type.Optional(Type.Number({ minimum: 0, description: 'keep this far inside the area and outside its holes (default 0)' })),
  boundaryPass: Type.Optional(Type.Boolean({ description: 'fly once round the edges (default true)' })),
  drones: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'split the area into this many parts of equal area, one per drone: each part is a sortie of the plan (assign gives one per drone)' })),
  ...Common,
}, { additionalProperties: false });

export const PerimeterRequest = Type.Object({
  kind: Type.Literal('perimeter'),
  area: PolygonGeometry,
  offsetM: Type.Number({ description: 'negative inside the boundary, positive outside' }),
  altitudeM: AltitudeM,
  loops: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  ...Common,
}, { additionalProperties: false });

export const CorridorRequest = Type.Object({
  kind: Type.Literal('corridor'),
  path: LineStringGeometry,
  altitudeM: AltitudeM,
  offsetM: Type.Optional(Type.Number({ description: 'positive: right of the direction of travel' })),
  loop: Type.Optional(Type.Boolean({ description: 'out on the offset side, back on the other (default: there and back)' })),
  loops: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  ...Common,
}, { additionalProperties: false });

export const TourRequest = Type.Object({
  kind: Type.Literal('tour'),
  points: Type.Array(LatLonSchema, { minItems: 1, maxItems: 500 }),
  altitudeM: AltitudeM,
  hoverS: Type.Optional(Type.Number({ minimum: 0 })),
  ...Common,
}, { additionalProperties: false });

export const OverwatchRequest = Type.Object({
  kind: Type.Literal('overwatch'),
  venue: PolygonGeometry,
  pois: Type.Array(Type.Object({
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
    priority: Type.Optional(Type.Number({ minimum: 0 })),
  }), { minItems: 1, maxItems: 2000 }),
  window: Type.Object({ start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) }),
  bases: Type.Array(LatLonSchema, { minItems: 1 }),
  airframe: Type.Object({
    cruiseMps: Type.Number({ exclusiveMinimum: 0, maximum: 50 }),
    enduranceS: Type.Number({ exclusiveMinimum: 0 }),
    swapS: Type.Number({ minimum: 0 }),
    climbMps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    descentMps: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  }),
  altitudeM: AltitudeM,
  camera: Type.Optional(CameraSchema),
  handoverMarginS: Type.Optional(Type.Number({ minimum: 0, description: 'the relief is on station this long before the incumbent leaves (default 60)' })),
  reservePct: Type.Optional(Type.Number({ minimum: 0, maximum: 90 })),
}, { additionalProperties: false });

export const PlanRequest = DiscriminatedUnion('kind', [CoverageRequest, PerimeterRequest, CorridorRequest, TourRequest, OverwatchRequest], {
  description: 'one plan request; `kind` says which',
});

/** The same as a plain TypeBox union, for TypeBox's own Value.Check (which does not know `discriminator`). */
export const PlanRequestUnion = Type.Union([CoverageRequest, PerimeterRequest, CorridorRequest, TourRequest, OverwatchRequest]);

export type CoverageRequest = Static<typeof CoverageRequest>;
export type PerimeterRequest = Static<typeof PerimeterRequest>;
export type CorridorRequest = Static<typeof CorridorRequest>;
export type TourRequest = Static<typeof TourRequest>;
export type OverwatchRequest = Static<typeof OverwatchRequest>;
export type PlanRequest = CoverageRequest | PerimeterRequest | CorridorRequest | TourRequest | OverwatchRequest;

const SortieSchema = Type.Object({
  route: LineStringGeometry,
  missionItems: Type.Array(MissionItem),
  lengthM: Type.Number(),
  durationS: Type.Number(),
  batteryPct: Type.Number(),
});

/** The Plan answer (CONTRACT.md), with the additions each kind brings. */
export const PlanSchema = Type.Object({
  id: Type.Optional(Type.String()),
  kind: Type.Union([Type.Literal('coverage'), Type.Literal('perimeter'), Type.Literal('corridor'), Type.Literal('tour'), Type.Literal('overwatch')]),
  route: Type.Union([LineStringGeometry, Type.Null()]),
  missionItems: Type.Array(MissionItem),
  lengthM: Type.Number(),
  durationS: Type.Number(),
  batteryPct: Type.Number(),
  warnings: Type.Array(Type.String()),
  sorties: Type.Optional(Type.Array(SortieSchema)),
  stations: Type.Optional(Type.Array(Type.Object({
    id: Type.String(), lat: Type.Number(), lon: Type.Number(), altitudeM: Type.Number(), radiusM: Type.Number(), covers: Type.Array(Type.Integer()),
  }, { additionalProperties: true }))),
  fleetSize: Type.Optional(Type.Integer()),
  fleetBound: Type.Optional(Type.Integer()),
  schedule: Type.Optional(Type.Array(Type.Object({
    drone: Type.Integer(), stationId: Type.String(), from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }),
  }, { additionalProperties: true }))),
}, { additionalProperties: true });
