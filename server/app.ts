/**
 * buildApp(deps): the Fastify instance with every route, not listening. main.ts listens;
 * tests call app.inject().
 */
import { readFile } from 'node:fs/promises';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { auditRoutes } from './api/audit.ts';
import { advisoryRoutes } from './api/advisories.ts';
import { broadcastRoutes } from './api/broadcasts.ts';
import { installAuth, type RouteRoleEntry } from './api/auth-hook.ts';
import { droneRoutes } from './api/drones.ts';
import type { AppDeps } from './api/deps.ts';
import { incidentRoutes } from './api/incidents.ts';
import { geofenceRoutes } from './api/geofences.ts';
import { planRoutes } from './api/plans.ts';
import { healthRoutes } from './api/health.ts';
import { metricsRoutes } from './api/metrics.ts';
import { historyRoutes } from './api/history.ts';
import { missionRoutes } from './api/missions.ts';
import { meRoutes } from './api/me.ts';
import { operatorRoutes } from './api/operators.ts';
import { signingRoutes } from './api/signing.ts';
import { trafficRoutes } from './api/traffic.ts';
import { AppError } from './errors.ts';
import { PlanningError } from './planning/types.ts';
import { StreamHub } from './stream/hub.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The /api/stream WebSocket hub (closed with the app). */
    stream: StreamHub;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every /api route with the role it needs (for docs and the role-table test). */
    routeRoles: RouteRoleEntry[];
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
    if (err instanceof PlanningError) err = new AppError(err.code, err.message, err.details);
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

  app.decorate('routeRoles', installAuth(app, deps.auth));
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', `too many commands: at most ${ctx.max} per minute per operator; retry in ${Math.ceil(ctx.ttl / 1000)} s`, { max: ctx.max, retryAfterS: Math.ceil(ctx.ttl / 1000) }),
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Eagle Eye API', version: deps.version, description: 'Drone-patrol fleet control: drones, commands, missions.' },
      tags: [{ name: 'system' }, { name: 'drones' }, { name: 'missions' }, { name: 'operators' }, { name: 'audit' }, { name: 'history' }, { name: 'airspace' }, { name: 'planning' }, { name: 'broadcasts' }, { name: 'parking' }, { name: 'traffic', description: 'road segments, traffic levels and their changes (docs/traffic.md)' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  // A browsable page of the same document, served from the package's own files (works offline).
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });

  const stream = new StreamHub({ fleet: deps.fleet, clock: deps.clock, logger: deps.logger, authenticate: deps.authenticate ?? (async (token) => deps.auth.authenticate(token)), options: deps.stream ?? {} });
  stream.attach(app.server);
  app.decorate('stream', stream);
  // preClose: open WebSockets would otherwise keep the HTTP server's close waiting
  app.addHook('preClose', async () => stream.close());

  await app.register(healthRoutes(deps, startedAtMs));
  await app.register(metricsRoutes(deps, stream));
  await app.register(droneRoutes(deps));
  await app.register(missionRoutes(deps));
  await app.register(operatorRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(historyRoutes(deps));
  await app.register(signingRoutes(deps));
  await app.register(geofenceRoutes(deps));
  await app.register(planRoutes(deps));
  await app.register(broadcastRoutes(deps));
  await app.register(advisoryRoutes(deps, deps.advisories));
  if (deps.incidents) await app.register(incidentRoutes(deps, deps.incidents));
  await app.register(trafficRoutes(deps));
  await app.register(meRoutes());
  serveConsole(app, deps.mapboxToken ?? null);
  app.get('/api/openapi.json', { config: { role: 'public' }, schema: { hide: true } }, async () => app.swagger());
  return app;
}

/** The built console (`npm run build:console` → dist/console): `/`, its `/assets/*`, and `/config.json`. */
const CONSOLE_DIR = fileURLToPath(new URL('../dist/console/', import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.map': 'application/json',
};

function serveConsole(app: FastifyInstance, mapboxToken: string | null): void {
  const sendFile = async (rel: string, reply: FastifyReply) => {
    const path = normalize(CONSOLE_DIR + rel);
    if (!path.startsWith(CONSOLE_DIR)) return reply.status(404).send(new AppError('NOT_FOUND', 'no such file').toBody());
    try {
      const body = await readFile(path);
      return reply.type(CONTENT_TYPES[extname(path)] ?? 'application/octet-stream')
        .header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache').send(body);
    } catch {
      if (rel === 'index.html') return reply.status(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run build:console` (npm start and npm test do it).\n');
      return reply.status(404).send(new AppError('NOT_FOUND', `no console file ${rel}`).toBody());
    }
  };
  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendFile('index.html', reply));
  app.get('/assets/*', { schema: { hide: true } }, async (req, reply) => sendFile(`assets/${(req.params as { '*': string })['*']}`, reply));
  // Public on purpose: the console needs it before login. MAPBOX_TOKEN is a public (pk.) browser token.
  app.get('/config.json', { schema: { hide: true } }, async () => ({ mapboxToken }));
}
