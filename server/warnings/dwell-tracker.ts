/**
 * How long each vehicle has stood in each zone, from sightings that may arrive late, twice or out
 * of order. Pure: sightings in, overstays out; no clock (times come with the sightings).
 *
 * Per (track, zone) a stay runs from its first sighting inside to its last one. A sighting outside
 * that is newer than the stay's last inside sighting ends the stay. Late sightings are placed by
 * their own time: an inside sighting older than the stay's start (but newer than the last exit)
 * moves the start back; one older than the last exit, or an outside sighting older than the
 * stay's last inside one, is stale and changes nothing.
 */
import { booleanPointInPolygon, point } from '@turf/turf';
import type { Polygon } from 'geojson';

export interface DwellZone {
  id: string;
  geometry: Polygon;
  maxDwellS: number;
}

export interface Sighting {
  trackId: string;
  lat: number;
  lon: number;
  atMs: number;
  confidence?: number;
}

export interface Stay {
  trackId: string;
  zoneId: string;
  firstInsideMs: number;
  lastInsideMs: number;
  /** Last sighting of the track (anywhere). */
  lastSeenMs: number;
  lat: number;
  lon: number;
  overstayReported: boolean;
}

export interface Overstay {
  trackId: string;
  zoneId: string;
  dwellS: number;
  sinceMs: number;
  lat: number;
  lon: number;
}

export interface Departure {
  trackId: string;
  zoneId: string;
  atMs: number;
  dwellS: number;
}

export interface DwellUpdate {
  overstays: Overstay[];
  departures: Departure[];
  /** Sightings that changed nothing because newer ones were already known. */
  stale: number;
}

/** Sightings below this confidence are ignored (false detections should not send a drone). */
export const MIN_CONFIDENCE = 0.5;

export class DwellTracker {
  private readonly stays = new Map<string, Stay>();
  /** When the last stay of (track, zone) ended, so that older sightings are known to be stale. */
  private readonly exits = new Map<string, number>();

  constructor(private zones: DwellZone[]) {}

  setZones(zones: DwellZone[]): void {
    this.zones = zones;
    for (const [key, stay] of this.stays) if (!zones.some((z) => z.id === stay.zoneId)) this.stays.delete(key);
  }

  ingest(sightings: Sighting[]): DwellUpdate {
    const update: DwellUpdate = { overstays: [], departures: [], stale: 0 };
    for (const s of [...sightings].sort((a, b) => a.atMs - b.atMs)) {
      if ((s.confidence ?? 1) < MIN_CONFIDENCE) continue;
      for (const zone of this.zones) this.apply(zone, s, update);
    }
    return update;
  }

  /** Current stays, for the console and tests. */
  current(): Stay[] {
    return [...this.stays.values()];
  }

  stayOf(trackId: string, zoneId: string): Stay | undefined {
    return this.stays.get(`${trackId}|${zoneId}`);
  }

  /** Forget stays not seen since `beforeMs` (the vehicle drove off unseen). */
  expire(beforeMs: number): Departure[] {
    const out: Departure[] = [];
    for (const [key, stay] of this.stays) {
      if (stay.lastSeenMs >= beforeMs) continue;
      this.stays.delete(key);
      this.exits.set(key, stay.lastInsideMs);
      out.push({ trackId: stay.trackId, zoneId: stay.zoneId, atMs: stay.lastInsideMs, dwellS: (stay.lastInsideMs - stay.firstInsideMs) / 1000 });
    }
    return out;
  }

  private apply(zone: DwellZone, s: Sighting, update: DwellUpdate): void {
    const key = `${s.trackId}|${zone.id}`;
    const inside = booleanPointInPolygon(point([s.lon, s.lat]), zone.geometry);
    const stay = this.stays.get(key);
    const exitMs = this.exits.get(key) ?? -Infinity;
    if (stay) stay.lastSeenMs = Math.max(stay.lastSeenMs, s.atMs);
    if (!inside) {
      if (!stay) return;
      if (s.atMs <= stay.lastInsideMs) { update.stale++; return; }
      this.stays.delete(key);
      this.exits.set(key, s.atMs);
      update.departures.push({ trackId: s.trackId, zoneId: zone.id, atMs: s.atMs, dwellS: (stay.lastInsideMs - stay.firstInsideMs) / 1000 });
      return;
    }
    if (s.atMs <= exitMs) { update.stale++; return; }
    if (!stay) {
      this.stays.set(key, { trackId: s.trackId, zoneId: zone.id, firstInsideMs: s.atMs, lastInsideMs: s.atMs, lastSeenMs: s.atMs, lat: s.lat, lon: s.lon, overstayReported: false });
      return;
    }
    if (s.atMs < stay.firstInsideMs) stay.firstInsideMs = s.atMs;
    else if (s.atMs > stay.lastInsideMs) { stay.lastInsideMs = s.atMs; stay.lat = s.lat; stay.lon = s.lon; }
    else update.stale++;
    const dwellS = (stay.lastInsideMs - stay.firstInsideMs) / 1000;
    if (!stay.overstayReported && dwellS > zone.maxDwellS) {
      stay.overstayReported = true;
      update.overstays.push({ trackId: s.trackId, zoneId: zone.id, dwellS, sinceMs: stay.firstInsideMs, lat: stay.lat, lon: stay.lon });
    }
  }
}
