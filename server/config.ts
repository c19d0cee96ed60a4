/** Environment → typed configuration, validated once at start (CONTRACT.md: Server configuration). */
export interface LinkConfig {
  /** As written in EAGLE_MAVLINK, without the query; the link's id. */
  id: string;
  kind: 'udp' | 'tcp';
  host: string;
  port: number;
  /** 32-byte MAVLink 2 signing key, when the link requires signing. */
  signingKey: Buffer | null;
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
  /** Commands (and mission changes) per operator per minute. */
  commandRatePerMin: number;
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
  const [address = '', query = ''] = spec.trim().split('?');
  const m = /^(udp|tcp):(.+)$/.exec(address);
  if (!m) throw new ConfigError(`EAGLE_MAVLINK: "${spec}" must start with udp: or tcp: (e.g. udp:127.0.0.1:14550, tcp:127.0.0.1:5760)`);
  const { host, port } = hostPort(m[2]!, `EAGLE_MAVLINK "${spec}"`);
  let signingKey: Buffer | null = null;
  for (const part of query.split('&').filter(Boolean)) {
    const [k, v = ''] = part.split('=');
    if (k !== 'signing') throw new ConfigError(`EAGLE_MAVLINK "${spec}": unknown option ${k} (known: signing)`);
    if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new ConfigError(`EAGLE_MAVLINK "${spec}": signing= needs 64 hex digits (a 32-byte key)`);
    signingKey = Buffer.from(v, 'hex');
  }
  return { id: address, kind: m[1] as 'udp' | 'tcp', host, port, signingKey };
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
  const speakerRangeM = Number(env.EAGLE_SPEAKER_RANGE_M ?? 150);
  if (!(speakerRangeM > 0)) throw new ConfigError('EAGLE_SPEAKER_RANGE_M: a distance in metres > 0');
  return {
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
  };
}
