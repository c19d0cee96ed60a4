/**
 * Loudspeaker broadcasts (issue 6): speak a template or a free text from a drone, list the
 * history, list the templates. Sending needs the operator role and is audited word for word.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DroneParams, withErrors } from '../contracts/common.ts';
import { TEMPLATES } from '../warnings/templates.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';
import { findDrone } from './drone-lookup.ts';
import { commandRateLimit } from './rate-limit.ts';

const Lang = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'language of the text (BCP 47)' });
const State = Type.Union(['queued', 'playing', 'done', 'failed', 'stopped'].map((s) => Type.Literal(s)), { description: 'queued → playing → done | failed | stopped' });
const LatLon = Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) }, { additionalProperties: false });

const BroadcastBody = Type.Object({
  template: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a template id (GET /api/broadcast-templates); or give text' })),
  params: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.Union([Type.String({ maxLength: 40 }), Type.Number()]), { description: 'the template\'s parameters' })),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'free text, spoken word for word (audited)' })),
  clip: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'a pre-approved clip on the loudspeaker, instead of a template or text' })),
  lang: Lang,
  volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 80, description: 'percent' })),
  repeat: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 1 })),
  priority: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('urgent')], { description: 'urgent pre-empts what the speaker plays; default: the template\'s, else normal' })),
  voice: Type.Optional(Type.Union([Type.Literal('default'), Type.Literal('female'), Type.Literal('male')])),
  target: Type.Optional(Type.Object({ ...LatLon.properties }, { additionalProperties: false, description: 'what the broadcast is for: refused (OUT_OF_RANGE) when the drone is farther than the audible range' })),
}, { additionalProperties: false });

const Broadcast = Type.Object({
  id: Type.String({ examples: ['B12'] }),
  droneId: Type.String(),
  text: Type.String({ description: 'the text spoken, word for word (empty for a clip)' }),
  clipId: Type.Union([Type.Integer(), Type.Null()]),
  lang: Type.String(),
  state: State,
  at: Type.String({ format: 'date-time', description: 'when it was requested' }),
  template: Type.Union([Type.String(), Type.Null()]),
  params: Type.Union([Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])), Type.Null()]),
  operator: Type.String(),
  volume: Type.Integer(),
  repeat: Type.Integer(),
  priority: Type.String(),
  target: Type.Union([Type.Object({ lat: Type.Number(), lon: Type.Number() }), Type.Null()]),
  progress: Type.Integer({ description: 'percent' }),
  durationMs: Type.Union([Type.Integer(), Type.Null()], { description: 'the speaker\'s estimate of the playing time, every repeat included' }),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why it failed or stopped' }),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
});

const pick = (b: Record<string, unknown>) => {
  const { requestId: _r, voice: _v, ...rest } = b;
  return rest;
};

export function broadcastRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/api/drones/:id/broadcasts', {
      config: { role: 'operator', rateLimit: commandRateLimit(deps) },
      schema: {
        summary: 'Speak a template or a free text (or play a clip) from the drone\'s loudspeaker',
        description: 'Answers 202 once the broadcast is stored and sent; follow its state with GET /api/broadcasts. '
          + '409 NO_SPEAKER when the drone has no loudspeaker (or it fell silent), LINK_LOST when the drone\'s link is lost, '
          + 'OUT_OF_RANGE when a target is given and the drone is farther than the audible range. Audited word for word.',
        tags: ['broadcasts'], params: DroneParams, body: BroadcastBody,
        response: withErrors({ 202: Type.Object({ id: Type.String(), state: State }) }, 400, 404, 409),
      },
    }, async (req, reply) => {
      const session = findDrone(deps.fleet, req.params.id);
      const operator = req.principal?.name ?? 'anonymous';
      const started = await audited(deps, req, session.id, 'broadcast', req.body, async () => deps.broadcasts.broadcast(session, req.body, operator));
      return reply.status(202).send({ id: started.broadcast.id, state: started.broadcast.state });
    });

    app.get('/api/broadcasts', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Broadcasts, newest first', tags: ['broadcasts'],
        querystring: Type.Object({
          droneId: Type.Optional(Type.String({ maxLength: 64 })), state: Type.Optional(State),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
          before: Type.Optional(Type.String({ maxLength: 32, description: 'broadcasts older than this id (paging)' })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ broadcasts: Type.Array(Broadcast) }) },
      },
    }, async (req) => ({ broadcasts: deps.store.broadcasts.list(req.query as { state?: 'queued' }).map((b) => pick(b as unknown as Record<string, unknown>)) as never }));

    app.get('/api/broadcasts/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One broadcast', tags: ['broadcasts'], params: Type.Object({ id: Type.String({ maxLength: 32 }) }), response: withErrors({ 200: Broadcast }, 404) },
    }, async (req) => pick(deps.broadcasts.get(req.params.id) as unknown as Record<string, unknown>) as never);

    app.post('/api/broadcasts/:id/stop', {
      config: { role: 'operator' },
      schema: {
        summary: 'Stop a broadcast (queued or playing); answers once the loudspeaker confirmed', tags: ['broadcasts'],
        params: Type.Object({ id: Type.String({ maxLength: 32 }) }), response: withErrors({ 200: Broadcast }, 404, 409, 504),
      },
    }, async (req) => {
      const b = deps.broadcasts.get(req.params.id);
      const stopped = await audited(deps, req, b.droneId, 'broadcast:stop', { id: b.id }, () => deps.broadcasts.stop(b.id));
      return pick(stopped as unknown as Record<string, unknown>) as never;
    });

    app.get('/api/broadcast-templates', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Broadcast templates in zh-CN and English, with their parameters', tags: ['broadcasts'],
        response: {
          200: Type.Object({
            templates: Type.Array(Type.Object({
              id: Type.String(), title: Type.Record(Type.String(), Type.String()), priority: Type.String(),
              params: Type.Array(Type.Object({ name: Type.String(), description: Type.String(), required: Type.Boolean(), default: Type.Optional(Type.Record(Type.String(), Type.String())) })),
              text: Type.Record(Type.String(), Type.String({ description: 'the pattern: {name} is replaced by the parameter' })),
            })),
          }),
        },
      },
    }, async () => ({
      templates: TEMPLATES.map((t) => ({
        id: t.id, title: t.title, priority: t.priority, text: t.text,
        params: t.params.map((p) => ({ name: p.name, description: p.description, required: !p.default, ...(p.default ? { default: p.default } : {}) })),
      })),
    }));
  };
}
