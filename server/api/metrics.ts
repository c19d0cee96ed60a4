/** Counters for operators and monitoring: frames in/out, bad frames, retries, per link. */
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { badFrames } from '../mavlink/frame-decoder.ts';
import type { StreamHub } from '../stream/hub.ts';
import type { AppDeps } from './deps.ts';

const LinkMetrics = Type.Object({
  id: Type.String(), framesIn: Type.Integer(), framesOut: Type.Integer(), bytesIn: Type.Integer(), bytesOut: Type.Integer(),
  badFrames: Type.Integer(), sendErrors: Type.Integer(),
  unsigned: Type.Integer({ description: 'unsigned frames dropped on a link that requires signing' }),
  badSignature: Type.Integer({ description: 'frames with a wrong signature dropped (signed links)' }),
  replayed: Type.Integer({ description: 'replayed or too old frames dropped (signed links)' }),
  tlog: Type.Union([Type.Null(), Type.Object({
    frames: Type.Integer(), bytes: Type.Integer(), droppedFrames: Type.Integer(), droppedBytes: Type.Integer(), writeErrors: Type.Integer(), files: Type.Integer(),
  })], { description: 'flight log of the link; null when not recorded' }),
  decode: Type.Object({ badCrc: Type.Integer(), truncated: Type.Integer(), unknownMsgid: Type.Integer(), badFlags: Type.Integer(), junkBytes: Type.Integer() }),
});

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const Summary = (description: string) => Type.Object({ count: Type.Integer(), p50Ms: Nullable(Type.Number()), p99Ms: Nullable(Type.Number()), maxMs: Nullable(Type.Number()) }, { description });

const StreamClientMetrics = Type.Object({
  id: Type.Integer(), operatorId: Type.String(), role: Type.String(), remote: Type.String(), connectedForS: Type.Number(),
  subscription: Type.Object({ droneIds: Nullable(Type.Array(Type.String())), bbox: Nullable(Type.Array(Type.Number())), maxHz: Type.Number() }),
  bufferedBytes: Type.Integer({ description: 'bytes waiting in its socket' }),
  behindForMs: Type.Number({ description: 'how long its buffer has been above the limit (0: keeping up)' }),
  updatesSent: Type.Integer({ description: 'drone updates (telemetry entries) sent' }),
  framesSent: Type.Integer(), bytesSent: Type.Integer(),
  telemetrySkipped: Type.Integer({ description: 'ticks with telemetry held back because it was behind (it then gets the newest state)' }),
  eventsDropped: Type.Integer({ description: 'events dropped, oldest first, while it was behind' }),
  peakBufferedBytes: Type.Integer(),
});

const StreamMetrics = Type.Object({
  clients: Type.Integer({ description: 'WebSocket clients connected now' }),
  clientsConnected: Type.Integer({ description: 'since start' }),
  upgradesRejected: Type.Integer(), framesSent: Type.Integer(), telemetryFramesSent: Type.Integer(), eventFramesSent: Type.Integer(), bytesSent: Type.Integer(),
  telemetrySkipped: Type.Integer(), eventsDropped: Type.Integer(), clientsClosedSlow: Type.Integer(), clientsReapedDead: Type.Integer(),
  latencyMs: Summary('datagram received → telemetry frame sent, per drone update, since start'),
  tickDurationMs: Summary('time per batching tick (fold changes, build frames, write to every socket)'),
  tickLatenessMs: Summary('how late ticks start against their period (event-loop load)'),
  perClient: Type.Array(StreamClientMetrics),
});

const Metrics = Type.Object({
  links: Type.Array(LinkMetrics),
  drones: Type.Integer(),
  dronesConnected: Type.Integer(),
  commandRetries: Type.Integer(),
  framesUnrouted: Type.Integer(),
  packetLossPctByDrone: Type.Record(Type.String(), Type.Number()),
  stream: StreamMetrics,
});

export function metricsRoutes(deps: AppDeps, stream: StreamHub): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/metrics', { config: { role: 'viewer' }, schema: { summary: 'Counters: frames, bad frames, retries, loss', tags: ['system'], response: { 200: Metrics } } }, async () => {
      const drones = deps.fleet.list();
      return {
        links: deps.fleet.allLinks().map((l) => {
          const c = l.counters;
          const { badCrc, truncated, unknownMsgid, badFlags, junkBytes } = c.decode;
          const { unsigned, badSignature, replayed } = c;
          return {
            id: l.id, framesIn: c.framesIn, framesOut: c.framesOut, bytesIn: c.bytesIn, bytesOut: c.bytesOut, badFrames: badFrames(c.decode), sendErrors: c.sendErrors,
            unsigned, badSignature, replayed,
            tlog: deps.tlogs?.stats(l.id) ?? null,
            decode: { badCrc, truncated, unknownMsgid, badFlags, junkBytes },
          };
        }),
        drones: drones.length,
        dronesConnected: drones.filter((d) => d.connected).length,
        commandRetries: deps.fleet.commandRetries(),
        framesUnrouted: deps.fleet.counters.framesUnrouted,
        packetLossPctByDrone: Object.fromEntries(drones.map((d) => [d.id, d.link.packetLossPct])),
        stream: stream.metrics(),
      };
    });
  };
}
