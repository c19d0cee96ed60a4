/**
 * Parameters, ArduCopter names and units (cm, cm/s, mAh, V, s). Read and set over PARAM_* by a
 * ground station; the autopilot reads them every tick, so a change takes effect at once.
 */
export interface ParamDefinition {
  name: string;
  defaultValue: number;
  /** MAV_PARAM_TYPE: 2 INT8, 4 INT16, 6 INT32, 9 REAL32. */
  type: number;
  min?: number;
  max?: number;
}

const INT8 = 2, INT16 = 4, INT32 = 6, REAL32 = 9;

export const PARAM_DEFINITIONS: readonly ParamDefinition[] = [
  { name: 'ARMING_CHECK', defaultValue: 1, type: INT32 },
  { name: 'BATT_ARM_VOLT', defaultValue: 22.2, type: REAL32, min: 0 },
  { name: 'BATT_CAPACITY', defaultValue: 16000, type: INT32, min: 0 },
  { name: 'BATT_CRT_MAH', defaultValue: 1600, type: REAL32, min: 0 },
  { name: 'BATT_CRT_VOLT', defaultValue: 20.4, type: REAL32, min: 0 },
  { name: 'BATT_FS_CRT_ACT', defaultValue: 1, type: INT8, min: 0, max: 5 },
  { name: 'BATT_FS_LOW_ACT', defaultValue: 2, type: INT8, min: 0, max: 5 },
  { name: 'BATT_LOW_MAH', defaultValue: 3200, type: REAL32, min: 0 },
  { name: 'BATT_LOW_TIMER', defaultValue: 10, type: INT8, min: 0, max: 120 },
  { name: 'BATT_LOW_VOLT', defaultValue: 21.0, type: REAL32, min: 0 },
  { name: 'DISARM_DELAY', defaultValue: 10, type: INT8, min: 0, max: 127 },
  { name: 'FENCE_ACTION', defaultValue: 1, type: INT8, min: 0, max: 5 },
  { name: 'FENCE_ALT_MAX', defaultValue: 100, type: REAL32, min: 10, max: 1000 },
  { name: 'FENCE_ENABLE', defaultValue: 0, type: INT8, min: 0, max: 1 },
  { name: 'FENCE_MARGIN', defaultValue: 2, type: REAL32, min: 1, max: 10 },
  { name: 'FENCE_RADIUS', defaultValue: 300, type: REAL32, min: 30, max: 10000 },
  { name: 'FENCE_TYPE', defaultValue: 7, type: INT8, min: 0, max: 15 },
  { name: 'FS_GCS_ENABLE', defaultValue: 1, type: INT8, min: 0, max: 7 },
  { name: 'FS_GCS_TIMEOUT', defaultValue: 5, type: REAL32, min: 2, max: 120 },
  { name: 'LAND_ALT_LOW', defaultValue: 1000, type: INT16, min: 100, max: 10000 },
  { name: 'LAND_SPEED', defaultValue: 50, type: INT16, min: 30, max: 200 },
  { name: 'LAND_SPEED_HIGH', defaultValue: 0, type: INT16, min: 0, max: 2500 },
  { name: 'MAV_SYSID', defaultValue: 1, type: INT16, min: 1, max: 255 },
  { name: 'MIS_TOTAL', defaultValue: 0, type: INT16 },
  { name: 'RTL_ALT', defaultValue: 1500, type: INT16, min: 200, max: 300000 },
  { name: 'RTL_ALT_FINAL', defaultValue: 0, type: INT16, min: 0, max: 1000 },
  { name: 'RTL_LOIT_TIME', defaultValue: 5000, type: INT32, min: 0, max: 60000 },
  { name: 'RTL_SPEED', defaultValue: 0, type: INT16, min: 0, max: 2000 },
  { name: 'SYSID_MYGCS', defaultValue: 255, type: INT16, min: 1, max: 255 },
  { name: 'WPNAV_ACCEL', defaultValue: 250, type: REAL32, min: 50, max: 500 },
  { name: 'WPNAV_RADIUS', defaultValue: 200, type: REAL32, min: 5, max: 1000 },
  { name: 'WPNAV_SPEED', defaultValue: 1000, type: REAL32, min: 20, max: 2000 },
  { name: 'WPNAV_SPEED_DN', defaultValue: 150, type: REAL32, min: 10, max: 500 },
  { name: 'WPNAV_SPEED_UP', defaultValue: 250, type: REAL32, min: 10, max: 1000 },
];

export interface ParamEntry {
  name: string;
  value: number;
  type: number;
  index: number;
}

/** One vehicle's parameter table. Names are ≤ 16 ASCII characters, as on the wire. */
export class ParamStore {
  private readonly values = new Float64Array(PARAM_DEFINITIONS.length);
  private static readonly indexByName = new Map(PARAM_DEFINITIONS.map((d, i) => [d.name, i]));

  constructor(overrides: Record<string, number> = {}) {
    PARAM_DEFINITIONS.forEach((d, i) => { this.values[i] = d.defaultValue; });
    for (const [name, value] of Object.entries(overrides)) this.set(name, value);
  }

  get count(): number {
    return PARAM_DEFINITIONS.length;
  }

  get(name: string): number {
    const i = ParamStore.indexByName.get(name);
    if (i === undefined) throw new Error(`unknown parameter ${name}`);
    return this.values[i]!;
  }

  has(name: string): boolean {
    return ParamStore.indexByName.has(name);
  }

  /** Sets a known parameter (clamped to its range, integers rounded); returns the entry or null. */
  set(name: string, value: number): ParamEntry | null {
    const i = ParamStore.indexByName.get(name);
    if (i === undefined || !Number.isFinite(value)) return null;
    const d = PARAM_DEFINITIONS[i]!;
    let v = d.type === REAL32 ? Math.fround(value) : Math.round(value);
    if (d.min !== undefined) v = Math.max(d.min, v);
    if (d.max !== undefined) v = Math.min(d.max, v);
    this.values[i] = v;
    return this.entryAt(i);
  }

  entryByName(name: string): ParamEntry | null {
    const i = ParamStore.indexByName.get(name);
    return i === undefined ? null : this.entryAt(i);
  }

  entryAt(index: number): ParamEntry | null {
    const d = PARAM_DEFINITIONS[index];
    return d ? { name: d.name, value: this.values[index]!, type: d.type, index } : null;
  }
}
