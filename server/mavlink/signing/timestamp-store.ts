/**
 * Persists a link signer's timestamps so that a restart never goes backwards (the MAVLink
 * signing spec asks for this). One small JSON file per link, e.g. data/signing/<hash>.json.
 *
 * Crash safety without a write per frame: the file holds a *reserved ceiling*. Before the signer
 * uses a timestamp above the ceiling, the store writes a new ceiling a few seconds ahead
 * (`reserveMs`), so at normal clock speed it writes once every few seconds, and after a kill -9
 * a new signer starts above anything that may have been sent. A clean close writes the real
 * last timestamp. Writes are synchronous (a ~60-byte file, written via a temporary file and a
 * rename so it is never half written).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UNITS_PER_MS } from './timestamp.ts';

export interface TimestampStoreOptions {
  path: string;
  /** Written into the file for humans (the link id). */
  label?: string;
  /** How far ahead of the current timestamp a ceiling is reserved. Default 5000 ms. */
  reserveMs?: number;
  /** Called when the file cannot be read (other than missing) or written. */
  onError?: (err: Error) => void;
}

interface StoredTimestamp {
  linkId?: string;
  lastTimestamp: number;
  savedAt: string;
}

/** The file for a link: data/signing/<first 16 hex of sha256(link id)>.json. */
export function timestampFileFor(dataDir: string, linkId: string): string {
  return join(dataDir, 'signing', `${createHash('sha256').update(linkId).digest('hex').slice(0, 16)}.json`);
}

export class TimestampStore {
  readonly path: string;
  private ceiling = 0;
  private readonly reserveUnits: number;
  private readonly onError: (err: Error) => void;
  /** Files written since start (observability, tests). */
  writes = 0;

  private readonly label: string;

  constructor(opts: TimestampStoreOptions) {
    this.path = opts.path;
    this.label = opts.label ?? '';
    this.reserveUnits = Math.round((opts.reserveMs ?? 5000) * UNITS_PER_MS);
    this.onError = opts.onError ?? (() => {});
  }

  /** The last timestamp that may have been used before this start (0 when there is no file). */
  load(): number {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as StoredTimestamp;
      const ts = Number(parsed.lastTimestamp);
      if (!Number.isSafeInteger(ts) || ts < 0) throw new Error(`${this.path}: lastTimestamp is not a timestamp`);
      this.ceiling = ts;
      return ts;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(err as Error);
      return 0;
    }
  }

  /** Call before using `ts`: writes a new ceiling when `ts` passes the reserved one. */
  reserve(ts: number): void {
    if (ts <= this.ceiling) return;
    const ceiling = ts + this.reserveUnits;
    if (this.write(ceiling)) this.ceiling = ceiling;
  }

  /** Clean stop: record the real last timestamp. */
  save(lastUsed: number): void {
    if (this.write(lastUsed)) this.ceiling = lastUsed;
  }

  private write(ts: number): boolean {
    const body: StoredTimestamp = { linkId: this.label || undefined, lastTimestamp: ts, savedAt: new Date().toISOString() };
    const tmp = `${this.path}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(tmp, `${JSON.stringify(body)}\n`);
      renameSync(tmp, this.path);
      this.writes++;
      return true;
    } catch (err) {
      this.onError(err as Error);
      return false;
    }
  }
}
