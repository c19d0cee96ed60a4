/** Geofences: an operating area and no-fly zones; every plan and goto is checked against them. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DroneParams, withErrors } from '../contracts/common.ts';
import { Geofence, GeofenceBody } from '../contracts/geofence.ts';
import { AppError } from '../errors.ts';
import { fenceItems } from '../fleet/fence-items.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';
import { findDrone } from './drone-lookup.ts';
import { commandRateLimit } from './rate-limit.ts';

/** Light-UAV rules: 120 m above take-off unless the operating area says lower. */
export const DEFAULT_CEILING_M = 120;

/** What the schema cannot say about a fence body. */
function checkFence(body: GeofenceBody): void {
  if (Boolean(body.geometry) === Boolean(body.circle)) throw new AppError('BAD_REQUEST', 'give exactly one of geometry (a Polygon) or circle');
  if (body.floorM !== undefined && body.ceilingM !== undefined && body.floorM >= body.ceilingM) {
    throw new AppError('BAD_REQUEST', `floorM (${body.floorM}) must be below ceilingM (${body.ceilingM})`);
  }
  const ring = body.geometry?.coordinates[0];
  if (ring && (ring[0]![0] !== ring.at(-1)![0] || ring[0]![1] !== ring.at(-1)![1])) {
    throw new AppError('BAD_REQUEST', 'geometry.coordinates[0]: a polygon ring must be closed (first position = last position)');
  }
}

const FenceId = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function geofenceRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/api/geofences', {
      config: { role: 'operator' },
      schema: {
        summary: 'Add an operating area or a no-fly zone (a polygon, or a circle)', tags: ['airspace'], body: GeofenceBody,
        response: withErrors({ 201: Geofence }, 400),
      },
    }, async (req, reply) => {
      checkFence(req.body);
      const fence = await audited(deps, req, null, 'geofence:create', req.body, async () => deps.store.geofences.create(req.body));
      return reply.status(201).send(fence);
    });

    app.put('/api/geofences/:id', {
      config: { role: 'operator' },
      schema: { summary: 'Replace a geofence', tags: ['airspace'], params: FenceId, body: GeofenceBody, response: withErrors({ 200: Geofence }, 400, 404) },
    }, async (req) => {
      checkFence(req.body);
      return audited(deps, req, null, 'geofence:replace', { id: req.params.id, ...req.body }, async () => {
        const fence = deps.store.geofences.replace(req.params.id, req.body);
        if (!fence) throw new AppError('NOT_FOUND', `no geofence ${req.params.id}`);
        return fence;
      });
    });

    app.get('/api/geofences', {
      config: { role: 'viewer' },
      schema: { summary: 'Every geofence', tags: ['airspace'], response: { 200: Type.Object({ geofences: Type.Array(Geofence) }) } },
    }, async () => ({ geofences: deps.store.geofences.list() }));

    app.get('/api/geofences/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One geofence', tags: ['airspace'], params: FenceId, response: withErrors({ 200: Geofence }, 404) },
    }, async (req) => {
      const fence = deps.store.geofences.get(req.params.id);
      if (!fence) throw new AppError('NOT_FOUND', `no geofence ${req.params.id}`);
      return fence;
    });

    app.delete('/api/geofences/:id', {
      config: { role: 'operator' },
      schema: { summary: 'Remove a geofence', tags: ['airspace'], params: FenceId, response: withErrors({ 200: Type.Object({ result: Type.Literal('deleted'), id: Type.String() }) }, 404) },
    }, async (req) => {
      await audited(deps, req, null, 'geofence:delete', { id: req.params.id }, async () => {
        if (!deps.store.geofences.delete(req.params.id)) throw new AppError('NOT_FOUND', `no geofence ${req.params.id}`);
      });
      return { result: 'deleted' as const, id: req.params.id };
    });

    app.post('/api/drones/:id/fence', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Upload every stored geofence to the drone (FENCE mission type) and enable it, with the operating area\'s ceiling (default 120 m), so that the drone enforces them itself', tags: ['airspace'],
        params: DroneParams, response: withErrors({ 200: Type.Object({ result: Type.Literal('accepted'), count: Type.Integer(), ceilingM: Type.Number() }) }, 404, 409, 504),
      },
    }, async (req) => {
      const session = findDrone(deps.fleet, req.params.id);
      const fences = deps.store.geofences.list();
      const ceilingM = Math.min(DEFAULT_CEILING_M, ...fences.filter((f) => f.kind === 'operating-area' && f.ceilingM !== undefined).map((f) => f.ceilingM!));
      const { count } = await audited(deps, req, session.id, 'fence:upload', { geofences: fences.map((f) => f.id), ceilingM }, async () => {
        const uploaded = await deps.missions.upload(session, 'fence', fenceItems(fences));
        await session.adapter.enableFence(session.control, ceilingM);
        return uploaded;
      });
      return { result: 'accepted' as const, count, ceilingM };
    });
  };
}
