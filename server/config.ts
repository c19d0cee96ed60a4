/** Environment → typed configuration, validated once at start (CONTRACT.md: Server configuration). */
export interface LinkConfig {
  /** As written in EAGLE_MAVLINK, without the query; the link's id. */
  id: string;
  /** udp / tcp: a transport to vehicles; tlog: a recorded flight played back as a virtual link. */
  kind: 'udp' | 'tcp' | 'tlog';
  /** udp / tcp only ("" for tlog). */
  host: string;
  /** udp / tcp only (0 for tlog). */
  port: number;
  /** 32-byte MAVLink 2 signing key, when the link requires signing (udp / tcp). */
  signingKey: Buffer | null;
  /** tlog only: the file and the playback speed (1 = real time). */
  replay?: { path: string; speed: number };
}

export interface Config {
  http: { host: string; port: number };
  links: LinkConfig[];
  dbPath: string;
  adminToken: string | null;
  logLevel: string;
  dataDir: string;
  mapboxToken: string | null;
  linkLostAfterMs: number;
  /** The parking-advisory loop: broadcasts before escalation, wait after each, hover height. */
  advisory: { maxBroadcasts: number; verifyS: number; hoverAltitudeM: number };
  /** Incident dispatch: watch height, time a drone must be able to stay, on-scene radius. */
  incident: { hoverAltitudeM: number; watchS: number; onSceneRadiusM: number };
  /** A ground unit's typical report→on-scene time per incident kind ('*': any kind), seconds, for the response figures. */
  groundUnitS: Record<string, number>;
  /** Traffic levels: sliding window and dwell before a new level is adopted (server/traffic/segment-level.ts). */
  traffic: { windowS: number; dwellS: number };
  /** Commands (and mission changes) per operator per minute. */
  commandRatePerMin: number;
  /** Flight logs of every link under `<dataDir>/tlogs/` (EAGLE_TLOGS=off disables them). */
  tlogs: { enabled: boolean; maxFileBytes: number };
  /** A broadcast with a target is refused when the drone is farther than this, horizontally (metres). */
  speakerRangeM: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function hostPort(value: string, what: string): { host: string; port: number } {
  const at = value.lastIndexOf(':');
  const host = value.slice(0, at);
  const port = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${what}: expected HOST:PORT, got "${value}"`);
  }
  return { host, port };
}

export function parseLink(spec: string): LinkConfig {
  const trimmed = spec.trim();
  const q = trimmed.indexOf('?');
  const address = q < 0 ? trimmed : trimmed.slice(0, q);
  const query = q < 0 ? '' : trimmed.slice(q + 1);
  const m = /^(udp|tcp|tlog):(.+)$/.exec(address);
  if (!m) throw new ConfigError(`EAGLE_MAVLINK: "${spec}" must start with udp:, tcp: or tlog: (e.g. udp:127.0.0.1:14550, tcp:127.0.0.1:5760, tlog:flights/a.tlog?speed=10)`);
  const kind = m[1] as 'udp' | 'tcp' | 'tlog';
  const options = query.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [part, ''] as const : [part.slice(0, eq), part.slice(eq + 1)] as const;
  });
  if (kind === 'tlog') {
    let speed = 1;
    for (const [k, v] of options) {
      if (k !== 'speed') throw new ConfigError(`EAGLE_MAVLINK "${spec}": unknown option ${k} (known for tlog: speed)`);
      speed = Number(v);
      if (!(Number.isFinite(speed) && speed > 0)) throw new ConfigError(`EAGLE_MAVLINK "${spec}": speed= needs a positive number (1 = real time)`);
    }
    return { id: address, kind, host: '', port: 0, signingKey: null, replay: { path: m[2]!, speed } };
  }
  const { host, port } = hostPort(m[2]!, `EAGLE_MAVLINK "${spec}"`);
  let signingKey: Buffer | null = null;
  for (const [k, v] of options) {
    if (k !== 'signing') throw new ConfigError(`EAGLE_MAVLINK "${spec}": unknown option ${k} (known: signing)`);
    if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new ConfigError(`EAGLE_MAVLINK "${spec}": signing= needs 64 hex digits (a 32-byte key)`);
    signingKey = Buffer.from(v, 'hex');
  }
  return { id: address, kind, host, port, signingKey };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const links = (env.EAGLE_MAVLINK ?? 'udp:127.0.0.1:14550').split(',').filter((s) => s.trim()).map(parseLink);
  if (links.length === 0) throw new ConfigError('EAGLE_MAVLINK: at least one link is needed');
  const ids = new Set<string>();
  for (const l of links) {
    if (ids.has(l.id)) throw new ConfigError(`EAGLE_MAVLINK: ${l.id} is listed twice`);
    ids.add(l.id);
  }
  const linkLostAfterMs = Number(env.EAGLE_LINK_LOST_MS ?? 3500);
  if (!(linkLostAfterMs >= 500)) throw new ConfigError('EAGLE_LINK_LOST_MS: a number of milliseconds ≥ 500');
  const commandRatePerMin = Number(env.EAGLE_COMMAND_RATE_PER_MIN ?? 120);
  if (!(Number.isInteger(commandRatePerMin) && commandRatePerMin >= 1)) throw new ConfigError('EAGLE_COMMAND_RATE_PER_MIN: a whole number ≥ 1');
  const tlogsFlag = (env.EAGLE_TLOGS ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(tlogsFlag)) throw new ConfigError('EAGLE_TLOGS: on or off');
  const tlogMaxMiB = Number(env.EAGLE_TLOG_MAX_MIB ?? 64);
  if (!(tlogMaxMiB >= 1)) throw new ConfigError('EAGLE_TLOG_MAX_MIB: a size in MiB ≥ 1');
  const speakerRangeM = Number(env.EAGLE_SPEAKER_RANGE_M ?? 150);
  if (!(speakerRangeM > 0)) throw new ConfigError('EAGLE_SPEAKER_RANGE_M: a distance in metres > 0');
  const advisory = {
    maxBroadcasts: Number(env.EAGLE_ADVISORY_MAX_BROADCASTS ?? 2),
    verifyS: Number(env.EAGLE_ADVISORY_VERIFY_S ?? 60),
    hoverAltitudeM: Number(env.EAGLE_ADVISORY_HOVER_M ?? 25),
  };
  if (!(Number.isInteger(advisory.maxBroadcasts) && advisory.maxBroadcasts >= 1)) throw new ConfigError('EAGLE_ADVISORY_MAX_BROADCASTS: a whole number ≥ 1');
  if (!(advisory.verifyS >= 1)) throw new ConfigError('EAGLE_ADVISORY_VERIFY_S: seconds ≥ 1');
  if (!(advisory.hoverAltitudeM >= 5 && advisory.hoverAltitudeM <= 120)) throw new ConfigError('EAGLE_ADVISORY_HOVER_M: metres from 5 to 120');
  const traffic = { windowS: Number(env.EAGLE_TRAFFIC_WINDOW_S ?? 60), dwellS: Number(env.EAGLE_TRAFFIC_DWELL_S ?? 20) };
  if (!(traffic.windowS >= 5 && traffic.windowS <= 3600)) throw new ConfigError('EAGLE_TRAFFIC_WINDOW_S: seconds from 5 to 3600');
  if (!(traffic.dwellS >= 0 && traffic.dwellS <= 3600)) throw new ConfigError('EAGLE_TRAFFIC_DWELL_S: seconds from 0 to 3600');
  const incident = {
    hoverAltitudeM: Number(env.EAGLE_INCIDENT_HOVER_M ?? 40),
    watchS: Number(env.EAGLE_INCIDENT_WATCH_S ?? 600),
    onSceneRadiusM: Number(env.EAGLE_INCIDENT_RADIUS_M ?? 25),
  };
  if (!(incident.hoverAltitudeM >= 5 && incident.hoverAltitudeM <= 120)) throw new ConfigError('EAGLE_INCIDENT_HOVER_M: metres from 5 to 120');
  if (!(incident.watchS >= 0)) throw new ConfigError('EAGLE_INCIDENT_WATCH_S: seconds ≥ 0');
  if (!(incident.onSceneRadiusM >= 5)) throw new ConfigError('EAGLE_INCIDENT_RADIUS_M: metres ≥ 5');
  return {
    advisory,
    incident,
    traffic,
    groundUnitS: groundUnitTimes(env.EAGLE_GROUND_UNIT_S ?? '180'),
    commandRatePerMin,
    speakerRangeM,
    http: hostPort(env.EAGLE_HTTP ?? '127.0.0.1:8080', 'EAGLE_HTTP'),
    links,
    dbPath: env.EAGLE_DB ?? 'data/eagle-eye.db',
    adminToken: env.EAGLE_ADMIN_TOKEN || null,
    logLevel: env.EAGLE_LOG_LEVEL ?? 'info',
    dataDir: env.EAGLE_DATA ?? 'data',
    mapboxToken: env.MAPBOX_TOKEN || null,
    linkLostAfterMs,
    tlogs: { enabled: tlogsFlag === 'on', maxFileBytes: Math.round(tlogMaxMiB * 1024 * 1024) },
  };
}

/** "180" (any kind) or "fight=240,crash=300,*=180": seconds from report to a ground unit on scene. */
function groundUnitTimes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [kind, value] = part.includes('=') ? part.split('=', 2) as [string, string] : ['*', part];
    const s = Number(value);
    if (!kind.trim() || !(s > 0)) throw new ConfigError(`EAGLE_GROUND_UNIT_S: "${part}" is not seconds > 0 or kind=seconds (e.g. "180" or "fight=240,*=180")`);
    out[kind.trim()] = s;
  }
  return out;
}
