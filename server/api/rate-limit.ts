/** Per-operator rate limit for routes that move aircraft (commands, missions). */
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from './deps.ts';

export function commandRateLimit(deps: AppDeps) {
  return {
    max: deps.commandRateLimitPerMin ?? 120,
    timeWindow: 60_000,
    keyGenerator: (req: FastifyRequest) => req.principal?.operatorId ?? req.ip,
  };
}
