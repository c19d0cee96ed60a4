/** The SQLite store: one file, WAL, synchronous=FULL, migrations at open. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';
import type { Geofence } from '../contracts/geofence.ts';
import type { Road } from '../contracts/road.ts';
import type { Zone } from '../contracts/zone.ts';
import type { AdvisoryCase } from '../warnings/advisory-case.ts';
import type { Incident } from '../incidents/incident.ts';
import type {
  AdvisoryRepo, IncidentRepo, AuditEntry, BroadcastRepo, RoadRepo, GeofenceRepo, PlanRepo, StoredBroadcast, StoredPlan, ZoneRepo, AuditRepo, DroneRegistryRepo, EventRepo, Operator, OperatorRepo, RegisteredDrone, Role, Store, StoredEvent, TrackPoint, TrackRepo,
} from './store.ts';

type Row = Record<string, any>;

const nowIso = () => new Date().toISOString();

function parse(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return {
    operators: operatorRepo(db),
    audit: auditRepo(db),
    drones: droneRepo(db),
    events: eventRepo(db),
    tracks: trackRepo(db),
    geofences: geofenceRepo(db),
    plans: planRepo(db),
    zones: zoneRepo(db),
    advisories: advisoryRepo(db),
    broadcasts: broadcastRepo(db),
    incidents: incidentRepo(db),
    roads: roadRepo(db),
    close: () => db.close(),
  };
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) throw new Error(`database schema version ${version} is newer than this server (${MIGRATIONS.length}): upgrade Eagle Eye`);
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const toOperator = (r: Row): Operator => ({ id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at, revokedAt: r.revoked_at });

function operatorRepo(db: Database.Database): OperatorRepo {
  const insertOp = db.prepare('INSERT INTO operators (id, name, role, created_at) VALUES (?, ?, ?, ?)');
  const insertToken = db.prepare('INSERT INTO tokens (hash, operator_id, created_at) VALUES (?, ?, ?)');
  const byToken = db.prepare(`SELECT o.* FROM tokens t JOIN operators o ON o.id = t.operator_id
    WHERE t.hash = ? AND t.revoked_at IS NULL AND o.revoked_at IS NULL`);
  const revokeOp = db.prepare('UPDATE operators SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const revokeTokens = db.prepare('UPDATE tokens SET revoked_at = ? WHERE operator_id = ? AND revoked_at IS NULL');
  return {
    create({ name, role, tokenHash }) {
      const op: Operator = { id: `op_${randomUUID().slice(0, 8)}`, name, role, createdAt: nowIso(), revokedAt: null };
      db.transaction(() => {
        insertOp.run(op.id, op.name, op.role, op.createdAt);
        insertToken.run(tokenHash, op.id, op.createdAt);
      })();
      return op;
    },
    list: () => (db.prepare('SELECT * FROM operators WHERE revoked_at IS NULL ORDER BY created_at, id').all() as Row[]).map(toOperator),
    get(id) {
      const r = db.prepare('SELECT * FROM operators WHERE id = ?').get(id) as Row | undefined;
      return r ? toOperator(r) : null;
    },
    findByTokenHash(hash) {
      const r = byToken.get(hash) as Row | undefined;
      return r ? toOperator(r) : null;
    },
    addToken(operatorId, tokenHash) {
      insertToken.run(tokenHash, operatorId, nowIso());
    },
    revoke(id) {
      const at = nowIso();
      return db.transaction(() => {
        const changed = revokeOp.run(at, id).changes > 0;
        if (changed) revokeTokens.run(at, id);
        return changed;
      })();
    },
    countActive: () => (db.prepare('SELECT count(*) AS n FROM operators WHERE revoked_at IS NULL').get() as Row).n as number,
  };
}

function auditRepo(db: Database.Database): AuditRepo {
  const insert = db.prepare('INSERT INTO audit (at, operator, drone_id, action, request) VALUES (?, ?, ?, ?, ?)');
  const finish = db.prepare('UPDATE audit SET result = ? WHERE id = ?');
  return {
    begin: (e) => Number(insert.run(e.at, e.operator, e.droneId, e.action, JSON.stringify(e.request)).lastInsertRowid),
    finish: (id, result) => { finish.run(JSON.stringify(result), id); },
    list(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.droneId) { where.push('drone_id = ?'); args.push(f.droneId); }
      if (f.operator) { where.push('operator = ?'); args.push(f.operator); }
      if (f.before) { where.push('id < ?'); args.push(f.before); }
      const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, f.limit ?? 100) as Row[]).map((r): AuditEntry => ({
        id: r.id, at: r.at, operator: r.operator, droneId: r.drone_id, action: r.action, request: parse(r.request), result: parse(r.result),
      }));
    },
  };
}

const toDrone = (r: Row): RegisteredDrone => ({
  id: r.id, key: r.key, sysid: r.sysid, callsign: r.callsign, notes: r.notes, settings: JSON.parse(r.settings), firstSeenAt: r.first_seen_at,
});

function droneRepo(db: Database.Database): DroneRegistryRepo {
  const byKey = db.prepare('SELECT * FROM drones WHERE key = ?');
  const byId = db.prepare('SELECT * FROM drones WHERE id = ?');
  const nextNumber = db.prepare('SELECT coalesce(max(number), 0) + 1 AS n FROM drones');
  const byHost = db.prepare('SELECT * FROM drones WHERE host_key = ? ORDER BY number');
  const rekey = db.prepare('UPDATE drones SET key = ? WHERE id = ?');
  const insert = db.prepare('INSERT INTO drones (id, key, host_key, sysid, callsign, first_seen_at, number) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return {
    resolve: ({ key, hostKey, sysid }, at, inUse) => db.transaction(() => {
      const found = byKey.get(key) as Row | undefined;
      if (found) return toDrone(found);
      const returning = (byHost.all(hostKey) as Row[]).find((r) => !inUse(r.id));
      if (returning) {
        rekey.run(key, returning.id);
        return toDrone(byId.get(returning.id) as Row);
      }
      const n = (nextNumber.get() as Row).n as number;
      const id = `E${String(n).padStart(2, '0')}`;
      insert.run(id, key, hostKey, sysid, id, at, n);
      return toDrone(byId.get(id) as Row);
    })(),
    list: () => (db.prepare('SELECT * FROM drones ORDER BY number').all() as Row[]).map(toDrone),
    update(id, patch) {
      const current = byId.get(id) as Row | undefined;
      if (!current) return null;
      const next = { ...toDrone(current), ...patch };
      db.prepare('UPDATE drones SET callsign = ?, notes = ?, settings = ? WHERE id = ?').run(next.callsign, next.notes, JSON.stringify(next.settings), id);
      return next;
    },
  };
}

function eventRepo(db: Database.Database): EventRepo {
  const insert = db.prepare('INSERT INTO events (at, drone_id, kind, data) VALUES (?, ?, ?, ?)');
  const insertMany = db.transaction((events: Parameters<EventRepo['append']>[0]) => {
    for (const e of events) insert.run(e.at, e.droneId, e.kind, JSON.stringify(e.data));
  });
  return {
    append: (events) => { if (events.length) insertMany(events); },
    list(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.droneId) { where.push('drone_id = ?'); args.push(f.droneId); }
      if (f.kind) { where.push('kind = ?'); args.push(f.kind); }
      if (f.before) { where.push('id < ?'); args.push(f.before); }
      const sql = `SELECT * FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, f.limit ?? 100) as Row[]).map((r): StoredEvent => ({ id: r.id, at: r.at, droneId: r.drone_id, kind: r.kind, data: JSON.parse(r.data) }));
    },
  };
}

function trackRepo(db: Database.Database): TrackRepo {
  const insert = db.prepare(`INSERT OR REPLACE INTO tracks (drone_id, at_ms, lat, lon, alt_rel_m, heading_deg, ground_speed_mps) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insertMany = db.transaction((points: TrackPoint[]) => {
    for (const p of points) insert.run(p.droneId, p.atMs, p.lat, p.lon, p.altRelM, p.headingDeg, p.groundSpeedMps);
  });
  const select = db.prepare('SELECT * FROM tracks WHERE drone_id = ? AND at_ms BETWEEN ? AND ? ORDER BY at_ms LIMIT ?');
  return {
    append: (points) => { if (points.length) insertMany(points); },
    list: (droneId, fromMs, toMs, limit) => (select.all(droneId, fromMs, toMs, limit) as Row[]).map((r) => ({
      droneId: r.drone_id, atMs: r.at_ms, lat: r.lat, lon: r.lon, altRelM: r.alt_rel_m, headingDeg: r.heading_deg, groundSpeedMps: r.ground_speed_mps,
    })),
  };
}

function geofenceRepo(db: Database.Database): GeofenceRepo {
  const toFence = (r: Row): Geofence => ({ id: r.id, createdAt: r.created_at, ...JSON.parse(r.body) });
  return {
    create(body) {
      const fence = { id: `gf_${randomUUID().slice(0, 8)}`, createdAt: nowIso() };
      db.prepare('INSERT INTO geofences (id, created_at, body) VALUES (?, ?, ?)').run(fence.id, fence.createdAt, JSON.stringify(body));
      return { ...fence, ...body };
    },
    list: () => (db.prepare('SELECT * FROM geofences ORDER BY created_at, id').all() as Row[]).map(toFence),
    get(id) {
      const r = db.prepare('SELECT * FROM geofences WHERE id = ?').get(id) as Row | undefined;
      return r ? toFence(r) : null;
    },
    replace(id, body) {
      if (db.prepare('UPDATE geofences SET body = ? WHERE id = ?').run(JSON.stringify(body), id).changes === 0) return null;
      return this.get(id);
    },
    delete: (id) => db.prepare('DELETE FROM geofences WHERE id = ?').run(id).changes > 0,
  };
}

function planRepo(db: Database.Database): PlanRepo {
  const toPlan = (r: Row): StoredPlan => ({
    id: r.id, createdAt: r.created_at, createdBy: r.created_by, kind: r.kind, request: JSON.parse(r.request), plan: JSON.parse(r.plan), assignments: JSON.parse(r.assignments),
  });
  return {
    create(p) {
      const stored: StoredPlan = { id: `pl_${randomUUID().slice(0, 8)}`, createdAt: nowIso(), assignments: [], ...p };
      db.prepare('INSERT INTO plans (id, created_at, created_by, kind, request, plan) VALUES (?, ?, ?, ?, ?, ?)')
        .run(stored.id, stored.createdAt, stored.createdBy, stored.kind, JSON.stringify(stored.request), JSON.stringify(stored.plan));
      return stored;
    },
    get(id) {
      const r = db.prepare('SELECT * FROM plans WHERE id = ?').get(id) as Row | undefined;
      return r ? toPlan(r) : null;
    },
    list: (limit) => (db.prepare('SELECT * FROM plans ORDER BY created_at DESC, id LIMIT ?').all(limit) as Row[]).map(toPlan),
    setAssignments(id, assignments) {
      db.prepare('UPDATE plans SET assignments = ? WHERE id = ?').run(JSON.stringify(assignments), id);
    },
  };
}

function zoneRepo(db: Database.Database): ZoneRepo {
  return {
    create(body) {
      const zone: Zone = { id: `zn_${randomUUID().slice(0, 8)}`, createdAt: nowIso(), ...body };
      db.prepare('INSERT INTO zones (id, created_at, body) VALUES (?, ?, ?)').run(zone.id, zone.createdAt, JSON.stringify(body));
      return zone;
    },
    list: () => (db.prepare('SELECT * FROM zones ORDER BY created_at, id').all() as Row[]).map((r) => ({ id: r.id, createdAt: r.created_at, ...JSON.parse(r.body) })),
    delete: (id) => db.prepare('DELETE FROM zones WHERE id = ?').run(id).changes > 0,
  };
}

function roadRepo(db: Database.Database): RoadRepo {
  const toRoad = (r: Row): Road => ({ id: r.id, createdAt: r.created_at, updatedAt: r.updated_at, ...JSON.parse(r.body) });
  const byId = db.prepare('SELECT * FROM roads WHERE id = ?');
  return {
    create(body) {
      const at = nowIso();
      const id = `rd_${randomUUID().slice(0, 8)}`;
      db.prepare('INSERT INTO roads (id, created_at, updated_at, body) VALUES (?, ?, ?, ?)').run(id, at, at, JSON.stringify(body));
      return toRoad(byId.get(id) as Row);
    },
    list: () => (db.prepare('SELECT * FROM roads ORDER BY created_at, rowid').all() as Row[]).map(toRoad),
    get(id) {
      const r = byId.get(id) as Row | undefined;
      return r ? toRoad(r) : null;
    },
    update(id, body) {
      if (db.prepare('UPDATE roads SET body = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(body), nowIso(), id).changes === 0) return null;
      return toRoad(byId.get(id) as Row);
    },
    delete: (id) => db.prepare('DELETE FROM roads WHERE id = ?').run(id).changes > 0,
  };
}

function advisoryRepo(db: Database.Database): AdvisoryRepo {
  const upsert = db.prepare('INSERT OR REPLACE INTO advisories (id, opened_at, state, body) VALUES (?, ?, ?, ?)');
  return {
    save: (c) => { upsert.run(c.id, c.steps[0]?.at ?? nowIso(), c.state, JSON.stringify(c)); },
    list(f) {
      const rows = f.state
        ? db.prepare('SELECT body FROM advisories WHERE state = ? ORDER BY opened_at DESC LIMIT ?').all(f.state, f.limit ?? 200)
        : db.prepare('SELECT body FROM advisories ORDER BY opened_at DESC LIMIT ?').all(f.limit ?? 200);
      return (rows as Row[]).map((r) => JSON.parse(r.body) as AdvisoryCase);
    },
    get(id) {
      const r = db.prepare('SELECT body FROM advisories WHERE id = ?').get(id) as Row | undefined;
      return r ? (JSON.parse(r.body) as AdvisoryCase) : null;
    },
  };
}

function incidentRepo(db: Database.Database): IncidentRepo {
  const upsert = db.prepare('INSERT OR REPLACE INTO incidents (id, reported_at, state, kind, body) VALUES (?, ?, ?, ?, ?)');
  return {
    save: (i) => { upsert.run(i.id, i.reportedAt, i.state, i.kind, JSON.stringify(i)); },
    get(id) {
      const r = db.prepare('SELECT body FROM incidents WHERE id = ?').get(id) as Row | undefined;
      return r ? (JSON.parse(r.body) as Incident) : null;
    },
    list(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.status === 'open') where.push("state <> 'released'");
      if (f.status === 'closed') where.push("state = 'released'");
      if (f.kind) { where.push('kind = ?'); args.push(f.kind); }
      if (f.since) { where.push('reported_at >= ?'); args.push(f.since); }
      const sql = `SELECT body FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY reported_at DESC, id DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, f.limit ?? 200) as Row[]).map((r) => JSON.parse(r.body) as Incident);
    },
  };
}

const toBroadcast = (r: Row): StoredBroadcast => ({
  id: r.id, droneId: r.drone_id, operator: r.operator, at: r.at, updatedAt: r.updated_at, template: r.template, params: parse(r.params) as StoredBroadcast['params'],
  text: r.text, clipId: r.clip_id, lang: r.lang, voice: r.voice, volume: r.volume, repeat: r.repeat, priority: r.priority, target: parse(r.target) as StoredBroadcast['target'],
  requestId: r.request_id, state: r.state, progress: r.progress, durationMs: r.duration_ms, reason: r.reason, startedAt: r.started_at, endedAt: r.ended_at,
});

function broadcastRepo(db: Database.Database): BroadcastRepo {
  const insert = db.prepare(`INSERT INTO broadcasts (id, drone_id, operator, at, updated_at, template, params, text, clip_id, lang, voice, volume, repeat, priority, target, request_id, state, progress, duration_ms, reason, started_at, ended_at)
    VALUES (@id, @droneId, @operator, @at, @at, @template, @params, @text, @clipId, @lang, @voice, @volume, @repeat, @priority, @target, @requestId, @state, @progress, @durationMs, @reason, @startedAt, @endedAt)`);
  const nextSeq = db.prepare(`SELECT coalesce(max(seq), 0) + 1 AS n FROM broadcasts`);
  const byId = db.prepare('SELECT * FROM broadcasts WHERE id = ?');
  const COLUMNS: Record<string, string> = { state: 'state', progress: 'progress', durationMs: 'duration_ms', reason: 'reason', startedAt: 'started_at', endedAt: 'ended_at', updatedAt: 'updated_at' };
  return {
    create: (b) => db.transaction(() => {
      const id = `B${(nextSeq.get() as Row).n}`;
      insert.run({ ...b, id, params: b.params ? JSON.stringify(b.params) : null, target: b.target ? JSON.stringify(b.target) : null });
      return toBroadcast(byId.get(id) as Row);
    })(),
    update(id, patch) {
      const sets: string[] = [];
      const args: unknown[] = [];
      for (const [k, v] of Object.entries(patch)) {
        const col = COLUMNS[k];
        if (!col || v === undefined) continue;
        sets.push(`${col} = ?`);
        args.push(v);
      }
      if (sets.length) db.prepare(`UPDATE broadcasts SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
      const r = byId.get(id) as Row | undefined;
      return r ? toBroadcast(r) : null;
    },
    get(id) {
      const r = byId.get(id) as Row | undefined;
      return r ? toBroadcast(r) : null;
    },
    list(f) {
      const where: string[] = [];
      const args: unknown[] = [];
      if (f.droneId) { where.push('drone_id = ?'); args.push(f.droneId); }
      if (f.state) { where.push('state = ?'); args.push(f.state); }
      if (f.before) { where.push('seq < (SELECT seq FROM broadcasts WHERE id = ?)'); args.push(f.before); }
      const sql = `SELECT * FROM broadcasts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, f.limit ?? 100) as Row[]).map(toBroadcast);
    },
    unfinished: () => (db.prepare(`SELECT * FROM broadcasts WHERE state IN ('queued', 'playing') ORDER BY seq`).all() as Row[]).map(toBroadcast),
  };
}
