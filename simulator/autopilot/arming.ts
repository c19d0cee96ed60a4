/**
 * Pre-arm checks, in ArduCopter's order and wording. Returns the first failure's STATUSTEXT, or
 * null when the vehicle may arm.
 */
import type { NorthEast } from '../geo.ts';
import type { Geofence } from './fence.ts';
import { modeAllowsArming, type CopterMode } from './modes.ts';
import type { ParamStore } from './params.ts';
import type { SensorInputs } from './sensors.ts';

export interface PreArmState {
  mode: CopterMode;
  positionOk: boolean;
  sensors: SensorInputs | null;
  batteryFailsafe: boolean;
  thrustLoss: boolean;
  position: NorthEast;
  home: NorthEast | null;
  fence: Geofence;
  params: ParamStore;
}

export function preArmFailure(s: PreArmState): string | null {
  if (!modeAllowsArming(s.mode)) return 'PreArm: Mode not armable';
  if (!s.positionOk) return 'PreArm: Need Position Estimate';
  if (s.sensors && s.sensors.gps.fixType < 3) return 'PreArm: GPS 1: Bad fix';
  if (s.batteryFailsafe) return 'PreArm: Battery 1 low voltage failsafe';
  if (s.sensors && s.sensors.battery.voltageV < s.params.get('BATT_ARM_VOLT')) return 'PreArm: Battery 1 below minimum arming voltage';
  if (s.thrustLoss) return 'PreArm: Motors: check failed';
  if (s.fence.enabled && !s.fence.allows(s.position, 0, s.home)) return 'PreArm: Fence: vehicle outside fence';
  return null;
}
