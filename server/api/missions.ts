import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DroneParams, withErrors } from '../contracts/common.ts';
import { MissionBody, MissionItem, MissionQuery } from '../contracts/mission.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';
import { commandRateLimit } from './rate-limit.ts';
import { findDrone } from './drone-lookup.ts';

const TypeQuery = { querystring: MissionQuery };

export function missionRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.put('/api/drones/:id/mission', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Validate and upload a mission (or, with ?type=fence|rally, a fence or rally points)', tags: ['missions'],
        params: DroneParams, body: MissionBody, ...TypeQuery,
        response: withErrors({ 200: Type.Object({ result: Type.Literal('accepted'), count: Type.Integer() }) }, 400, 404, 409, 504),
      },
    }, async (req) => {
      const session = findDrone(deps.fleet, req.params.id);
      const type = req.query.type ?? 'mission';
      const { count } = await audited(deps, req, session.id, `mission:upload:${type}`, req.body, () => deps.missions.upload(session, type, req.body.items));
      return { result: 'accepted' as const, count };
    });

    app.get('/api/drones/:id/mission', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Download the mission from the vehicle', tags: ['missions'], params: DroneParams, ...TypeQuery,
        response: withErrors({
          200: Type.Object({
            items: Type.Array(MissionItem),
            firstSeq: Type.Integer({ description: 'the vehicle\'s sequence number of items[0] (1 on ArduPilot, which keeps home as item 0): the drone\'s mission.current counts from it' }),
          }),
        }, 404, 409, 504),
      },
    }, async (req) => deps.missions.downloadNumbered(findDrone(deps.fleet, req.params.id), req.query.type ?? 'mission'));

    app.delete('/api/drones/:id/mission', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Clear the mission on the vehicle', tags: ['missions'], params: DroneParams, ...TypeQuery,
        response: withErrors({ 200: Type.Object({ result: Type.Literal('cleared') }) }, 404, 409, 504),
      },
    }, async (req) => {
      const session = findDrone(deps.fleet, req.params.id);
      const type = req.query.type ?? 'mission';
      await audited(deps, req, session.id, `mission:clear:${type}`, { type }, () => deps.missions.clear(session, type));
      return { result: 'cleared' as const };
    });

    app.post('/api/drones/:id/mission/start', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Start the uploaded mission (arms on the ground first where the firmware needs it)', tags: ['missions'], params: DroneParams,
        response: withErrors({ 200: Type.Object({ result: Type.Literal('accepted') }) }, 404, 409, 504),
      },
    }, async (req) => {
      const session = findDrone(deps.fleet, req.params.id);
      await audited(deps, req, session.id, 'mission:start', {}, () => deps.missions.start(session));
      return { result: 'accepted' as const };
    });
  };
}
