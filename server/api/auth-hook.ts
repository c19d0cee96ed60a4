/**
 * Every /api route declares the role it needs in `config.role` ('public', 'viewer', 'operator',
 * 'admin'); a route without one is refused at start-up. The hook answers 401 without a valid token
 * and 403 when the role is too small, and puts the principal on the request.
 */
import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/authenticator.ts';
import { allows, type Principal, type RouteRole } from '../auth/roles.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    role?: RouteRole;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/** Routes registered with their role, for the role table test and the docs. */
export interface RouteRoleEntry {
  method: string;
  url: string;
  role: RouteRole;
}

export function installAuth(app: FastifyInstance, auth: Authenticator): RouteRoleEntry[] {
  const table: RouteRoleEntry[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    const role = (route.config as { role?: RouteRole } | undefined)?.role;
    if (!role) throw new Error(`route ${String(route.method)} ${route.url} declares no role (config.role)`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, role });
  });
  app.addHook('onRequest', async (req) => {
    const needed = req.routeOptions.config.role;
    if (!needed || needed === 'public') return;
    const principal = auth.authenticate(bearerToken(req.headers.authorization));
    if (!principal) throw new AppError('UNAUTHORIZED', 'a valid bearer token is required (Authorization: Bearer <token>)');
    if (!allows(principal.role, needed)) {
      throw new AppError('FORBIDDEN', `this needs the ${needed} role; ${principal.name} is ${principal.role}`, { needed, role: principal.role });
    }
    req.principal = principal;
    req.log = req.log.child({ operator: principal.name });
  });
  return table;
}
