import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from './deps.ts';

const Health = Type.Object({ status: Type.Literal('ok'), version: Type.String(), uptimeS: Type.Number(), drones: Type.Integer() });

export function healthRoutes(deps: AppDeps, startedAtMs: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/health', { config: { role: 'public' }, schema: { summary: 'Liveness and fleet size', tags: ['system'], response: { 200: Health } } }, async () => ({
      status: 'ok' as const,
      version: deps.version,
      uptimeS: Math.round((deps.clock.nowMs() - startedAtMs) / 100) / 10,
      drones: deps.fleet.size,
    }));
  };
}
