/**
 * POST /api/drones/:id/signing: push a MAVLink 2 signing key to a vehicle (SETUP_SIGNING).
 * Admin only; audited without the key.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DroneParams, withErrors } from '../contracts/common.ts';
import { AppError } from '../errors.ts';
import { pushSigningKey } from '../mavlink/signing/setup-signing.ts';
import { MAX_SIGNING_TIMESTAMP, signingTimestampAt } from '../mavlink/signing/timestamp.ts';
import type { AppDeps } from './deps.ts';
import { audited } from './audited.ts';
import { findDrone } from './drone-lookup.ts';

const SENDS = 3;

export const SigningSetup = Type.Object({
  key: Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'the 32-byte key as 64 hex digits', examples: ['00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'] }),
  initialTimestamp: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SIGNING_TIMESTAMP, description: 'the vehicle\'s first signing timestamp, 10 µs units since 2015-01-01; default: now' })),
}, { additionalProperties: false });

export const SigningSent = Type.Object({
  result: Type.Literal('sent'),
  droneId: Type.String(),
  sends: Type.Integer(),
  acknowledged: Type.Literal(false),
  initialTimestamp: Type.Integer(),
  note: Type.String(),
});

export function signingRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/api/drones/:id/signing', {
      config: { role: 'admin' },
      schema: {
        summary: 'Push a MAVLink 2 signing key to a drone (SETUP_SIGNING); admin only',
        description: `SETUP_SIGNING has no acknowledgement: the message is sent ${SENDS} times and the answer says so (acknowledged: false). `
          + 'The drone signs with the new key from then on; the server verifies it only if the link is configured with the same key (EAGLE_MAVLINK ...?signing=<key>). '
          + '409 DRONE_BUSY while the drone is armed: a key change in flight would cut a signed link. An all-zero key with initialTimestamp 0 turns signing off on ArduPilot.',
        tags: ['drones'], params: DroneParams, body: SigningSetup,
        response: withErrors({ 200: SigningSent }, 400, 404, 409),
      },
    }, async (req) => {
      const session = findDrone(deps.fleet, req.params.id);
      if (session.state.armed) {
        throw new AppError('DRONE_BUSY', `${session.id} is armed: disarm before changing its signing key (a key change in flight would cut a signed link)`, { droneId: session.id });
      }
      const initialTimestamp = req.body.initialTimestamp ?? signingTimestampAt(deps.clock.nowMs());
      // never log the key itself
      req.log.info({ droneId: session.id, initialTimestamp }, 'signing key pushed to drone');
      try {
        const push = () => pushSigningKey(session.channel, { key: Buffer.from(req.body.key, 'hex'), initialTimestamp, clock: deps.clock, sends: SENDS });
        const sends = await audited(deps, req, session.id, 'signing:setup', { key: '(redacted)', initialTimestamp }, push);
        return {
          result: 'sent' as const, droneId: session.id, sends, acknowledged: false as const, initialTimestamp,
          note: `SETUP_SIGNING has no acknowledgement; sent ${sends} times. Check that the drone's frames verify on a link configured with this key.`,
        };
      } catch (err) {
        throw new AppError('BAD_REQUEST', (err as Error).message);
      }
    });
  };
}
