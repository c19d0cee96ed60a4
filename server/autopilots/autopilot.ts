/**
 * The only place that knows flight stacks apart. Everything else asks the adapter:
 * `drone.autopilot.supports('orbit')`, never `if (isArduPilot)`.
 */
import type { CommandRequest } from '../mavlink/command-sender.ts';
import type { MessageClass } from '../mavlink/definitions.ts';
import type { MessageFields } from '../mavlink/frame-encoder.ts';
import type { WireMissionItem, MissionType } from '../mavlink/mission-transfer/types.ts';

export type AutopilotName = 'ardupilot' | 'px4' | 'generic';
export type Capability = 'orbit' | 'reposition' | 'rallyPoints' | 'fence' | 'setMessageInterval' | 'modes';

/** What an adapter sees of the vehicle's state. */
export interface ControlState {
  armed: boolean;
  landed: boolean;
  mode: string;
  homeAltMslM: number | null;
  /** Height above home, when known. */
  altRelM: number | null;
}

/** How an adapter acts on a vehicle; the fleet implements it. Rejections and timeouts throw AppError. */
export interface VehicleControl {
  state(): ControlState;
  /** Send a command and wait for its ACK; throws COMMAND_DENIED / COMMAND_TIMEOUT with the vehicle's reason. */
  command(label: string, request: CommandRequest): Promise<void>;
  /** Set a parameter and wait for the vehicle's echo; throws COMMAND_DENIED / COMMAND_TIMEOUT. */
  setParam(name: string, value: number): Promise<void>;
  /** Send a message that has no acknowledgement. */
  send<C extends MessageClass>(clazz: C, fields: MessageFields<C>): void;
  /** Wait until the state satisfies `predicate` (after the next telemetry), or fail with `failure` after `timeoutMs`. */
  waitFor(predicate: (s: ControlState) => boolean, timeoutMs: number, failure: string): Promise<void>;
}

/** A vehicle parameter holding a height, and how to turn its value into metres. */
export interface HeightParam {
  param: string;
  metresPerUnit: number;
}

export interface AutopilotAdapter {
  readonly name: AutopilotName;
  /**
   * Where the vehicle keeps the height above home its RTL climbs to before flying home (none: unknown
   * for this firmware, and the server assumes one).
   */
  readonly returnAltitude?: HeightParam;
  /** Mode name from HEARTBEAT base_mode and custom_mode. */
  modeName(baseMode: number, customMode: number): string;
  /** Every mode name `setMode` understands. */
  modeNames(): string[];
  /**
   * The mode the vehicle flies in where `goto` sent it (null: its modes are unknown). Once the
   * server's guided flight has begun, any other mode means someone else (a pilot, the aircraft) took it.
   */
  readonly guidedMode: string | null;
  supports(capability: Capability): boolean;
  setMode(v: VehicleControl, mode: string): Promise<void>;
  arm(v: VehicleControl): Promise<void>;
  disarm(v: VehicleControl): Promise<void>;
  /** From the ground in one call: the mode the firmware needs, arm, take off. */
  takeoff(v: VehicleControl, altitudeRelM: number): Promise<void>;
  goto(v: VehicleControl, lat: number, lon: number, altitudeRelM: number): Promise<void>;
  hold(v: VehicleControl): Promise<void>;
  land(v: VehicleControl): Promise<void>;
  returnToLaunch(v: VehicleControl): Promise<void>;
  setSpeed(v: VehicleControl, speedMps: number): Promise<void>;
  startMission(v: VehicleControl): Promise<void>;
  /** Fly the uploaded mission again from item `seq` (as the vehicle numbers it), e.g. back to a paused patrol. */
  resumeMission(v: VehicleControl, seq: number): Promise<void>;
  /** Make the vehicle enforce its uploaded FENCE list and an altitude ceiling by itself (return home on breach). */
  enableFence(v: VehicleControl, ceilingM: number): Promise<void>;
  /** Items as the vehicle stores them (ArduPilot: item 0 is home; jump targets shift by one). */
  toVehicleMission(type: MissionType, items: WireMissionItem[]): WireMissionItem[];
  fromVehicleMission(type: MissionType, items: WireMissionItem[]): WireMissionItem[];
}
