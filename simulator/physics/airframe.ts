/** The airframe as data: a patrol quadcopter (≈ 6 kg, 6S 16 Ah). Limits the step function enforces. */
export interface BatterySpec {
  cells: number;
  capacityAh: number;
  internalResistanceOhm: number;
  /** Open-circuit volts per cell at these state-of-charge fractions (descending SoC). */
  ocvCurve: ReadonlyArray<readonly [soc: number, voltsPerCell: number]>;
}

export interface Airframe {
  name: string;
  maxHorizontalSpeedMps: number;
  maxHorizontalAccelMps2: number;
  maxClimbMps: number;
  maxDescentMps: number;
  maxVerticalAccelMps2: number;
  maxYawRateDps: number;
  /** Current drawn by the motors in a still-air hover, and extra per (m/s)² of airspeed and per m/s of climb. */
  hoverCurrentA: number;
  currentPerAirspeedSq: number;
  currentPerClimbMps: number;
  /** Avionics with motors stopped. */
  idleCurrentA: number;
  /** How strongly wind gusts push the vehicle off its controlled velocity (0 = perfect rejection). */
  gustResponse: number;
  /** Descent rate with a failed motor (forced landing). */
  motorFailureDescentMps: number;
  battery: BatterySpec;
}

export const patrolQuad: Airframe = {
  name: 'patrol-quad-6s',
  maxHorizontalSpeedMps: 18,
  maxHorizontalAccelMps2: 4,
  maxClimbMps: 5,
  maxDescentMps: 3,
  maxVerticalAccelMps2: 3,
  maxYawRateDps: 90,
  hoverCurrentA: 28,
  currentPerAirspeedSq: 0.02,
  currentPerClimbMps: 3,
  idleCurrentA: 0.6,
  gustResponse: 0.15,
  motorFailureDescentMps: 4,
  battery: {
    cells: 6,
    capacityAh: 16,
    internalResistanceOhm: 0.02,
    ocvCurve: [
      [1.0, 4.2], [0.9, 4.08], [0.8, 3.98], [0.5, 3.82], [0.3, 3.75], [0.2, 3.7], [0.1, 3.6], [0.05, 3.45], [0.0, 3.27],
    ],
  },
};
