/** Versioned schema migrations, applied in order at start (PRAGMA user_version holds the version). */
export const MIGRATIONS: string[] = [
  // 1: operators, tokens, audit, drone registry, events, tracks
  `
  CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    operator TEXT NOT NULL,
    drone_id TEXT,
    action TEXT NOT NULL,
    request TEXT NOT NULL,
    result TEXT
  );
  CREATE INDEX audit_drone ON audit(drone_id, id);
  CREATE INDEX audit_operator ON audit(operator, id);
  CREATE TABLE drones (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    host_key TEXT NOT NULL,
    sysid INTEGER NOT NULL,
    callsign TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    settings TEXT NOT NULL DEFAULT '{}',
    first_seen_at TEXT NOT NULL,
    number INTEGER NOT NULL UNIQUE
  );
  CREATE INDEX drones_host_key ON drones(host_key, number);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    drone_id TEXT,
    kind TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX events_drone ON events(drone_id, id);
  CREATE TABLE tracks (
    drone_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    alt_rel_m REAL NOT NULL,
    heading_deg REAL,
    ground_speed_mps REAL,
    PRIMARY KEY (drone_id, at_ms)
  ) WITHOUT ROWID;
  `,
  // 2: geofences (operating area, no-fly zones), kept as JSON documents
  `
  CREATE TABLE geofences (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  `,
  // 3: plans (request and result as JSON) and their assignments to drones
  `
  CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    kind TEXT NOT NULL,
    request TEXT NOT NULL,
    plan TEXT NOT NULL,
    assignments TEXT NOT NULL DEFAULT '[]'
  );
  `,
  // 4: loudspeaker broadcasts (issue 6)
  `
  CREATE TABLE broadcasts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    drone_id TEXT NOT NULL,
    operator TEXT NOT NULL,
    at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    template TEXT,
    params TEXT,
    text TEXT NOT NULL,
    clip_id INTEGER,
    lang TEXT NOT NULL,
    voice INTEGER NOT NULL,
    volume INTEGER NOT NULL,
    repeat INTEGER NOT NULL,
    priority TEXT NOT NULL,
    target TEXT,
    request_id INTEGER NOT NULL,
    state TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER,
    reason TEXT,
    started_at TEXT,
    ended_at TEXT
  );
  CREATE INDEX broadcasts_drone ON broadcasts(drone_id, seq);
  CREATE INDEX broadcasts_state ON broadcasts(state, seq);
  `,
  // 5: parking zones and advisory cases (JSON documents; cases updated at every step)
  `
  CREATE TABLE zones (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE TABLE advisories (
    id TEXT PRIMARY KEY,
    opened_at TEXT NOT NULL,
    state TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX advisories_open ON advisories(state, opened_at);
  `,
  // 6: incidents (JSON documents, saved at every step) and their report times for the response figures
  `
  CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    reported_at TEXT NOT NULL,
    state TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX incidents_reported ON incidents(reported_at);
  CREATE INDEX incidents_state ON incidents(state, reported_at);
  `,
  // 7: road segments for traffic monitoring (JSON documents; updated in place)
  `
  CREATE TABLE roads (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
  );
  `,
];
