/** The Drone as the API and the stream show it (CONTRACT.md). The schema is the type. */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Position = Type.Object({
  lat: Type.Number({ description: 'degrees' }),
  lon: Type.Number({ description: 'degrees' }),
  altMslM: Type.Number({ description: 'metres above mean sea level' }),
  altRelM: Type.Number({ description: 'metres above home' }),
});

export const Drone = Type.Object({
  id: Type.String({ examples: ['E01'] }),
  sysid: Type.Integer(),
  compid: Type.Integer(),
  callsign: Type.String(),
  autopilot: Type.String({ description: 'ardupilot | px4 | generic' }),
  vehicleType: Type.String({ description: 'from HEARTBEAT.type, e.g. quadrotor' }),
  connected: Type.Boolean(),
  armed: Type.Boolean(),
  mode: Type.String(),
  landed: Type.Boolean(),
  systemStatus: Type.String({ description: 'MAV_STATE name without prefix, e.g. STANDBY, ACTIVE, CRITICAL' }),
  position: Type.Union([Position, Type.Null()]),
  home: Type.Union([Type.Object({ lat: Type.Number(), lon: Type.Number(), altMslM: Type.Number() }), Type.Null()]),
  headingDeg: Nullable(Type.Number()),
  groundSpeedMps: Nullable(Type.Number()),
  climbMps: Nullable(Type.Number()),
  attitude: Type.Union([Type.Object({ rollDeg: Type.Number(), pitchDeg: Type.Number(), yawDeg: Type.Number() }), Type.Null()]),
  battery: Type.Object({ remainingPct: Nullable(Type.Number()), voltageV: Nullable(Type.Number()), currentA: Nullable(Type.Number()) }),
  gps: Type.Object({ fixType: Type.Integer(), satellites: Nullable(Type.Integer()) }),
  mission: Type.Object({ current: Type.Integer(), count: Type.Integer() }),
  link: Type.Object({
    id: Type.String({ description: 'the link, as configured' }),
    remote: Type.String({ description: 'remote endpoint HOST:PORT (UDP) or the link id (TCP)' }),
    packetLossPct: Type.Number({ description: 'estimated from sequence gaps' }),
    framesIn: Type.Integer(),
  }),
  components: Type.Array(Type.Object({ compid: Type.Integer(), type: Type.String() })),
  statusText: Type.Union([Type.Object({ severity: Type.Integer(), text: Type.String(), at: Type.String() }), Type.Null()]),
  lastHeartbeatAt: Type.String({ format: 'date-time' }),
  wind: Type.Union([
    Type.Object({
      speedMps: Type.Number({ minimum: 0, description: 'wind speed, m/s (0.1)' }),
      fromDeg: Type.Integer({ minimum: 0, maximum: 359, description: 'direction the wind blows FROM, degrees clockwise from true north (90 = from the east)' }),
    }),
    Type.Null(),
  ], { description: "the autopilot's wind estimate (ArduPilot WIND message); null until the vehicle reports one" }),
  task: Type.Union([
    Type.Object({ kind: Type.String({ description: 'patrol, incident or advisory' }), id: Type.String() }),
    Type.Null(),
  ], { description: 'what the server has the drone doing (its task board); null when it is free' }),
});

export type Drone = Static<typeof Drone>;
