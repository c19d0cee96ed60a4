/**
 * The selected drone: live telemetry, its mission (mission.ts), and (operators and admins only) take
 * off, go to a point clicked on the map, hold, land, return home — each after a confirmation — and
 * the loudspeaker (broadcast.ts). A refused command shows the server's code, message and the drone's reason.
 */
import type { ApiClient, ApiError } from '../api/client.ts';
import type { Drone, DroneCommand, Role } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import { STATE_COLORS } from '../map/colors.ts';
import { droneState, type ConsoleStore } from '../state/store.ts';
import { BroadcastForm } from './broadcast.ts';
import { confirmDialog } from './confirm.ts';
import { append, h, raw } from './dom.ts';
import { errorParts } from './error.ts';
import { settle } from './form.ts';
import { batteryText, commandLabel, linkText, modeLabel, num, stateLabel } from './format.ts';
import { MissionView } from './mission.ts';

type Result =
  | { kind: 'sending'; cmd: string }
  | { kind: 'accepted'; cmd: string }
  | { kind: 'error'; cmd: string; error: ApiError };

export interface DronePanelHost {
  api: ApiClient;
  store: ConsoleStore;
  map: () => MapAdapter | null;
  role: () => Role;
  drone: () => Drone | null;
  /** Go-to: wait for a click on the map (null: cancelled). */
  pickPoint: () => Promise<{ lat: number; lon: number } | null>;
  cancelPick: () => void;
  picking: () => boolean;
  showTarget: (p: { lat: number; lon: number } | null) => void;
}

export class DronePanel {
  readonly el = h('section', { class: 'panel drone', 'data-test': 'drone-panel' });
  private readonly telemetry = h('div', { class: 'telemetry' });
  private readonly commands = h('div', { class: 'commands' });
  private readonly resultEl = h('div', { class: 'result', 'aria-live': 'polite', 'data-test': 'command-result' });
  private altitude = 30;
  private result: Result | null = null;
  private shownId: string | null = null;
  private readonly mission: MissionView;
  private readonly broadcast: BroadcastForm;

  constructor(private readonly host: DronePanelHost) {
    this.mission = new MissionView(host.api, host.map);
    this.broadcast = new BroadcastForm(host.api, host.store, host.drone);
  }

  /** Everything (selection, language or role changed). */
  render(): void {
    const d = this.host.drone();
    if (d?.id !== this.shownId) { this.result = null; this.broadcast.reset(); this.shownId = d?.id ?? null; }
    if (!d) {
      this.mission.update(null);
      this.el.replaceChildren(h('p', { class: 'muted' }, t('drone.none')));
      return;
    }
    const viewer = this.host.role() === 'viewer';
    this.el.replaceChildren(h('h2', {}, t('drone.title', { id: '' }), raw(d.callsign)), this.telemetry, this.commands, this.mission.el, viewer ? '' : this.broadcast.el);
    this.renderTelemetry();
    this.renderCommands();
    this.mission.rerender(d);
    if (!viewer) this.broadcast.render();
  }

  /** A broadcast changed state (stream event). */
  renderBroadcast(): void {
    this.broadcast.renderResult();
  }

  /** Only the live figures (telemetry arrived). */
  renderTelemetry(): void {
    const d = this.host.drone();
    if (!d || d.id !== this.shownId) return this.render();
    const state = droneState(d);
    const unknown = t('drone.unknown');
    const v = (key: 'unit.m' | 'unit.mps' | 'unit.deg' | 'unit.volt', value: string | null) => (value == null ? unknown : t(key, { v: value }));
    const rows: Array<[string, Node | string]> = [
      [t('drone.state'), h('span', { class: 'badge', style: `--c:${STATE_COLORS[state]}`, 'data-test': 'drone-state', 'data-state': state }, stateLabel(state))],
      [t('drone.mode'), h('span', {}, modeLabel(d.mode))],
      [t('drone.armed'), d.armed ? t('drone.yes') : t('drone.no')],
      [t('drone.alt'), h('span', { 'data-test': 'drone-alt' }, v('unit.m', num(d.position?.altRelM)))],
      [t('drone.speed'), v('unit.mps', num(d.groundSpeedMps))],
      [t('drone.climb'), v('unit.mps', num(d.climbMps))],
      [t('drone.heading'), v('unit.deg', num(d.headingDeg, 0))],
      [t('drone.battery'), `${batteryText(d)} · ${v('unit.volt', num(d.battery?.voltageV))}`],
      [t('drone.gps'), t('drone.gpsValue', { fix: t(`fix.${Math.min(6, Math.max(0, d.gps?.fixType ?? 0))}` as 'fix.0'), sats: d.gps?.satellites ?? unknown })],
      [t('drone.position'), d.position ? `${d.position.lat.toFixed(6)}, ${d.position.lon.toFixed(6)}` : unknown],
      [t('drone.link'), linkText(d)],
    ];
    this.telemetry.replaceChildren(h('dl', {}, ...rows.flatMap(([k, val]) => [h('dt', {}, k), h('dd', {}, val)])));
    this.mission.update(d);
  }

