import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CommandAccepted, DroneCommand } from '../contracts/command.ts';
import { DroneParams, withErrors } from '../contracts/common.ts';
import { Drone } from '../contracts/drone.ts';
import { airspaceOf } from '../fleet/airspace-of.ts';
import { executeCommand } from '../fleet/drone-commands.ts';
import { checkAirspace } from '../fleet/plan-assignment.ts';
import type { Airspace } from '../planning/index.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';
import { commandRateLimit } from './rate-limit.ts';
import { findDrone } from './drone-lookup.ts';

export function droneRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/drones', {
      config: { role: 'viewer' },
      schema: { summary: 'Every drone the server knows', tags: ['drones'], response: { 200: Type.Object({ drones: Type.Array(Drone) }) } },
    }, async () => ({ drones: deps.fleet.list() }));

    app.get('/api/drones/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One drone', tags: ['drones'], params: DroneParams, response: withErrors({ 200: Drone }, 404) },
    }, async (req) => findDrone(deps.fleet, req.params.id).state);

    app.patch('/api/drones/:id', {
      config: { role: 'admin' },
      schema: {
        summary: 'Registry data of a drone: call sign, notes, settings', tags: ['drones'], params: DroneParams,
        body: Type.Object({
          callsign: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })), notes: Type.Optional(Type.String({ maxLength: 2000 })),
          settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }, { additionalProperties: false, minProperties: 1 }),
        response: withErrors({ 200: Drone }, 400, 404),
      },
    }, async (req) => {
      const session = findDrone(deps.fleet, req.params.id);
      const updated = await audited(deps, req, session.id, 'drone:update', req.body, async () => deps.store.drones.update(session.id, req.body));
      if (updated) session.state.callsign = updated.callsign;
      return session.state;
    });

    app.post('/api/drones/:id/commands', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Send one command; answers when the drone accepted or refused it',
        description: 'takeoff on a disarmed drone sets the mode the firmware needs, arms and takes off. 409 COMMAND_DENIED carries details.mavResult and the drone\'s reason; 504 COMMAND_TIMEOUT when it never answered.',
        tags: ['drones'], params: DroneParams, body: DroneCommand,
        response: withErrors({ 200: CommandAccepted }, 400, 404, 409, 504),
      },
    }, async (req) => {
      const session = findDrone(deps.fleet, req.params.id);
      const startedMs = deps.clock.nowMs();
      req.log.info({ droneId: session.id, command: req.body }, 'command requested');
      const result = (outcome: string, extra: Record<string, unknown> = {}) => deps.fleet.publish({
        kind: 'command-result', droneId: session.id, at: new Date(deps.clock.nowMs()).toISOString(), command: req.body.type, result: outcome, durationMs: deps.clock.nowMs() - startedMs, ...extra,
      });
      try {
        await audited(deps, req, session.id, `command:${req.body.type}`, req.body, async () => {
          if (req.body.type === 'goto') checkGoto(session.state, req.body, airspaceOf(deps.store.geofences.list()));
          if (req.body.type === 'takeoff' && session.state.position) {
            checkAirspace([{ lat: session.state.position.lat, lon: session.state.position.lon, altitudeM: req.body.altitudeM }], airspaceOf(deps.store.geofences.list()));
          }
          await executeCommand(session, req.body);
        });
      } catch (err) {
        req.log.warn({ droneId: session.id, command: req.body.type, err: (err as Error).message }, 'command failed');
        result((err as { code?: string }).code ?? 'INTERNAL', { message: (err as Error).message });
        throw err;
      }
      result('accepted');
      return { result: 'accepted' as const, droneId: session.id, command: req.body.type, durationMs: deps.clock.nowMs() - startedMs };
    });
  };
}

/** A goto is checked before anything is sent: the straight leg from where the drone is to the target. */
function checkGoto(drone: Drone, target: { lat: number; lon: number; altitudeM: number }, airspace: Airspace): void {
  const from = drone.position ? [{ lat: drone.position.lat, lon: drone.position.lon, altitudeM: Math.max(drone.position.altRelM, 0) }] : [];
  checkAirspace([...from, target], airspace);
}
