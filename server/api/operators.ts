/** Operators and their tokens (admin only). A token is shown once, at creation. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { hashToken, newToken } from '../auth/tokens.ts';
import { withErrors } from '../contracts/common.ts';
import { AppError } from '../errors.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';

const RoleSchema = Type.Union([Type.Literal('viewer'), Type.Literal('operator'), Type.Literal('admin')]);
const OperatorSchema = Type.Object({ id: Type.String(), name: Type.String(), role: RoleSchema, createdAt: Type.String() });

export function operatorRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/operators', {
      config: { role: 'admin' },
      schema: { summary: 'Active operators', tags: ['operators'], response: { 200: Type.Object({ operators: Type.Array(OperatorSchema) }) } },
    }, async () => ({ operators: deps.store.operators.list().map(({ id, name, role, createdAt }) => ({ id, name, role, createdAt })) }));

    app.post('/api/operators', {
      config: { role: 'admin' },
      schema: {
        summary: 'Create an operator; the answer holds its token, shown only here', tags: ['operators'],
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }), role: RoleSchema }, { additionalProperties: false }),
        response: withErrors({ 201: Type.Object({ id: Type.String(), name: Type.String(), role: RoleSchema, token: Type.String() }) }, 400),
      },
    }, async (req, reply) => {
      const token = newToken();
      const op = await audited(deps, req, null, 'operator:create', req.body, async () => deps.store.operators.create({ ...req.body, tokenHash: hashToken(token) }));
      return reply.status(201).send({ id: op.id, name: op.name, role: op.role, token });
    });

    app.delete('/api/operators/:id', {
      config: { role: 'admin' },
      schema: {
        summary: 'Revoke an operator and all its tokens', tags: ['operators'], params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        response: withErrors({ 200: Type.Object({ result: Type.Literal('revoked'), id: Type.String() }) }, 404),
      },
    }, async (req) => {
      await audited(deps, req, null, 'operator:revoke', { id: req.params.id }, async () => {
        if (!deps.store.operators.revoke(req.params.id)) throw new AppError('NOT_FOUND', `no active operator ${req.params.id}`);
      });
      return { result: 'revoked' as const, id: req.params.id };
    });
  };
}
