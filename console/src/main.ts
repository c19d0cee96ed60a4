/**
 * Eagle Eye console: login → map + fleet list + tabs (drone panel, incidents, traffic, response
 * figures, planning, overwatch) + event log,
 * live over /api/stream. Stream messages only update the store; one animation-frame loop pushes at
 * most one setData per source and redraws the panels (the fleet list at most 4 times a second).
 */
import type { FeatureCollection } from 'geojson';
import { ApiClient, ApiError, loadConsoleConfig } from './api/client.ts';
import { StreamClient } from './api/stream.ts';
import type { Advisory, Drone, Geofence, Incident, Junction, Me, Plan, Prepositioning, Road, TrafficSegment, Zone } from './api/types.ts';
import { applyDocumentLang, onLangChange, t } from './i18n/index.ts';
import { createMap, type MapAdapter } from './map/adapter.ts';
import { FleetLayer } from './map/fleet-layer.ts';
import { enRoute, incidentFeatures, incidentLineFeatures, junctionFeatures, pointFeature, prepositionFeatures, trafficFeatures } from './map/case-features.ts';
import { boundsOf, circleRing } from './map/geo.ts';
import { planFeatures } from './map/plan-features.ts';
import { DroneLabels } from './map/labels.ts';
import { DRONE_LAYER } from './map/layers.ts';
import { ToolSlot, type MapTool } from './map/tools.ts';
import { h } from './panels/dom.ts';
import { DronePanel } from './panels/drone.ts';
import { EventsPanel } from './panels/events.ts';
import { FiguresPanel } from './panels/figures.ts';
import { FleetPanel, type ListTiming } from './panels/fleet.ts';
import { IncidentsPanel } from './panels/incidents.ts';
import { batteryText } from './panels/format.ts';
import { legend } from './panels/legend.ts';
import { showLogin, type LoginProblem } from './panels/login.ts';
import { OverwatchPanel } from './panels/overwatch.ts';
import { PlanningPanel } from './panels/planning.ts';
import { PlansList } from './panels/plans-list.ts';
import { Tabs } from './panels/tabs.ts';
import { TopBar } from './panels/topbar.ts';
import { TrafficPanel } from './panels/traffic.ts';
import { ConsoleStore, droneState, type AdvisoryMark } from './state/store.ts';
import './styles.css';

const TOKEN_KEY = 'eagle-token';
const LIST_INTERVAL_MS = 250;

/** Read by the browser tests (and handy in the devtools). */
export interface ConsoleDebug {
  store: ConsoleStore;
  map: MapAdapter | null;
  stream: StreamClient | null;
  stats: { mapUpdates: number; lastMapUpdateMs: number; maxMapUpdateMs: number; totalMapUpdateMs: number; frames: number; totalPanelMs: number; maxPanelMs: number; trailPoints: number; trailPushes: number; fleetList: ListTiming };
  labels: DroneLabels;
  tabs: Tabs | null;
  /** The fleet list (the tests scroll a drone's row into view with `reveal`). */
  fleet: FleetPanel | null;
  ready: boolean;
}
declare global { interface Window { __eagle?: ConsoleDebug } }

const root = document.getElementById('app')!;

async function boot(): Promise<void> {
  applyDocumentLang();
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    history.replaceState(null, '', location.pathname + (params.size ? `?${params}` : '') + location.hash);
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return login(params.has('expired') ? 'invalid' : null);
  try {
    const me = await new ApiClient(token).get<Me>('/api/me');
    await startConsole(token, me);
  } catch (err) {
    login(err instanceof ApiError && err.status === 401 ? 'invalid' : 'unreachable');
  }
}

function login(problem: LoginProblem): void {
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin(root, problem, (token, me) => {
    sessionStorage.setItem(TOKEN_KEY, token);
    void startConsole(token, me);
  });
}

