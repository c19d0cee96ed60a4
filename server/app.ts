/**
 * buildApp(deps): the Fastify instance with every route, not listening. main.ts listens;
 * tests call app.inject().
 */
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { droneRoutes } from './api/drones.ts';
import type { AppDeps } from './api/deps.ts';
import { healthRoutes } from './api/health.ts';
import { metricsRoutes } from './api/metrics.ts';
import { missionRoutes } from './api/missions.ts';
import { AppError } from './errors.ts';
import { allowEveryone } from './stream/auth.ts';
import { StreamHub } from './stream/hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The /api/stream WebSocket hub (closed with the app). */
    stream: StreamHub;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const startedAtMs = deps.clock.nowMs();
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimitBytes ?? 1024 * 1024,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false, discriminator: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err: err.message, code: err.code }, 'request failed');
      return reply.status(err.status).send(err.toBody());
    }
    if (err.validation) {
      const where = err.validationContext ?? 'request';
      const first = err.validation[0];
      const path = first?.instancePath ? `${where}${first.instancePath.replaceAll('/', '.')}` : where;
      const message = `${path} ${first?.message ?? 'is invalid'}`;
      return reply.status(400).send(new AppError('BAD_REQUEST', message, { in: where, errors: err.validation.map((v) => ({ path: v.instancePath, message: v.message, params: v.params })) }).toBody());
    }
    if (err.statusCode === 413) return reply.status(413).send(new AppError('PAYLOAD_TOO_LARGE', err.message).toBody());
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: { code: err.code ?? 'BAD_REQUEST', message: err.message, details: {} } });
    }
    req.log.error({ err }, 'unexpected error');
    return reply.status(500).send(new AppError('INTERNAL', 'internal error: see the server log', { reqId: req.id }).toBody());
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send(new AppError('NOT_FOUND', `no route ${req.method} ${req.url}`).toBody());
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Eagle Eye API', version: deps.version, description: 'Drone-patrol fleet control: drones, commands, missions.' },
      tags: [{ name: 'system' }, { name: 'drones' }, { name: 'missions' }],
    },
  });

  // TODO(issue 4 auth): pass the operators/tokens authenticator; until it lands everyone may stream.
  const stream = new StreamHub({ fleet: deps.fleet, clock: deps.clock, logger: deps.logger, authenticate: deps.authenticate ?? allowEveryone, options: deps.stream ?? {} });
  stream.attach(app.server);
  app.decorate('stream', stream);
  // preClose: open WebSockets would otherwise keep the HTTP server's close waiting
  app.addHook('preClose', async () => stream.close());

  await app.register(healthRoutes(deps, startedAtMs));
  await app.register(metricsRoutes(deps, stream));
  await app.register(droneRoutes(deps));
  await app.register(missionRoutes(deps));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app;
}
