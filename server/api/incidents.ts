/** Incidents: reported by an operator or a dispatch system, answered by drones, closed by an operator. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withErrors } from '../contracts/common.ts';
import { AppError } from '../errors.ts';
import { airspaceOf } from '../fleet/airspace-of.ts';
import { DEFAULT_DISPATCH_PROFILE } from '../fleet/dispatcher.ts';
import type { Incident } from '../incidents/incident.ts';
import { suggestPrepositions } from '../incidents/prepositioning.ts';
import { responseFigures, type IncidentTiming } from '../incidents/response-figures.ts';
import type { IncidentService } from '../incidents/incident-service.ts';
import { audited } from './audited.ts';
import type { AppDeps } from './deps.ts';

const Step = Type.Object({ state: Type.String(), at: Type.String(), droneId: Type.Optional(Type.String()), note: Type.Optional(Type.String()) });
const Responder = Type.Object({
  droneId: Type.String(), state: Type.String({ description: 'dispatched, airborne, on-scene, lost or released' }), etaS: Type.Number({ description: 'the dispatcher\'s estimate, dispatch to on scene' }),
  dispatchedAt: Type.String(), airborneAt: Type.Union([Type.String(), Type.Null()]), onSceneAt: Type.Union([Type.String(), Type.Null()]),
});
const Outcome = Type.Union([Type.Literal('resolved'), Type.Literal('handed-to-ground-unit'), Type.Literal('false-alarm'), Type.Literal('cancelled')]);
export const IncidentSchema = Type.Object({
  id: Type.String(), kind: Type.String(), priority: Type.Integer(), lat: Type.Number(), lon: Type.Number(), note: Type.String(),
  reportedBy: Type.String(), reportedAt: Type.String(), dronesWanted: Type.Integer(),
  state: Type.String({ description: 'reported, dispatched, airborne, on-scene or released' }),
  droneId: Type.Union([Type.String(), Type.Null()]), responders: Type.Array(Responder), steps: Type.Array(Step),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'why no drone is on the way, while that holds' }),
  outcome: Type.Union([Outcome, Type.Null()]), closedBy: Type.Union([Type.String(), Type.Null()]),
});
const IncidentId = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Stats = Type.Object({ count: Type.Integer(), medianS: Type.Union([Type.Number(), Type.Null()]), p90S: Type.Union([Type.Number(), Type.Null()]) });
const ResponseRow = Type.Object({
  period: Type.String({ description: 'a day (2026-11-29), an ISO week (2026-W48) or "all", in China time' }), kind: Type.String({ description: '"*": every kind' }),
  incidents: Type.Integer(), reportToDispatch: Stats, reportToOnScene: Stats,
  groundUnitS: Type.Union([Type.Number(), Type.Null()], { description: 'the configured ground unit report→on-scene time' }),
  savedS: Type.Union([Type.Number(), Type.Null()], { description: 'ground unit time minus the drones\' median report→on-scene (positive: drones are faster)' }),
});
const DAY_MS = 86_400_000;

/** When the first drone was dispatched and first on scene. */
export function timingOf(i: Incident): IncidentTiming {
  const first = (xs: Array<string | null>) => {
    const ms = xs.filter((x): x is string => x !== null).map(Date.parse);
    return ms.length ? Math.min(...ms) : null;
  };
  return { kind: i.kind, reportedAtMs: Date.parse(i.reportedAt), dispatchedAtMs: first(i.responders.map((r) => r.dispatchedAt)), onSceneAtMs: first(i.responders.map((r) => r.onSceneAt)) };
}