async function startConsole(token: string, me: Me): Promise<void> {
  const api = new ApiClient(token);
  const store = new ConsoleStore();
  store.me = me;
  const labels = new DroneLabels();
  const debug: ConsoleDebug = { store, map: null, stream: null, stats: { mapUpdates: 0, lastMapUpdateMs: 0, maxMapUpdateMs: 0, totalMapUpdateMs: 0, frames: 0, totalPanelMs: 0, maxPanelMs: 0, trailPoints: 0, trailPushes: 0, fleetList: { renders: 0, lastMs: 0, maxMs: 0, totalMs: 0 } }, labels, tabs: null, fleet: null, ready: false };
  window.__eagle = debug;

  let map: MapAdapter | null = null;
  const tools = new ToolSlot(() => map);
  let target: { lat: number; lon: number } | null = null;
  const stream = new StreamClient(token, {
    onMessage: (m) => store.apply(m),
    onStatus: (s) => {
      store.setStatus(s);
      // a revoked token also closes the stream: then back to the login, not reconnecting for ever
      if (s.state === 'waiting') api.get<Me>('/api/me').catch((err) => { if (err instanceof ApiError && err.status === 401) { stream.stop(); sessionStorage.removeItem(TOKEN_KEY); location.replace(`${location.pathname}?expired=1`); } });
    },
  });

  debug.stream = stream;
  const logout = () => {
    stream.stop();
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  };
  const top = new TopBar(store, me, logout);
  const select = (id: string) => {
    store.select(id);
    tabs.show('drone');
  };
  const selectAndFly = (d: Drone) => {
    select(d.id);
    if (d.position && map) map.flyTo(d.position.lon, d.position.lat);
  };
  const fleet = new FleetPanel(store, selectAndFly, debug.stats.fleetList);
  debug.fleet = fleet;
  const events = new EventsPanel(store);
  // go-to: the next click on the map is the target
  let pickTool: MapTool | null = null;
  const pickPoint = () => new Promise<{ lat: number; lon: number } | null>((resolve) => {
    const tool: MapTool = {
      cursor: 'crosshair',
      click: (lon, lat) => { pickTool = null; tools.end(tool); resolve({ lat, lon }); },
      cancel: () => { pickTool = null; tools.end(tool); resolve(null); },
    };
    pickTool = tool;
    tools.start(tool);
  });
  const drone = new DronePanel({
    api, store,
    map: () => map,
    role: () => me.role,
    drone: () => store.selected(),
    pickPoint,
    cancelPick: () => { pickTool?.cancel(); drone.render(); },
    picking: () => pickTool !== null && tools.active === pickTool,
    showTarget: (p) => { target = p; store.mark('drones'); },
  });
  const plans = new PlansList(api, () => map);
  const planning = new PlanningPanel({ api, store, role: () => me.role, map: () => map, tools, plans });
  const overwatch = new OverwatchPanel({ api, store, role: () => me.role, map: () => map, tools });
  const incidents = new IncidentsPanel({
    api, store, role: () => me.role, pickPoint,
    cancelPick: () => pickTool?.cancel(),
    showPoint: (p) => map?.setData('report-point', pointFeature(p)),
    flyTo: (lon, lat) => map?.flyTo(lon, lat, 16),
    selected: () => store.mark('incidents'),
  });
  const figures = new FiguresPanel({ api, store, showPrepositioning: (p: Prepositioning | null) => map?.setData('preposition', prepositionFeatures(p, store.drones)) });
  const traffic = new TrafficPanel({
    api, store, role: () => me.role,
    fitRoad: (coordinates) => { const box = boundsOf(coordinates); if (box) map?.fitBounds(box, 17); },
    flyTo: (lon, lat) => map?.flyTo(lon, lat, 17),
    showPlan: (plan: Plan | null) => map?.setData('traffic-plan', planFeatures([], plan, null)),
  });
  const tabs = new Tabs([
    { id: 'drone', label: 'tab.drone', panel: drone },
    { id: 'incidents', label: 'tab.incidents', panel: incidents },
    { id: 'traffic', label: 'tab.traffic', panel: traffic },
    { id: 'figures', label: 'tab.figures', panel: figures },
    { id: 'planning', label: 'tab.planning', panel: planning },
    { id: 'overwatch', label: 'tab.overwatch', panel: overwatch },
  ]);
  debug.tabs = tabs;

  const mapEl = h('div', { id: 'map', 'data-test': 'map' });
  const tooltip = h('div', { class: 'tooltip', hidden: true });
  const legendSlot = h('div', { class: 'legend-slot' });
  root.replaceChildren(top.el, h('main', { class: 'layout' },
    h('aside', { class: 'side' }, fleet.el, events.el),
    h('section', { class: 'map-wrap' }, mapEl, labels.el, legendSlot, tooltip),
    h('aside', { class: 'detail' }, tabs.el)));

  const renderAll = () => { top.render(); fleet.renderAll(); events.render(); tabs.render(); if (map) legendSlot.replaceChildren(legend(map.library)); store.mark('view'); };
  onLangChange(renderAll);
  renderAll();
  stream.start();

  const config = await loadConsoleConfig();
  map = await createMap(mapEl, config);
  debug.map = map;
  legendSlot.replaceChildren(legend(map.library));
  const fleetLayer = new FleetLayer(map, labels);
  map.onClick((lon, lat, point) => {
    if (tools.active) return tools.active.click(lon, lat, point);
    const hit = map!.featuresAt(point, [DRONE_LAYER], 8)[0];
    if (typeof hit?.id === 'string') return select(hit.id);
    const scene = map!.featuresAt(point, ['incidents'], 6)[0];
    const incident = typeof scene?.id === 'string' ? store.incidents.get(scene.id) : undefined;
    if (incident) { tabs.show('incidents'); incidents.select(incident); }
  });
  map.onDblClick((lon, lat, point) => tools.active?.dblclick?.(lon, lat, point));
  map.onView(() => store.mark('view'));
  map.onMove((point) => {
    const hit = point && !tools.active ? map!.featuresAt(point, [DRONE_LAYER], 4)[0] : undefined;
    const d = typeof hit?.id === 'string' ? store.drones.get(hit.id) : undefined;
    if (!point || !d) { tooltip.hidden = true; if (!tools.active) map!.setCursor(''); return; }
    map!.setCursor('pointer');
    tooltip.hidden = false;
    tooltip.textContent = t('map.hover', { id: d.callsign, bat: batteryText(d) });
    tooltip.style.transform = `translate(${point.x + 14}px, ${point.y + 14}px)`;
  });
  void loadAirspace(api, map, store);
  const loadAdvisories = async () => {
    try {
      const { advisories } = await api.get<{ advisories: Advisory[] }>('/api/advisories?limit=500');
      store.setAdvisories(advisories.map((a): AdvisoryMark => ({ id: a.id, state: a.state, lat: a.lat, lon: a.lon, droneId: a.droneId, steps: a.steps, trackId: a.trackId })));
    } catch { /* shown again at the next change */ }
  };
  void loadAdvisories();
  let advisoriesLoading = false;
  // incidents: the list with every step's time, loaded again (at most every 500 ms) after incident events
  const loadIncidents = async () => {
    try { store.setIncidents((await api.get<{ incidents: Incident[] }>('/api/incidents?limit=200')).incidents); } catch { /* again at the next event */ }
  };
  // roads with their levels, and their junctions (loaded again when a traffic event names a new road)
  const loadTraffic = async () => {
    try {
      const [{ roads }, { segments }, { junctions }] = await Promise.all([
        api.get<{ roads: Road[] }>('/api/roads'), api.get<{ segments: TrafficSegment[] }>('/api/traffic'), api.get<{ junctions: Junction[] }>('/api/traffic/junctions')]);
      store.setRoads(roads, segments);
      store.setJunctions(junctions);
    } catch { /* again at the next event */ }
  };
  void loadIncidents();
  void loadTraffic();
  let incidentsLoading = false;
  let lastIncidentsLoad = 0;
  let roadsLoading = false;
  let lastLines = 0;
  let linesShown = false;
  let going: Incident[] = [];
  store.mark('drones');

  let lastList = 0;
  let listPending = false;
  const frame = (now: number) => {
    const dirty = store.takeDirty();
    const t0 = performance.now();
    // new data: push it (labels placed too); else the view moved: labels follow it, and the trails
    // are pushed again when their thinning changed
    if (dirty.has('drones') || dirty.has('selection') || (dirty.has('view') && fleetLayer.viewChanged(store))) {
      fleetLayer.push(store, target, now);
      const ms = performance.now() - t0;
      const s = debug.stats;
      s.mapUpdates++; s.lastMapUpdateMs = ms; s.trailPoints = fleetLayer.trailPoints; s.trailPushes = fleetLayer.trailPushes; s.totalMapUpdateMs += ms; s.maxMapUpdateMs = Math.max(s.maxMapUpdateMs, ms);
    } else if (fleetLayer.catchUpTrails(store, now)) {
      debug.stats.trailPushes = fleetLayer.trailPushes;
    }
    const p0 = performance.now();
    if (dirty.has('advisories')) map!.setData('advisories', advisoryFeatures(store));
    if (store.advisoriesStale && !advisoriesLoading) { advisoriesLoading = true; store.advisoriesStale = false; void loadAdvisories().finally(() => { advisoriesLoading = false; }); }
    if (store.incidentsStale && !incidentsLoading && now - lastIncidentsLoad >= 500) {
      incidentsLoading = true; store.incidentsStale = false; lastIncidentsLoad = now;
      void loadIncidents().finally(() => { incidentsLoading = false; });
    }
    if (store.roadsStale && !roadsLoading) { roadsLoading = true; store.roadsStale = false; void loadTraffic().finally(() => { roadsLoading = false; }); }
    if (dirty.has('incidents')) {
      map!.setData('incidents', incidentFeatures(store.incidents.values(), incidents.selectedId));
      if (tabs.current === 'incidents') incidents.renderList();
    }
    if (dirty.has('advisories') && tabs.current === 'incidents') incidents.renderAdvisories();
    // the lines from responders to their incidents follow the drones, but only while one is on its
    // way and at most twice a second: the fleet's per-update cost is not touched otherwise
    if (dirty.has('incidents')) going = enRoute(store.incidents.values());
    if ((going.length > 0 || linesShown) && (dirty.has('incidents') || dirty.has('drones')) && now - lastLines >= 500) {
      map!.setData('incident-lines', incidentLineFeatures(going, store.drones));
      linesShown = going.length > 0;
      lastLines = now;
    }
    if (dirty.has('traffic')) {
      map!.setData('traffic', trafficFeatures(store.roads.values()));
      if (tabs.current === 'traffic') traffic.renderList();
    }
    if (dirty.has('junctions')) {
      map!.setData('junctions', junctionFeatures(store.junctions));
      if (tabs.current === 'traffic') traffic.renderJunctions();
    }
    if (dirty.has('status')) top.render();
    if (dirty.has('events')) events.render();
    if (dirty.has('broadcasts')) drone.renderBroadcast();
    // a drone selected (on the map too): its row is brought into view
    if (dirty.has('selection')) { drone.render(); fleet.render(); if (store.selectedId) fleet.reveal(store.selectedId); lastList = now; listPending = false; }
    else if (dirty.has('drones')) { drone.renderTelemetry(); listPending = true; }
    if (listPending && now - lastList >= LIST_INTERVAL_MS) { fleet.render(); lastList = now; listPending = false; }
    const panelMs = performance.now() - p0;
    debug.stats.frames++; debug.stats.totalPanelMs += panelMs; debug.stats.maxPanelMs = Math.max(debug.stats.maxPanelMs, panelMs);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  debug.ready = true;
}

function advisoryFeatures(store: ConsoleStore): FeatureCollection {
  return { type: 'FeatureCollection', features: [...store.advisories.values()].map((a) => ({
    type: 'Feature', properties: { id: a.id, state: a.state }, geometry: { type: 'Point', coordinates: [a.lon, a.lat] } })) };
}

/** Geofences and parking zones (drawn once; a later issue refreshes them on change events). */
async function loadAirspace(api: ApiClient, map: MapAdapter, store: ConsoleStore): Promise<void> {
  try {
    const [{ geofences }, { zones }] = await Promise.all([api.get<{ geofences: Geofence[] }>('/api/geofences'), api.get<{ zones: Zone[] }>('/api/zones')]);
    for (const g of geofences) store.zoneNames.set(g.id, g.name);
    map.setData('geofences', { type: 'FeatureCollection', features: geofences.map((g) => ({
      type: 'Feature', properties: { id: g.id, kind: g.kind },
      geometry: g.geometry ?? { type: 'Polygon', coordinates: [circleRing(g.circle!.center, g.circle!.radiusM)] },
    })) });
    map.setData('zones', { type: 'FeatureCollection', features: zones.map((z) => ({ type: 'Feature', properties: { id: z.id, kind: z.kind }, geometry: z.geometry })) });
  } catch {
    // the map still works without them; the next load retries
  }
}

void boot();
