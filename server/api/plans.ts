import { randomUUID } from 'node:crypto';
/** Plans: planned (and checked against the airspace) on POST, stored, assigned to drones. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../contracts/common.ts';
import { AppError } from '../errors.ts';
import { airspaceOf } from '../fleet/airspace-of.ts';
import { assignPlan, partsOf } from '../fleet/plan-assignment.ts';
import { plan as makePlan, PlanRequest, PlanSchema } from '../planning/index.ts';
import { audited } from './audited.ts';
import type { StoredPlan } from '../store/store.ts';
import type { AppDeps } from './deps.ts';
import { findDrone } from './drone-lookup.ts';
import { commandRateLimit } from './rate-limit.ts';

const PlanId = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Assignment = Type.Object({
  droneId: Type.String(), part: Type.String(), at: Type.String(), result: Type.Union([Type.Literal('started'), Type.Literal('failed')]),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});
export const StoredPlanSchema = Type.Intersect([PlanSchema, Type.Object({ id: Type.String(), createdAt: Type.String(), createdBy: Type.String(), assignments: Type.Array(Assignment) })]);

/** A stored plan as the API answers it. */
export function planView(p: StoredPlan) {
  return { ...(p.plan as Static<typeof PlanSchema>), id: p.id, createdAt: p.createdAt, createdBy: p.createdBy, assignments: p.assignments };
}

