/**
 * Traffic monitoring (CONTRACT.md "Workflows": `POST /api/roads` · `GET /api/traffic`): road
 * segments, their levels and level changes, a corridor patrol over a road, junctions to station
 * drones over, and traffic-guidance broadcasts aimed at a road's slow traffic. Sightings come in
 * through POST /api/observations (api/advisories.ts). See docs/traffic.md.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../contracts/common.ts';
import { Road, RoadBody, TrafficEvent, TrafficLevel, TrafficSegment, type RoadInput } from '../contracts/road.ts';
import { AppError } from '../errors.ts';
import { airspaceOf } from '../fleet/airspace-of.ts';
import { plan as makePlan, CorridorRequest } from '../planning/index.ts';
import type { Store } from '../store/store.ts';
import { findJunctions } from '../traffic/junctions.ts';
import { lineLengthM } from '../traffic/road-matcher.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';
import { findDrone } from './drone-lookup.ts';
import { planView, StoredPlanSchema } from './plans.ts';
import { commandRateLimit } from './rate-limit.ts';

const RoadParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const MIN_LENGTH_M = 10;
const MAX_LENGTH_M = 100_000;
/** Template parameter values: at most 40 characters, no control characters or braces (server/warnings/templates.ts). */
// eslint-disable-next-line no-control-regex
const FITS_TEMPLATE = /^[^\u0000-\u001f\u007f{}]{1,40}$/;

const PatrolBody = Type.Omit(CorridorRequest, ['kind', 'path'], { description: 'a corridor plan\'s options; the path is the road' });

const GuidanceBody = Type.Object({
  droneId: Type.String({ minLength: 1, maxLength: 64, description: 'the drone whose loudspeaker speaks (within audible range of the road\'s slow traffic)' }),
  lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' })),
  params: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.Union([Type.String({ maxLength: 40 }), Type.Number()]), {
    description: 'the traffic-guidance template\'s parameters: road (default: the road\'s name when it fits in 40 characters), detour',
  })),
  volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  repeat: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
}, { additionalProperties: false });

/** The body as stored, after the checks a schema cannot make. */
function roadInput(body: RoadBody): RoadInput {
  const lengthM = lineLengthM(body.geometry.coordinates);
  if (lengthM < MIN_LENGTH_M) throw new AppError('BAD_REQUEST', `geometry: the road is ${lengthM.toFixed(1)} m long; a segment must be at least ${MIN_LENGTH_M} m`, { lengthM });
  if (lengthM > MAX_LENGTH_M) throw new AppError('BAD_REQUEST', `geometry: the road is ${(lengthM / 1000).toFixed(1)} km long; split it into segments of at most ${MAX_LENGTH_M / 1000} km`, { lengthM });
  return { name: body.name, geometry: body.geometry, direction: body.direction ?? 'both', freeFlowMps: body.freeFlowMps, ...(body.lanes !== undefined ? { lanes: body.lanes } : {}) };
}

function road(store: Store, id: string): Road {
  const r = store.roads.get(id);
  if (!r) throw new AppError('NOT_FOUND', `no road ${id}`, { roadId: id });
  return r;
}

