/** GET /api/me: who the bearer token belongs to (the console decides what to show from the role). */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../contracts/common.ts';

export const Me = Type.Object({
  name: Type.String(),
  role: Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]),
});

export function meRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/me', {
      config: { role: 'viewer' },
      schema: { summary: 'The operator behind the token: name and role', tags: ['operators'], response: withErrors({ 200: Me }, 401) },
    }, async (req) => ({ name: req.principal!.name, role: req.principal!.role }));
  };
}
