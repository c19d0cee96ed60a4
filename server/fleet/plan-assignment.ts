/**
 * Assigns a stored plan to drones: each drone gets one part of the plan (the route, a sortie, or an
 * overwatch station's sortie), checked again against today's airspace, uploaded, and started.
 */
import type { MissionItem } from '../contracts/mission.ts';
import { AppError } from '../errors.ts';
import { validateRoute, type Airspace, type RoutePoint } from '../planning/index.ts';
import type { PlanAssignment, StoredPlan } from '../store/store.ts';
import type { DroneSession } from './drone-session.ts';
import type { MissionService } from './missions.ts';

export interface PlanPart {
  part: string;
  missionItems: MissionItem[];
}

export function partsOf(plan: Record<string, unknown>): PlanPart[] {
  const stations = plan.stationMissions as Array<{ stationId: string; missionItems: MissionItem[] }> | undefined;
  if (stations) return stations.map((s) => ({ part: `station:${s.stationId}`, missionItems: s.missionItems }));
  const sorties = plan.sorties as Array<{ missionItems: MissionItem[] }> | undefined;
  if (sorties?.length) return sorties.map((s, i) => ({ part: `sortie:${i}`, missionItems: s.missionItems }));
  return [{ part: 'route', missionItems: plan.missionItems as MissionItem[] }];
}

/** The positions a mission flies through, for the airspace check (items without a position skipped). */
export function routeOfItems(items: MissionItem[]): RoutePoint[] {
  return items.filter((i) => i.lat !== undefined && i.lon !== undefined && !(i.lat === 0 && i.lon === 0))
    .map((i) => ({ lat: i.lat!, lon: i.lon!, altitudeM: i.altitudeM ?? 0 }));
}

export function checkAirspace(points: RoutePoint[], airspace: Airspace): void {
  const violations = validateRoute(points, airspace);
  if (violations.length === 0) return;
  const v = violations[0]!;
  throw new AppError('AIRSPACE_VIOLATION', `leg ${v.leg} ${v.kind} ${v.zoneId} by ${v.byM} m`, { leg: v.leg, zoneId: v.zoneId, kind: v.kind, byM: v.byM, point: v.point, violations });
}

export async function assignPlan(
  stored: StoredPlan,
  sessions: DroneSession[],
  ctx: { missions: MissionService; airspace: Airspace; nowIso: () => string; run: <T>(droneId: string, part: string, fn: () => Promise<T>) => Promise<T> },
): Promise<PlanAssignment[]> {
  const parts = partsOf(stored.plan);
  if (sessions.length > parts.length) {
    throw new AppError('BAD_REQUEST', `plan ${stored.id} has ${parts.length} part(s) (${parts.map((p) => p.part).join(', ')}): assign at most that many drones`, { parts: parts.map((p) => p.part) });
  }
  for (const p of parts.slice(0, sessions.length)) checkAirspace(routeOfItems(p.missionItems), ctx.airspace);
  return Promise.all(sessions.map(async (session, i): Promise<PlanAssignment> => {
    const part = parts[i]!;
    try {
      await ctx.run(session.id, part.part, async () => {
        await ctx.missions.upload(session, 'mission', part.missionItems);
        await ctx.missions.start(session);
      });
      return { droneId: session.id, part: part.part, at: ctx.nowIso(), result: 'started' };
    } catch (err) {
      const e = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: (err as Error).message };
      return { droneId: session.id, part: part.part, at: ctx.nowIso(), result: 'failed', error: e };
    }
  }));
}