export function trafficRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const traffic = deps.traffic;
  return async (app) => {
    app.post('/api/roads', {
      config: { role: 'operator' },
      schema: {
        summary: 'Add a road segment (a LineString with a name, direction of travel and free-flow speed)', tags: ['traffic'],
        body: RoadBody, response: withErrors({ 201: Road }, 400),
      },
    }, async (req, reply) => {
      const input = roadInput(req.body);
      const created = await audited(deps, req, null, 'road:create', input, async () => deps.store.roads.create(input));
      traffic.roadsChanged();
      return reply.status(201).send(created);
    });

    app.get('/api/roads', {
      config: { role: 'viewer' },
      schema: { summary: 'Every road segment', tags: ['traffic'], response: { 200: Type.Object({ roads: Type.Array(Road) }) } },
    }, async () => ({ roads: deps.store.roads.list() }));

    app.get('/api/roads/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One road segment', tags: ['traffic'], params: RoadParams, response: withErrors({ 200: Road }, 404) },
    }, async (req) => road(deps.store, req.params.id));

    app.put('/api/roads/:id', {
      config: { role: 'operator' },
      schema: {
        summary: 'Replace a road segment (its level and recent sightings are kept)', tags: ['traffic'],
        params: RoadParams, body: RoadBody, response: withErrors({ 200: Road }, 400, 404),
      },
    }, async (req) => {
      const input = roadInput(req.body);
      const updated = await audited(deps, req, null, 'road:update', { id: req.params.id, ...input }, async () => {
        const r = deps.store.roads.update(req.params.id, input);
        if (!r) throw new AppError('NOT_FOUND', `no road ${req.params.id}`, { roadId: req.params.id });
        return r;
      });
      traffic.roadsChanged();
      return updated;
    });

    app.delete('/api/roads/:id', {
      config: { role: 'operator' },
      schema: {
        summary: 'Remove a road segment', tags: ['traffic'], params: RoadParams,
        response: withErrors({ 200: Type.Object({ result: Type.Literal('deleted'), id: Type.String() }) }, 404),
      },
    }, async (req) => {
      await audited(deps, req, null, 'road:delete', { id: req.params.id }, async () => {
        if (!deps.store.roads.delete(req.params.id)) throw new AppError('NOT_FOUND', `no road ${req.params.id}`, { roadId: req.params.id });
      });
      traffic.roadsChanged();
      return { result: 'deleted' as const, id: req.params.id };
    });

    app.get('/api/traffic', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every road segment\'s traffic level (free, slow, congested, jammed) with its mean speed and density',
        description: 'Levels come from speed relative to free flow and from density over a sliding window, with hysteresis (docs/traffic.md).',
        tags: ['traffic'],
        querystring: Type.Object({ level: Type.Optional(TrafficLevel) }, { additionalProperties: false }),
        response: { 200: Type.Object({ segments: Type.Array(TrafficSegment) }) },
      },
    }, async (req) => ({ segments: traffic.segments().filter((s) => !req.query.level || s.level === req.query.level) }));

    app.get('/api/traffic/events', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Traffic level changes, newest first (also sent on /api/stream as `traffic` events)', tags: ['traffic'],
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          roadId: Type.Optional(Type.String({ maxLength: 64 })),
          before: Type.Optional(Type.Integer({ minimum: 1, description: 'changes older than this event id (paging)' })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ events: Type.Array(TrafficEvent) }) },
      },
    }, async (req) => ({ events: traffic.events(req.query) }));

    app.get('/api/traffic/junctions', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Junctions of the road segments (crossings, and ends within 15 m of another road)',
        description: 'To station drones over junctions, POST /api/plans a `tour` with these points and `hoverS` (time on station at each).',
        tags: ['traffic'],
        response: { 200: Type.Object({ junctions: Type.Array(Type.Object({ lat: Type.Number(), lon: Type.Number(), roadIds: Type.Array(Type.String()) })) }) },
      },
    }, async () => ({ junctions: findJunctions(deps.store.roads.list().map((r) => ({ id: r.id, coordinates: r.geometry.coordinates, direction: r.direction }))) }));

    app.post('/api/roads/:id/patrol-plan', {
      config: { role: 'operator' },
      schema: {
        summary: 'Plan a corridor patrol along the road (stored like POST /api/plans; fly it with POST /api/plans/:id/assign)',
        description: 'The road\'s centre line is the corridor\'s path; the body takes a corridor plan\'s options. Checked against the airspace: 400 AIRSPACE_VIOLATION.',
        tags: ['traffic', 'planning'], params: RoadParams, body: PatrolBody,
        response: withErrors({ 201: StoredPlanSchema }, 400, 404, 422),
      },
    }, async (req, reply) => {
      const r = road(deps.store, req.params.id);
      const request: CorridorRequest = { ...req.body, kind: 'corridor', path: { type: 'LineString', coordinates: r.geometry.coordinates } };
      const stored = await audited(deps, req, null, 'road:patrol-plan', { roadId: r.id, ...req.body }, async () => {
        const planned = makePlan(request, { airspace: airspaceOf(deps.store.geofences.list()) });
        return deps.store.plans.create({ createdBy: req.principal?.name ?? 'anonymous', kind: 'corridor', request: { ...request, roadId: r.id }, plan: planned as unknown as Record<string, unknown> });
      });
      return reply.status(201).send(planView(stored));
    });

    app.post('/api/roads/:id/broadcasts', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Speak the traffic-guidance template from a drone over the road, aimed at its slow traffic (or its middle)',
        description: 'Goes through the same broadcast path as POST /api/drones/:id/broadcasts (stored, audited, followed with GET /api/broadcasts): '
          + '409 OUT_OF_RANGE when the drone is farther than the audible range from the target, NO_SPEAKER, LINK_LOST.',
        tags: ['traffic', 'broadcasts'], params: RoadParams, body: GuidanceBody,
        response: withErrors({
          202: Type.Object({
            id: Type.String(), state: Type.String(), droneId: Type.String(), roadId: Type.String(), level: TrafficLevel, text: Type.String(),
            target: Type.Object({ lat: Type.Number(), lon: Type.Number(), onSlowTraffic: Type.Boolean({ description: 'aimed at the slow traffic (else the middle of the road)' }) }),
          }),
        }, 400, 404, 409),
      },
    }, async (req, reply) => {
      const r = road(deps.store, req.params.id);
      const session = findDrone(deps.fleet, req.body.droneId);
      const spot = traffic.hotspot(r.id);
      const level = traffic.segment(r.id)?.level;
      if (!spot || !level) throw new AppError('NOT_FOUND', `road ${r.id} is not monitored (yet): try again in a moment`);
      const params = { ...(FITS_TEMPLATE.test(r.name) ? { road: r.name } : {}), ...req.body.params };
      const input = {
        template: 'traffic-guidance', params, lang: req.body.lang ?? 'zh-CN' as const, target: { lat: spot.lat, lon: spot.lon },
        ...(req.body.volume !== undefined ? { volume: req.body.volume } : {}), ...(req.body.repeat !== undefined ? { repeat: req.body.repeat } : {}),
      };
      const operator = req.principal?.name ?? 'anonymous';
      const started = await audited(deps, req, session.id, 'broadcast', { roadId: r.id, ...input }, async () => deps.broadcasts.broadcast(session, input, operator));
      const b = started.broadcast;
      return reply.status(202).send({ id: b.id, state: b.state, droneId: session.id, roadId: r.id, level, text: b.text, target: spot });
    });
  };
}
