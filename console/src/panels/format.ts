/** Labels and numbers in the current language. */
import type { Drone, FleetEvent } from '../api/types.ts';
import { t, tMaybe } from '../i18n/index.ts';
import type { DroneState } from '../state/store.ts';
import { raw } from './dom.ts';

const STATE_KEYS = { ground: 'state.ground', flying: 'state.flying', onTask: 'state.onTask', returning: 'state.returning', lost: 'state.lost', lowBattery: 'state.lowBattery' } as const;

export function stateLabel(s: DroneState): string {
  return t(STATE_KEYS[s]);
}

/** What the server has the drone doing (patrol, incident, parking advisory), or a dash. */
export function taskText(d: Drone): string {
  return d.task ? tMaybe(`task.${d.task.kind}`) ?? d.task.kind : '–';
}

export function modeLabel(mode: string): string | HTMLElement {
  return tMaybe(`mode.${mode}`) ?? raw(mode);
}

export function modeText(mode: string): string {
  return tMaybe(`mode.${mode}`) ?? mode;
}

export function commandLabel(type: string): string {
  return tMaybe(`cmdname.${type}`) ?? type;
}

export function errorLabel(code: string): string {
  return tMaybe(`err.${code}`) ?? t('err.other');
}

export function num(v: number | null | undefined, digits = 1): string | null {
  return v == null || !Number.isFinite(v) ? null : v.toFixed(digits);
}

export function batteryText(d: Drone): string {
  const pct = d.battery?.remainingPct;
  return pct == null ? t('drone.unknown') : t('unit.pct', { v: Math.round(pct) });
}

export function linkText(d: Drone): string {
  if (!d.connected) return t('link.lost');
  const loss = d.link?.packetLossPct ?? 0;
  return loss >= 1 ? t('link.loss', { pct: Math.round(loss) }) : t('link.ok');
}

export function timeText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString('zh-CN', { hour12: false });
}

/** One event as a line of text and raw parts. */
export function eventText(ev: FleetEvent): Array<string | HTMLElement> {
  const str = (k: string) => (typeof ev[k] === 'string' || typeof ev[k] === 'number' ? String(ev[k]) : '');
  switch (ev.kind) {
    case 'mode-changed': return [t('ev.mode-changed', { from: modeText(str('from')), to: modeText(str('to')) })];
    case 'low-battery': return [t('ev.low-battery', { pct: Math.round(Number(ev.remainingPct ?? 0)) })];
    case 'statustext': return [t('ev.statustext'), raw(str('text'))];
    case 'mission-current': case 'mission-item-reached': return [t(`ev.${ev.kind}`, { seq: str('seq') })];
    case 'command-result': {
      const cmd = commandLabel(str('command'));
      if (ev.result === 'accepted') return [t('ev.command-result.ok', { cmd })];
      const out: Array<string | HTMLElement> = [t('ev.command-result.fail', { cmd, what: errorLabel(str('result')) })];
      if (ev.message) out.push(' ', raw(str('message')));
      return out;
    }
    case 'advisory': return [t('ev.advisory', { state: tMaybe(`advstate.${str('state')}`) ?? str('state') })];
    case 'incident': return [t('ev.incident', { kind: tMaybe(`ikind.${str('incidentKind')}`) ?? str('incidentKind'), p: t('inc.priorityN', { n: str('priority') }), state: tMaybe(`incstate.${str('step')}`) ?? str('step') })];
    case 'traffic': return [...(ev.roadName ? [raw(str('roadName')), ' '] : []), t('ev.traffic', { from: tMaybe(`level.${str('previous')}`) ?? str('previous'), to: tMaybe(`level.${str('level')}`) ?? str('level') })];
    case 'geofence-breach': return [t('ev.geofence-breach'), ...(ev.reason ? [' ', raw(str('reason'))] : [])];
    case 'broadcast': return [t('ev.broadcast', { state: tMaybe(`bcstate.${str('state')}`) ?? str('state') })];
    default: {
      const known = tMaybe(`ev.${ev.kind}`);
      return known ? [known] : [t('ev.other', { kind: '' }), raw(ev.kind)];
    }
  }
}

/** 850 m, 3.2 km. */
export function distanceText(m: number): string {
  return m >= 1000 ? t('unit.km', { v: (m / 1000).toFixed(1) }) : t('unit.m', { v: Math.round(m) });
}

/** 45 s, 12 min 30 s, 2 h 05 min. */
export function durationText(s: number): string {
  const total = Math.max(0, Math.round(s));
  if (total < 60) return t('unit.s', { v: total });
  if (total < 3600) return t('unit.minS', { m: Math.floor(total / 60), s: total % 60 });
  return t('unit.hMin', { h: Math.floor(total / 3600), m: String(Math.floor((total % 3600) / 60)).padStart(2, '0') });
}

/** 14:05 (24-hour clock). */
export function clockText(iso: string | number): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString('zh-CN', { hour12: false, hour: '2-digit', minute: '2-digit' });
}

/** A mission item's command in words (the MAV_CMD name when we have none). */
export function missionCommandLabel(command: string): string | HTMLElement {
  return tMaybe(`mcmd.${command}`) ?? raw(command);
}

/** A plan part: the whole route, sortie N, station N. */
export function partLabel(part: string, stationNumber: (id: string) => number): string {
  const [kind, arg = ''] = part.split(':');
  if (kind === 'sortie') return t('part.sortie', { n: Number(arg) + 1 });
  if (kind === 'station') return t('part.station', { n: stationNumber(arg) });
  return t('part.route');
}
