/**
 * ArduPilot's battery failsafe detection: low when the voltage stays under BATT_LOW_VOLT for
 * BATT_LOW_TIMER seconds or the remaining capacity drops under BATT_LOW_MAH; critical likewise with
 * BATT_CRT_*. Both latch until reboot. `update` returns the level newly reached this tick.
 */
import type { ParamStore } from './params.ts';
import type { BatteryReading } from './sensors.ts';

export type BatteryLevel = 'ok' | 'low' | 'critical';

export class BatteryMonitor {
  level: BatteryLevel = 'ok';
  private lowVoltageSinceMs: number | null = null;
  private critVoltageSinceMs: number | null = null;

  constructor(private readonly params: ParamStore) {}

  update(nowMs: number, b: BatteryReading): BatteryLevel | null {
    const p = this.params;
    const lowVolt = p.get('BATT_LOW_VOLT');
    const critVolt = p.get('BATT_CRT_VOLT');
    const timerMs = p.get('BATT_LOW_TIMER') * 1000;
    const remainingMah = p.get('BATT_CAPACITY') - b.usedMah;
    this.lowVoltageSinceMs = lowVolt > 0 && b.voltageV < lowVolt ? (this.lowVoltageSinceMs ?? nowMs) : null;
    this.critVoltageSinceMs = critVolt > 0 && b.voltageV < critVolt ? (this.critVoltageSinceMs ?? nowMs) : null;
    const critMah = p.get('BATT_CRT_MAH');
    const lowMah = p.get('BATT_LOW_MAH');
    const critical = (this.critVoltageSinceMs !== null && nowMs - this.critVoltageSinceMs >= timerMs) || (critMah > 0 && remainingMah < critMah);
    const low = critical || (this.lowVoltageSinceMs !== null && nowMs - this.lowVoltageSinceMs >= timerMs) || (lowMah > 0 && remainingMah < lowMah);
    if (critical && this.level !== 'critical') return (this.level = 'critical');
    if (low && this.level === 'ok') return (this.level = 'low');
    return null;
  }
}

/** ArduPilot's wording: "Battery 1 is low 21.45V used 12800 mAh". */
export function batteryFailsafeText(level: 'low' | 'critical', b: BatteryReading): string {
  return `Battery 1 is ${level} ${b.voltageV.toFixed(2)}V used ${Math.round(b.usedMah)} mAh`;
}
