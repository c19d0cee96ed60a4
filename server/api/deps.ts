/** What the HTTP layer needs; built by main.ts (real) or by tests. */
import type { Logger } from 'pino';
import type { AdvisoryService } from '../warnings/advisory-service.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Fleet } from '../fleet/fleet.ts';
import type { MissionService } from '../fleet/missions.ts';
import type { IncidentService } from '../incidents/incident-service.ts';
import type { PatrolBook } from '../fleet/patrols.ts';
import type { TaskBoard } from '../fleet/task-board.ts';
import type { OverwatchService } from '../fleet/overwatch-service.ts';
import type { Authenticate } from '../stream/auth.ts';
import type { StreamOptions } from '../stream/hub.ts';
import type { Store } from '../store/store.ts';
import type { TlogWriter } from '../mavlink/tlog/tlog-writer.ts';
import type { BroadcastService } from '../warnings/broadcast-service.ts';
import type { Clock } from '../time/clock.ts';
import type { TrafficService } from '../traffic/traffic-service.ts';

export interface AppDeps {
  fleet: Fleet;
  missions: MissionService;
  broadcasts: BroadcastService;
  /** The parking-advisory loop (zones, sightings, cases). */
  advisories: AdvisoryService;
  /** Incident dispatch (absent in tests that build the app without it: its routes are then not served). */
  incidents?: IncidentService;
  /** A ground unit's report→on-scene seconds per incident kind ('*': any), for /api/metrics/response. */
  groundUnitS?: Record<string, number>;
  /** Traffic monitoring: road segments' levels from sightings and counts. */
  traffic: TrafficService;
  /** Overwatch runs. */
  overwatch: OverwatchService;
  /** Drones flying assigned plans (pausable by dispatchers); absent in tests that do not need them. */
  patrols?: PatrolBook;
  /** Who is doing what (advisory cases, incidents, patrols). */
  tasks?: TaskBoard;
  store: Store;
  auth: Authenticator;
  /** Commands per operator per minute on command routes. */
  commandRateLimitPerMin?: number;
  clock: Clock;
  logger: Logger;
  version: string;
  /** Flight logs, for their counters in /api/metrics (absent when disabled or in tests). */
  tlogs?: TlogWriter | null;
  /** Longest request body accepted, bytes. */
  bodyLimitBytes?: number;
  /** Who may open /api/stream (and, later, the REST routes); allow-everyone until auth lands. */
  authenticate?: Authenticate;
  /** MAPBOX_TOKEN: the console's Mapbox basemap (public, served at /config.json); null: the offline style. */
  mapboxToken?: string | null;
  /** /api/stream tuning (tick, backpressure limits, keepalive); defaults in server/stream/hub.ts. */
  stream?: Partial<StreamOptions>;
}