  private renderCommands(): void {
    if (this.host.role() === 'viewer') {
      this.commands.replaceChildren(h('p', { class: 'muted', 'data-test': 'viewer-note' }, t('cmd.viewerNote')));
      return;
    }
    const busy = this.result?.kind === 'sending';
    const picking = this.host.picking();
    const alt = h('input', { id: 'cmd-alt', type: 'number', min: 2, max: 120, step: 1, value: this.altitude, 'data-test': 'altitude',
      oninput: (e: Event) => { const n = Number((e.target as HTMLInputElement).value); if (Number.isFinite(n)) this.altitude = n; } });
    const button = (cmd: string, label: string, onclick: () => void, cls = '') =>
      h('button', { type: 'button', class: cls, 'data-command': cmd, disabled: busy, onclick }, label);
    this.commands.replaceChildren();
    append(this.commands, [
      h('h3', {}, t('cmd.title')),
      h('div', { class: 'row' }, h('label', { for: 'cmd-alt' }, t('cmd.altitude')), alt,
        button('takeoff', t('cmd.takeoff'), () => void this.run({ type: 'takeoff', altitudeM: this.altitude }, t('confirm.takeoff', { id: this.callsign(), alt: this.altitude })), 'primary')),
      h('div', { class: 'row' },
        picking ? button('goto-cancel', t('cmd.gotoCancel'), () => this.host.cancelPick()) : button('goto', t('cmd.goto'), () => void this.goto())),
      picking ? h('p', { class: 'hint' }, t('cmd.gotoPick')) : null,
      h('div', { class: 'row buttons' },
        button('hold', t('cmd.hold'), () => void this.run({ type: 'hold' }, t('confirm.hold', { id: this.callsign() }))),
        button('land', t('cmd.land'), () => void this.run({ type: 'land' }, t('confirm.land', { id: this.callsign() }))),
        button('rtl', t('cmd.rtl'), () => void this.run({ type: 'rtl' }, t('confirm.rtl', { id: this.callsign() })))),
      this.resultEl]);
    this.renderResult();
  }

  private renderResult(): void {
    const r = this.result;
    if (!r) { this.resultEl.replaceChildren(); this.resultEl.className = 'result'; return; }
    this.resultEl.className = `result ${r.kind}`;
    if (r.kind === 'sending') this.resultEl.replaceChildren(t('cmd.sending'));
    else if (r.kind === 'accepted') this.resultEl.replaceChildren(t('cmd.accepted', { cmd: commandLabel(r.cmd) }));
    else this.resultEl.replaceChildren(...errorParts(commandLabel(r.cmd), r.error));
  }

  private callsign(): string {
    return this.host.drone()?.callsign ?? '';
  }

  private async goto(): Promise<void> {
    const drone = this.host.drone();
    if (!drone) return;
    const pending = this.host.pickPoint();
    this.renderCommands();
    const point = await pending;
    this.renderCommands();
    if (!point) return;
    this.host.showTarget(point);
    const ok = await this.run({ type: 'goto', lat: point.lat, lon: point.lon, altitudeM: this.altitude },
      t('confirm.goto', { id: drone.callsign, lat: point.lat.toFixed(6), lon: point.lon.toFixed(6), alt: this.altitude }));
    if (!ok) this.host.showTarget(null);
  }

  /** Confirm, send, show the outcome. True when the drone accepted. */
  private async run(cmd: DroneCommand, question: string): Promise<boolean> {
    const drone = this.host.drone();
    if (!drone || !(await confirmDialog(question))) return false;
    this.result = { kind: 'sending', cmd: cmd.type };
    this.renderCommands();
    const sent = await settle(this.host.api.post(`/api/drones/${encodeURIComponent(drone.id)}/commands`, cmd));
    if (sent.kind === 'done') {
      this.result = { kind: 'accepted', cmd: cmd.type };
      if (cmd.type !== 'goto') this.host.showTarget(null); // the drone no longer heads for the marked point
    } else if (sent.kind === 'error') {
      this.result = { kind: 'error', cmd: cmd.type, error: sent.error };
    }
    if (this.shownId === drone.id) this.renderCommands();
    return sent.kind === 'done';
  }
}
