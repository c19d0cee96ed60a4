/** Plans: planned (and checked against the airspace) on POST, stored, assigned to drones. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../contracts/common.ts';
import { AppError } from '../errors.ts';
import { airspaceOf } from '../fleet/airspace-of.ts';
import { assignPlan, partsOf } from '../fleet/plan-assignment.ts';
import { plan as makePlan, PlanRequest, PlanSchema } from '../planning/index.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';
import { findDrone } from './drone-lookup.ts';
import { commandRateLimit } from './rate-limit.ts';

const PlanId = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Assignment = Type.Object({
  droneId: Type.String(), part: Type.String(), at: Type.String(), result: Type.Union([Type.Literal('started'), Type.Literal('failed')]),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});
const StoredPlanSchema = Type.Intersect([PlanSchema, Type.Object({ id: Type.String(), createdAt: Type.String(), createdBy: Type.String(), assignments: Type.Array(Assignment) })]);

export function planRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const stored = (id: string) => {
    const p = deps.store.plans.get(id);
    if (!p) throw new AppError('PLAN_NOT_FOUND', `no plan ${id}`);
    return p;
  };
  const view = (p: NonNullable<ReturnType<typeof deps.store.plans.get>>) => ({ ...(p.plan as Static<typeof PlanSchema>), id: p.id, createdAt: p.createdAt, createdBy: p.createdBy, assignments: p.assignments });

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
        description: 'Checked again against the current airspace first. Each drone\'s upload and start is audited; a drone that fails does not stop the others (see each assignment\'s result).',
        tags: ['planning'], params: PlanId,
        body: Type.Object({ droneIds: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 100, uniqueItems: true }) }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ planId: Type.String(), assignments: Type.Array(Assignment) }) }, 400, 404),
      },
    }, async (req) => {
      const p = stored(req.params.id);
      const sessions = req.body.droneIds.map((id) => findDrone(deps.fleet, id));
      const assignments = await assignPlan(p, sessions, {
        missions: deps.missions,
        airspace: airspaceOf(deps.store.geofences.list()),
        nowIso: () => new Date(deps.clock.nowMs()).toISOString(),
        run: (droneId, part, fn) => audited(deps, req, droneId, 'plan:assign', { planId: p.id, part }, fn),
      });
      deps.store.plans.setAssignments(p.id, [...p.assignments, ...assignments]);
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
  };
}
