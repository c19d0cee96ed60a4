/** Parking zones and vehicle observations (CONTRACT.md "Workflows"). */
import { Type, type Static } from '@sinclair/typebox';
import { PolygonGeometry } from './geofence.ts';
import { SegmentCount } from './road.ts';

export const ZoneKind = Type.Union([Type.Literal('temporary-stop'), Type.Literal('no-parking'), Type.Literal('fire-lane')]);

export const ZoneBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: ZoneKind,
  geometry: PolygonGeometry,
  maxDwellS: Type.Number({ minimum: 0, maximum: 86_400, description: 'a vehicle seen inside longer than this overstays' }),
}, { additionalProperties: false });
export type ZoneBody = Static<typeof ZoneBody>;

export const Zone = Type.Intersect([Type.Object({ id: Type.String(), createdAt: Type.String() }), ZoneBody]);
export type Zone = Static<typeof Zone>;

export const Observation = Type.Object({
  trackId: Type.String({ minLength: 1, maxLength: 64, description: 'the analytics track id, or a plate' }),
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lon: Type.Number({ minimum: -180, maximum: 180 }),
  at: Type.String({ format: 'date-time' }),
  source: Type.String({ minLength: 1, maxLength: 64, description: 'camera or drone that saw it' }),
  plate: Type.Optional(Type.String({ maxLength: 16 })),
  speedMps: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  headingDeg: Type.Optional(Type.Number({ minimum: 0, maximum: 360 })),
  confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
}, { additionalProperties: false });
export type Observation = Static<typeof Observation>;

/**
 * One batch from video analytics. Sightings feed the parking loop and (those with a speed) traffic
 * monitoring; `segmentCounts` (an addition) feed traffic monitoring only. A batch carries at least
 * one sighting or count (checked by the route); `observations` may be left out of a batch of counts.
 */
export const ObservationBatch = Type.Object({
  observations: Type.Optional(Type.Array(Observation, { maxItems: 5000, description: 'vehicle sightings; with speedMps (and headingDeg) they are also placed on the nearest road segment' })),
  segmentCounts: Type.Optional(Type.Array(SegmentCount, { maxItems: 5000, description: 'vehicles counted on whole road segments (counting cameras, loops)' })),
}, { additionalProperties: false });
export type ObservationBatch = Static<typeof ObservationBatch>;
