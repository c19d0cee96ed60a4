/** Mission items as the API shows them (CONTRACT.md): MAV_CMD names, degrees, metres. */
import { Type, type Static } from '@sinclair/typebox';

export const MissionFrame = Type.Union([
  Type.Literal('GLOBAL_RELATIVE_ALT'), Type.Literal('GLOBAL'), Type.Literal('GLOBAL_TERRAIN_ALT'), Type.Literal('MISSION'),
], { description: 'altitude reference: relative to home (default), mean sea level, terrain; MISSION for items without a position' });

export const MissionItem = Type.Object({
  command: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', description: 'MAV_CMD name without MAV_CMD_, e.g. NAV_WAYPOINT', examples: ['NAV_WAYPOINT'] }),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  altitudeM: Type.Optional(Type.Number({ minimum: -1000, maximum: 10000 })),
  params: Type.Optional(Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: 'param1…param4' })),
  frame: Type.Optional(MissionFrame),
  autocontinue: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export type MissionItem = Static<typeof MissionItem>;

export const MissionType = Type.Union([Type.Literal('mission'), Type.Literal('fence'), Type.Literal('rally')]);

export const MissionBody = Type.Object({
  items: Type.Array(MissionItem, { maxItems: 700 }),
}, { additionalProperties: false });

export const MissionQuery = Type.Object({
  type: Type.Optional(MissionType),
});
