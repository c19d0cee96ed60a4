/** Colours by drone state (map icons, trails, list badges). */
import type { DroneState } from '../state/store.ts';

export const STATE_COLORS: Record<DroneState, string> = {
  ground: '#1e63d6',
  flying: '#12a150',
  onTask: '#8e24aa',
  returning: '#f08c00',
  lost: '#7a7f87',
  lowBattery: '#d62828',
};

export const BACKGROUND = '#eef1ea';

/** Traffic levels on the roads (map layer, list badges). */
export const TRAFFIC_COLORS = { free: '#12a150', slow: '#f2c500', congested: '#f07800', jammed: '#d62828' } as const;

/** Incidents by state (map, list badges): waiting red, on the way orange, on scene blue, closed grey. */
export const INCIDENT_COLORS: Record<string, string> = { reported: '#b71c1c', dispatched: '#f08c00', airborne: '#f08c00', 'on-scene': '#1565c0', released: '#7a7f87' };
