/** What the HTTP layer needs; built by main.ts (real) or by tests. */
import type { Logger } from 'pino';
import type { Fleet } from '../fleet/fleet.ts';
import type { MissionService } from '../fleet/missions.ts';
import type { Authenticate } from '../stream/auth.ts';
import type { StreamOptions } from '../stream/hub.ts';
import type { Clock } from '../time/clock.ts';

export interface AppDeps {
  fleet: Fleet;
  missions: MissionService;
  clock: Clock;
  logger: Logger;
  version: string;
  /** Longest request body accepted, bytes. */
  bodyLimitBytes?: number;
  /** Who may open /api/stream (and, later, the REST routes); allow-everyone until auth lands. */
  authenticate?: Authenticate;
  /** /api/stream tuning (tick, backpressure limits, keepalive); defaults in server/stream/hub.ts. */
  stream?: Partial<StreamOptions>;
}
