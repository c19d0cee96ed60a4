/** Stored events and downsampled tracks, for the log panel and replay on the map. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DroneParams } from '../contracts/common.ts';
import type { AppDeps } from './deps.ts';

export function historyRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/events', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Stored drone events, newest first', tags: ['history'],
        querystring: Type.Object({
          droneId: Type.Optional(Type.String({ maxLength: 64 })), kind: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })), before: Type.Optional(Type.Integer({ minimum: 1 })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ events: Type.Array(Type.Object({ id: Type.Integer(), at: Type.String(), droneId: Type.Union([Type.String(), Type.Null()]), kind: Type.String(), data: Type.Record(Type.String(), Type.Unknown()) })) }) },
      },
    }, async (req) => ({ events: deps.store.events.list(req.query) }));

    app.get('/api/drones/:id/track', {
      config: { role: 'viewer' },
      schema: {
        summary: 'The drone\'s flown track (1 Hz while flying) between two times', tags: ['history'], params: DroneParams,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ droneId: Type.String(), points: Type.Array(Type.Object({ at: Type.String(), lat: Type.Number(), lon: Type.Number(), altRelM: Type.Number() })) }) },
      },
    }, async (req) => {
      const fromMs = req.query.from ? Date.parse(req.query.from) : 0;
      const toMs = req.query.to ? Date.parse(req.query.to) : deps.clock.nowMs();
      const points = deps.store.tracks.list(req.params.id, fromMs, toMs, req.query.limit ?? 10_000);
      return { droneId: req.params.id, points: points.map((p) => ({ at: new Date(p.atMs).toISOString(), lat: p.lat, lon: p.lon, altRelM: p.altRelM })) };
    });
  };
}
