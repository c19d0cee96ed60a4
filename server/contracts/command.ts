/** Commands of POST /api/drones/:id/commands (CONTRACT.md). */
import { Type, type Static } from '@sinclair/typebox';
import { DiscriminatedUnion } from './common.ts';

const Lat = Type.Number({ minimum: -90, maximum: 90, description: 'degrees' });
const Lon = Type.Number({ minimum: -180, maximum: 180, description: 'degrees' });
const AltitudeM = Type.Number({ minimum: 1, maximum: 500, description: 'metres above home' });

export const DroneCommand = DiscriminatedUnion('type', [
  Type.Object({ type: Type.Literal('arm') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('disarm') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('takeoff'), altitudeM: AltitudeM }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('goto'), lat: Lat, lon: Lon, altitudeM: AltitudeM }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('hold') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('land') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('rtl') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('mode'), mode: Type.String({ minLength: 1, maxLength: 32, examples: ['LOITER'] }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('speed'), speedMps: Type.Number({ exclusiveMinimum: 0, maximum: 30 }) }, { additionalProperties: false }),
], { description: 'one command' });

export type DroneCommand = Static<typeof DroneCommand>;

export const CommandAccepted = Type.Object({
  result: Type.Literal('accepted'),
  droneId: Type.String(),
  command: Type.String(),
  durationMs: Type.Number(),
});