export function incidentRoutes(deps: AppDeps, incidents: IncidentService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/api/incidents', {
      config: { role: 'operator' },
      schema: {
        summary: 'Report an incident: the drone(s) that arrive first are dispatched at once (most urgent incident first when drones are short)',
        description: 'priority 1 is the most urgent, 5 the least. `drones` asks for more than one drone. The answer shows the incident as dispatched (or, with `reason`, why it waits for a drone).',
        tags: ['incidents'],
        body: Type.Object({
          lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }),
          kind: Type.String({ minLength: 1, maxLength: 40, description: 'e.g. fight, crash, crowd, fire, lost-person, traffic' }),
          priority: Type.Integer({ minimum: 1, maximum: 5 }),
          note: Type.Optional(Type.String({ maxLength: 1000 })),
          drones: Type.Optional(Type.Integer({ minimum: 1, maximum: 4, description: 'drones wanted (default 1)' })),
        }, { additionalProperties: false }),
        response: withErrors({ 201: IncidentSchema }, 400),
      },
    }, async (req, reply) => {
      const incident = await audited(deps, req, null, 'incident:report', req.body, async () => incidents.report(req.body, req.principal?.name ?? 'anonymous'));
      return reply.status(201).send(incident);
    });

    app.get('/api/incidents', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Incidents, newest first, with their responders and every step\'s time', tags: ['incidents'],
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])), kind: Type.Optional(Type.String({ maxLength: 40 })),
          since: Type.Optional(Type.String({ format: 'date-time' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ incidents: Type.Array(IncidentSchema) }) }, 400),
      },
    }, async (req) => ({ incidents: incidents.list({ ...req.query, ...(req.query.since ? { since: new Date(req.query.since).toISOString() } : {}) }) }));

    app.get('/api/incidents/:id', {
      config: { role: 'viewer' },
      schema: { summary: 'One incident with its steps (reported, dispatched, airborne, on-scene, released) and times', tags: ['incidents'], params: IncidentId, response: withErrors({ 200: IncidentSchema }, 404) },
    }, async (req) => {
      const i = incidents.get(req.params.id);
      if (!i) throw new AppError('INCIDENT_NOT_FOUND', `no incident ${req.params.id}`);
      return i;
    });

    app.post('/api/incidents/:id/close', {
      config: { role: 'operator' },
      schema: {
        summary: 'Close (release) an incident with its outcome: its drones go back to the patrol they were taken from, or home',
        tags: ['incidents'], params: IncidentId,
        body: Type.Object({ outcome: Outcome, note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: withErrors({ 200: IncidentSchema }, 404, 409),
      },
    }, async (req) => audited(deps, req, null, 'incident:close', { incidentId: req.params.id, ...req.body },
      async () => incidents.closeIncident(req.params.id, req.body.outcome, req.principal?.name ?? 'anonymous', req.body.note)));

    app.get('/api/dispatch/candidates', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Which drones would go to this point now, earliest arrival first, and why the others would not',
        tags: ['incidents'],
        querystring: Type.Object({ lat: Type.Number({ minimum: -90, maximum: 90 }), lon: Type.Number({ minimum: -180, maximum: 180 }) }, { additionalProperties: false }),
        response: withErrors({
          200: Type.Object({
            candidates: Type.Array(Type.Object({ droneId: Type.String(), etaS: Type.Number(), batteryNeededPct: Type.Number(), distanceM: Type.Number(), airborne: Type.Boolean() })),
            rejected: Type.Array(Type.Object({ droneId: Type.String(), reason: Type.String() })),
          }),
        }, 400),
      },
    }, async (req) => incidents.rank(req.query.lat, req.query.lon));

    app.get('/api/metrics/response', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Response times: median and 90th percentile of report→dispatch and report→on-scene, per period and kind, against a ground unit',
        description: 'Over the incidents reported in the last `days` (default 28). Percentiles interpolate linearly (numpy\'s default); periods are cut in China time. See docs/incidents-figures.md.',
        tags: ['incidents'],
        querystring: Type.Object({
          period: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('all')], { default: 'all' })),
          days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })), kind: Type.Optional(Type.String({ maxLength: 40 })),
        }, { additionalProperties: false }),
        response: withErrors({ 200: Type.Object({ period: Type.String(), since: Type.String(), groundUnitS: Type.Record(Type.String(), Type.Number()), rows: Type.Array(ResponseRow) }) }, 400),
      },
    }, async (req) => {
      const since = new Date(deps.clock.nowMs() - (req.query.days ?? 28) * DAY_MS).toISOString();
      const period = req.query.period ?? 'all';
      const groundUnitS = deps.groundUnitS ?? {};
      const list = incidents.list({ since, limit: 100_000, ...(req.query.kind ? { kind: req.query.kind } : {}) });
      return { period, since, groundUnitS, rows: responseFigures(list.map(timingOf), { period, groundUnitS }) };
    });

    app.get('/api/dispatch/prepositioning', {
      config: { role: 'viewer' },
      schema: {
        summary: 'Where the idle drones should wait to cut the expected time to scene, judged on the incidents of the last `days`, and by how much',
        description: 'Idle drones: connected, on no task and holding no overwatch station, at their current positions (the model assumes each waits landed). Wait points keep clear of no-fly zones. A suggestion only: nothing is sent to a drone. See docs/incidents-figures.md.',
        tags: ['incidents'],
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) }, { additionalProperties: false }),
        response: withErrors({
          200: Type.Object({
            since: Type.String(), idleDrones: Type.Integer(),
            suggestions: Type.Array(Type.Object({ droneId: Type.String(), lat: Type.Number(), lon: Type.Number(), moveM: Type.Number() })),
            expected: Type.Object({ currentMeanS: Type.Number(), currentP90S: Type.Number(), suggestedMeanS: Type.Number(), suggestedP90S: Type.Number(), improvementMeanS: Type.Number() }, { additionalProperties: true }),
            incidentsUsed: Type.Integer(),
          }),
        }, 400),
      },
    }, async (req) => {
      const since = new Date(deps.clock.nowMs() - (req.query.days ?? 28) * DAY_MS).toISOString();
      const past = incidents.list({ since, limit: 100_000 }).map((i) => ({ lat: i.lat, lon: i.lon }));
      const idle = incidents.idleDrones().map((d) => ({ droneId: d.id, lat: d.position!.lat, lon: d.position!.lon }));
      const result = suggestPrepositions({ incidents: past, drones: idle, airspace: airspaceOf(deps.store.geofences.list()), profile: DEFAULT_DISPATCH_PROFILE, altitudeM: incidents.hoverAltitudeM });
      return { since, idleDrones: idle.length, suggestions: result.suggestions, expected: result.expected, incidentsUsed: result.incidentsUsed };
    });
  };
}
