/** Parking zones, vehicle sightings, and the advisory cases they open. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../contracts/common.ts';
import { ObservationBatch, Zone, ZoneBody } from '../contracts/zone.ts';
import { AppError } from '../errors.ts';
import type { AdvisoryService } from '../warnings/advisory-service.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';

const Step = Type.Object({ state: Type.String(), at: Type.String(), note: Type.Optional(Type.String()) });
const Advisory = Type.Object({
  id: Type.String(), zoneId: Type.String(), trackId: Type.String(),
  state: Type.String({ description: 'detected, dispatched, on-scene, broadcasting, verifying, complied or escalated' }),
  droneId: Type.Union([Type.String(), Type.Null()]), lat: Type.Number(), lon: Type.Number(), broadcasts: Type.Integer(), maxBroadcasts: Type.Integer(),
  steps: Type.Array(Step), reason: Type.Optional(Type.String()),
});

export function advisoryRoutes(deps: AppDeps, advisories: AdvisoryService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/api/zones', {
      config: { role: 'operator' },
      schema: { summary: 'Add a parking zone (temporary stop, no parking, fire lane) with its maximum dwell', tags: ['parking'], body: ZoneBody, response: withErrors({ 201: Zone }, 400) },
    }, async (req, reply) => {
      const ring = req.body.geometry.coordinates[0]!;
      if (ring[0]![0] !== ring.at(-1)![0] || ring[0]![1] !== ring.at(-1)![1]) throw new AppError('BAD_REQUEST', 'geometry.coordinates[0]: a polygon ring must be closed (first position = last position)');
      const zone = await audited(deps, req, null, 'zone:create', req.body, async () => deps.store.zones.create(req.body));
      advisories.zonesChanged();
      return reply.status(201).send(zone);
    });

    app.get('/api/zones', {
      config: { role: 'viewer' },
      schema: { summary: 'Every parking zone', tags: ['parking'], response: { 200: Type.Object({ zones: Type.Array(Zone) }) } },
    }, async () => ({ zones: deps.store.zones.list() }));

    app.delete('/api/zones/:id', {
      config: { role: 'operator' },
      schema: { summary: 'Remove a parking zone', tags: ['parking'], params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: withErrors({ 200: Type.Object({ result: Type.Literal('deleted'), id: Type.String() }) }, 404) },
    }, async (req) => {
      await audited(deps, req, null, 'zone:delete', { id: req.params.id }, async () => {
        if (!deps.store.zones.delete(req.params.id)) throw new AppError('NOT_FOUND', `no zone ${req.params.id}`);
      });
      advisories.zonesChanged();
      return { result: 'deleted' as const, id: req.params.id };
    });

    app.post('/api/observations', {
      config: { role: 'operator' },
      schema: {
        summary: 'Vehicle sightings from video analytics (batched); late and out-of-order sightings are placed by their time',
        description: 'Every sighting goes to the parking loop. Sightings with a speed (and heading) are also placed on the nearest road segment for traffic monitoring, '
          + 'and `segmentCounts` (vehicles on a whole segment) go to traffic monitoring only; `traffic` in the answer says what it took (docs/traffic.md).',
        tags: ['parking', 'traffic'], body: ObservationBatch,
        response: withErrors({
          202: Type.Object({
            accepted: Type.Integer(), stale: Type.Integer(), opened: Type.Array(Type.String({ description: 'advisory cases opened by this batch' })),
            traffic: Type.Object({
              matched: Type.Integer({ description: 'sightings placed on a road segment' }), unmatched: Type.Integer({ description: 'sightings with a speed on no known road' }),
              ignored: Type.Integer({ description: 'no speed, low confidence, or inside a parking zone' }), stale: Type.Integer(), counts: Type.Integer(),
              unknownRoads: Type.Array(Type.String(), { description: 'road ids of segment counts for roads that do not exist (dropped)' }),
            }),
          }),
        }, 400),
      },
    }, async (req, reply) => {
      const observations = req.body.observations ?? [];
      const counts = req.body.segmentCounts ?? [];
      if (observations.length + counts.length === 0) throw new AppError('BAD_REQUEST', 'body: a batch needs at least one entry in observations or segmentCounts');
      const parking = observations.length ? advisories.ingest(observations) : { accepted: 0, stale: 0, opened: [] };
      return reply.status(202).send({ ...parking, traffic: deps.traffic.ingest(observations, counts) });
    });

    app.get('/api/advisories', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Advisory cases, newest first, with every step and its time', tags: ['parking'],
        querystring: Type.Object({ state: Type.Optional(Type.String({ maxLength: 32 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ advisories: Type.Array(Advisory) }) },
      },
    }, async (req) => ({ advisories: advisories.list(req.query) }));
  };
}
