/** Colours by drone state (map icons, trails, list badges). */
import type { DroneState } from '../state/store.ts';

export const STATE_COLORS: Record<DroneState, string> = {
  ground: '#1e63d6',
  flying: '#12a150',
  returning: '#f08c00',
  lost: '#7a7f87',
  lowBattery: '#d62828',
};

export const BACKGROUND = '#eef1ea';
