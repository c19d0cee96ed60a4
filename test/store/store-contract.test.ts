/**
 * The Store contract, run over every implementation (today: SQLite on a real file). A server
 * database added later must pass the same suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite-store.ts';
import type { Store } from '../../server/store/store.ts';
import { reportIncident } from '../../server/incidents/incident.ts';

interface Impl {
  name: string;
  open(): Store;
  /** Open the same data again (after close), when the implementation persists. */
  reopen(): Store;
  cleanup(): void;
}

function sqliteFile(): Impl {
  const dir = mkdtempSync(join(tmpdir(), 'eagle-store-'));
  const path = join(dir, 'nested', 'eagle.db');
  return { name: 'sqlite file', open: () => openSqliteStore(path), reopen: () => openSqliteStore(path), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const IMPLEMENTATIONS: Array<() => Impl> = [sqliteFile];
const at = '2026-11-29T10:00:00.000Z';
const vehicle = (port: number, sysid = 1) => ({ key: `udp:0.0.0.0:14550|127.0.0.1:${port}|${sysid}`, hostKey: `udp:0.0.0.0:14550|127.0.0.1|${sysid}`, sysid });
const never = () => false;

for (const makeImpl of IMPLEMENTATIONS) {
  describe(`store contract: ${makeImpl().name}`, () => {
    let impl: Impl;
    let store: Store;
    const open = () => { impl = makeImpl(); store = impl.open(); return store; };
    afterEach(() => { store.close(); impl.cleanup(); });

    it('keeps incidents across a reopen, newest report first, filtered by open/closed, kind and time', () => {
      open();
      const mk = (id: string, reportedAt: string, kind: string, state: 'reported' | 'released') => {
        const { next } = reportIncident({ id, kind, priority: 2, lat: 30.5, lon: 114.4, by: 'op', atMs: Date.parse(reportedAt) });
        return { ...next, state };
      };
      store.incidents.save(mk('inc_a', '2026-11-20T08:00:00.000Z', 'fight', 'released'));
      store.incidents.save(mk('inc_b', '2026-11-28T08:00:00.000Z', 'crash', 'reported'));
      store.incidents.save({ ...mk('inc_b', '2026-11-28T08:00:00.000Z', 'crash', 'reported'), note: 'updated' });
      store.close();
      store = impl.reopen();
      expect(store.incidents.list({}).map((i) => i.id)).toEqual(['inc_b', 'inc_a']);
      expect(store.incidents.get('inc_b')?.note).toBe('updated');
      expect(store.incidents.list({ status: 'open' }).map((i) => i.id)).toEqual(['inc_b']);
      expect(store.incidents.list({ status: 'closed' }).map((i) => i.id)).toEqual(['inc_a']);
      expect(store.incidents.list({ kind: 'fight' }).map((i) => i.id)).toEqual(['inc_a']);
      expect(store.incidents.list({ since: '2026-11-25T00:00:00.000Z' }).map((i) => i.id)).toEqual(['inc_b']);
      expect(store.incidents.get('nope')).toBeNull();
    });

    it('finds an operator by token hash until it is revoked, and revoking revokes its tokens', () => {
      open();
      const op = store.operators.create({ name: 'li.wei', role: 'operator', tokenHash: 'h1' });
      store.operators.addToken(op.id, 'h2');
      expect(store.operators.findByTokenHash('h2')).toMatchObject({ id: op.id, name: 'li.wei', role: 'operator' });
      expect(store.operators.revoke(op.id)).toBe(true);
      expect(store.operators.findByTokenHash('h1')).toBeNull();
      expect(store.operators.findByTokenHash('h2')).toBeNull();
      expect(store.operators.list()).toEqual([]);
      expect(store.operators.revoke(op.id)).toBe(false);
    });

    it('keeps audit entries newest first, filtered and paged, with their results', () => {
      open();
      const ids = [1, 2, 3, 4].map((i) => store.audit.begin({ at, operator: i % 2 ? 'a' : 'b', droneId: `E0${i}`, action: 'command:arm', request: { type: 'arm' } }));
      store.audit.finish(ids[0]!, { ok: false, code: 'COMMAND_DENIED' });
      const all = store.audit.list({});
      expect(all.map((e) => e.id)).toEqual([...ids].reverse());
      expect(all.at(-1)!.result).toEqual({ ok: false, code: 'COMMAND_DENIED' });
      expect(all[0]!.result).toBeNull();
      expect(store.audit.list({ operator: 'a' }).map((e) => e.droneId)).toEqual(['E03', 'E01']);
      expect(store.audit.list({ limit: 2, before: ids[2] }).map((e) => e.id)).toEqual([ids[1], ids[0]]);
    });

    it('gives a vehicle the same drone id across restarts, and its old id when it returns from a new port', () => {
      open();
      const a = store.drones.resolve(vehicle(5000), at, never);
      const b = store.drones.resolve(vehicle(5001), at, (id) => id === a.id);
      expect([a.id, b.id]).toEqual(['E01', 'E02']);
      store.drones.update(a.id, { callsign: 'Eagle-1', notes: 'loudspeaker' });
      store.close();
      store = impl.reopen();
      expect(store.drones.resolve(vehicle(5000), at, never)).toMatchObject({ id: 'E01', callsign: 'Eagle-1', notes: 'loudspeaker' });
      expect(store.drones.resolve(vehicle(6001), at, (id) => id === 'E01')).toMatchObject({ id: 'E02' });
      expect(store.drones.resolve(vehicle(6002), at, (id) => id === 'E01' || id === 'E02')).toMatchObject({ id: 'E03' });
      expect(store.drones.resolve(vehicle(6003, 7), at, never)).toMatchObject({ id: 'E04', sysid: 7 });
    });

    it('stores events and tracks and reads them back by drone and time', () => {
      open();
      store.events.append([{ at, droneId: 'E01', kind: 'link-lost', data: { lastHeartbeatAt: at } }, { at, droneId: 'E02', kind: 'armed', data: {} }]);
      expect(store.events.list({ droneId: 'E01' })).toMatchObject([{ kind: 'link-lost', data: { lastHeartbeatAt: at } }]);
      const t0 = Date.parse(at);
      store.tracks.append([0, 1, 2, 3].map((i) => ({ droneId: 'E01', atMs: t0 + i * 1000, lat: 30.5 + i * 1e-4, lon: 114.4, altRelM: 30, headingDeg: 90, groundSpeedMps: 5 })));
      expect(store.tracks.list('E01', t0 + 1000, t0 + 2000, 10).map((p) => p.lat)).toEqual([30.5001, 30.5002]);
    });

    it('creates, lists, updates and deletes road segments, and keeps them across a restart', () => {
      open();
      const line = (e: number): { type: 'LineString'; coordinates: Array<[number, number]> } => ({ type: 'LineString', coordinates: [[114.41, 30.49], [114.41 + e, 30.49]] });
      const a = store.roads.create({ name: 'Avenue 大道', geometry: line(0.01), direction: 'both', freeFlowMps: 16.7, lanes: 4 });
      const b = store.roads.create({ name: 'Ring', geometry: line(0.002), direction: 'forward', freeFlowMps: 8.3 });
      expect(a).toMatchObject({ name: 'Avenue 大道', direction: 'both', freeFlowMps: 16.7, lanes: 4, geometry: line(0.01) });
      expect(a.id).not.toBe(b.id);
      expect(a.createdAt).toBe(a.updatedAt);
      expect(store.roads.list().map((r) => r.id)).toEqual([a.id, b.id]);
      const changed = store.roads.update(b.id, { name: 'Ring road', geometry: line(0.003), direction: 'backward', freeFlowMps: 9 });
      expect(changed).toMatchObject({ id: b.id, createdAt: b.createdAt, name: 'Ring road', direction: 'backward', freeFlowMps: 9 });
      expect(changed!.lanes).toBeUndefined();
      expect(store.roads.update('rd_missing', { name: 'x', geometry: line(0.001), direction: 'both', freeFlowMps: 5 })).toBeNull();
      store.close();
      store = impl.reopen();
      expect(store.roads.get(b.id)).toMatchObject({ name: 'Ring road', freeFlowMps: 9 });
      expect(store.roads.delete(a.id)).toBe(true);
      expect(store.roads.delete(a.id)).toBe(false);
      expect(store.roads.get(a.id)).toBeNull();
      expect(store.roads.list().map((r) => r.id)).toEqual([b.id]);
    });
  });
}