export function planRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const stored = (id: string) => {
    const p = deps.store.plans.get(id);
    if (!p) throw new AppError('PLAN_NOT_FOUND', `no plan ${id}`);
    return p;
  };
  const overwatch = deps.overwatch;
  const view = planView;

  return async (app) => {
    app.post('/api/plans', {
      config: { role: 'operator' },
      schema: {
        summary: 'Plan a patrol (coverage, perimeter, corridor, tour) or an overwatch; checked against the airspace, then stored',
        description: 'A route that crosses a no-fly zone, leaves the operating area or breaks the altitude band is refused with 400 AIRSPACE_VIOLATION (details: leg, zoneId, kind, byM); transits from the base go round no-fly zones.',
        tags: ['planning'], body: PlanRequest,
        response: withErrors({ 201: StoredPlanSchema }, 400, 422),
      },
    }, async (req, reply) => {
      const planned = makePlan(req.body, { airspace: airspaceOf(deps.store.geofences.list()) });
      const p = deps.store.plans.create({ createdBy: req.principal?.name ?? 'anonymous', kind: req.body.kind, request: req.body, plan: planned as unknown as Record<string, unknown> });
      return reply.status(201).send(view(p));
    });

    app.get('/api/plans', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Recent plans (summaries)', tags: ['planning'],
        response: { 200: Type.Object({ plans: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), createdAt: Type.String(), createdBy: Type.String(), lengthM: Type.Number(), durationS: Type.Number(), batteryPct: Type.Number() })) }) },
      },
    }, async () => ({
      plans: deps.store.plans.list(100).map((p) => ({ id: p.id, kind: p.kind, createdAt: p.createdAt, createdBy: p.createdBy, lengthM: p.plan.lengthM as number, durationS: p.plan.durationS as number, batteryPct: p.plan.batteryPct as number })),
    }));

    app.get('/api/plans/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One plan with its route, mission items and figures', tags: ['planning'], params: PlanId, response: withErrors({ 200: StoredPlanSchema }, 404) },
    }, async (req) => view(stored(req.params.id)));

    app.post('/api/plans/:id/assign', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Upload the plan to drones (one part each: the route, a sortie, or an overwatch station) and start it',
        description: 'Checked again against the current airspace first. Each drone\'s upload and start is audited; a drone that fails does not stop the others (see each assignment\'s result). A started drone patrols: an advisory case or an incident may pause it, and it resumes where it left off afterwards. A drone on an advisory case or an incident is refused (409 DRONE_BUSY).',
        tags: ['planning'], params: PlanId,
        body: Type.Object({ droneIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100, uniqueItems: true }) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ planId: Type.String(), assignments: Type.Array(Assignment) }) }, 400, 404, 409),
      },
    }, async (req) => {
      const p = stored(req.params.id);
      const sessions = req.body.droneIds.map((id) => findDrone(deps.fleet, id));
      // held while their part is uploaded and started: no dispatcher may take them meanwhile
      const holdId = `assigning:${p.id}:${randomUUID().slice(0, 8)}`;
      const held: string[] = [];
      for (const s of sessions) {
        if (!deps.patrols || deps.patrols.hold(s.id, holdId)) { held.push(s.id); continue; }
        for (const h of held) deps.tasks?.release(h, holdId);
        const task = deps.tasks?.taskOf(s.id);
        throw new AppError('DRONE_BUSY', `drone ${s.id} is on ${task?.kind} ${task?.id}: assign it when that is over`, { droneId: s.id, task: task?.kind, taskId: task?.id });
      }
      let assignments: Awaited<ReturnType<typeof assignPlan>> = [];
      try {
        assignments = await assignPlan(p, sessions, {
          missions: deps.missions,
          airspace: airspaceOf(deps.store.geofences.list()),
          nowIso: () => new Date(deps.clock.nowMs()).toISOString(),
          run: (droneId, part, fn) => audited(deps, req, droneId, 'plan:assign', { planId: p.id, part }, fn),
        });
        deps.store.plans.setAssignments(p.id, [...p.assignments, ...assignments]);
        for (const a of assignments) if (a.result === 'started') deps.patrols?.started(a.droneId, holdId, p.id, a.part);
      } finally {
        for (const h of held) deps.tasks?.release(h, holdId);
      }
      return { planId: p.id, assignments };
    });

    app.get('/api/plans/:id/status', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Where each assigned drone is in its part of the plan', tags: ['planning'], params: PlanId,
        response: withErrors({
          200: Type.Object({
            planId: Type.String(), parts: Type.Array(Type.String()),
            drones: Type.Array(Type.Object({
              droneId: Type.String(), part: Type.String(), result: Type.String(), connected: Type.Boolean(), mode: Type.String(),
              armed: Type.Boolean(), missionCurrent: Type.Integer(), missionCount: Type.Integer(),
            })),
          }),
        }, 404),
      },
    }, async (req) => {
      const p = stored(req.params.id);
      const latest = new Map(p.assignments.map((a) => [a.droneId, a]));
      return {
        planId: p.id,
        parts: partsOf(p.plan).map((x) => x.part),
        drones: [...latest.values()].map((a) => {
          const d = deps.fleet.get(a.droneId)?.state;
          return {
            droneId: a.droneId, part: a.part, result: a.result, connected: d?.connected ?? false, mode: d?.mode ?? 'UNKNOWN',
            armed: d?.armed ?? false, missionCurrent: d?.mission.current ?? 0, missionCount: d?.mission.count ?? 0,
          };
        }),
      };
    });

    const RunGap = Type.Object({ from: Type.String(), to: Type.Union([Type.String(), Type.Null()]), durationS: Type.Number() });
    const RunStatusSchema = Type.Object({
      planId: Type.String(), state: Type.Union([Type.Literal('running'), Type.Literal('finished'), Type.Literal('stopped')]),
      window: Type.Object({ start: Type.String(), end: Type.String() }), shiftS: Type.Number(), now: Type.String(),
      stations: Type.Array(Type.Object({
        stationId: Type.String(), holder: Type.Union([Type.String(), Type.Null()]), since: Type.Union([Type.String(), Type.Null()]), covered: Type.Boolean(),
        nextRelief: Type.Union([Type.Object({ launchAt: Type.String(), from: Type.String(), droneId: Type.Union([Type.String(), Type.Null()]), state: Type.String() }), Type.Null()]),
        coveredS: Type.Number(), uncoveredS: Type.Number(), gaps: Type.Array(RunGap),
      })),
      drones: Type.Array(Type.Object({
        droneId: Type.String(), state: Type.String(), stationId: Type.Union([Type.String(), Type.Null()]), sorties: Type.Integer(),
        batteryPct: Type.Union([Type.Number(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]),
      })),
      sorties: Type.Object({ total: Type.Integer(), done: Type.Integer(), pending: Type.Integer(), replacements: Type.Integer() }),
      log: Type.Array(Type.Object({ at: Type.String(), kind: Type.String(), droneId: Type.Optional(Type.String()), stationId: Type.Optional(Type.String()), detail: Type.Optional(Type.String()) })),
    });

    app.post('/api/plans/:id/run', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Fly an overwatch plan\'s relief schedule with these drones (slot k of the schedule starts as droneIds[k-1]; the rest are spares)',
        description: 'Launches each relief at its launchAt, hands over once the relief is on station, sends returning drones home, and replaces a drone that drops out (link lost, low battery, RTL or landing it was not told to do) with the nearest ready spare. `startAt` shifts the event window: an ISO time for the window start, or "now" to make the first launch now (demos). Every action sent to a drone is audited as operator `overwatch-runner`.',
        tags: ['planning'], params: PlanId,
        body: Type.Object({
          droneIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 200, uniqueItems: true }),
          startAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO time of the window start, or "now" (first launch now)' })),
        }, { additionalProperties: false }),
        response: withErrors({ 201: RunStatusSchema }, 400, 404, 409),
      },
    }, async (req, reply) => {
      const p = stored(req.params.id);
      const status = await audited(deps, req, null, 'plan:run', { planId: p.id, droneIds: req.body.droneIds, startAt: req.body.startAt ?? null },
        async () => overwatch.start(p.id, req.body.droneIds, req.body.startAt !== undefined ? { startAt: req.body.startAt } : {}));
      return reply.status(201).send(status);
    });

    app.get('/api/plans/:id/run', {
      config: { role: 'viewer' },
      schema: {
        summary: 'The overwatch run of a plan: per station who holds it and since when, the next relief, covered and uncovered seconds (measured from telemetry)',
        tags: ['planning'], params: PlanId, response: withErrors({ 200: RunStatusSchema }, 404),
      },
    }, async (req) => overwatch.status(stored(req.params.id).id));

    app.delete('/api/plans/:id/run', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: { summary: 'Stop the overwatch run: its flying drones are sent home (RTL)', tags: ['planning'], params: PlanId, response: withErrors({ 200: RunStatusSchema }, 404) },
    }, async (req) => {
      const p = stored(req.params.id);
      return audited(deps, req, null, 'plan:run-stop', { planId: p.id }, async () => overwatch.stop(p.id));
    });
  };
}
