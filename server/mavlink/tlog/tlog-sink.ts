/**
 * One link's flight log on disk: records packed into chunks in memory, written by one async
 * write at a time, so the ingest path only copies bytes and never waits for the disk.
 *
 * Files: <dir>/<YYYY-MM-DD>_<HH-MM-SS>.tlog (UTC, the time of the first record in the file). A new
 * file starts on a new UTC day and when the next record would pass `maxFileBytes`.
 * Times never go backwards within a sink: a record stamped earlier than the one before it (a
 * reply sent while the rest of the datagram that caused it was still being handled) takes the
 * previous record's time, so players that expect ordered times are happy.
 * Memory: the bytes waiting for the disk (chunks queued + the chunk being filled) never pass
 * `maxBufferedBytes`; past it, records are dropped and counted (a slow or full disk costs log
 * data, never the server's memory or latency).
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { TLOG_TIME_LENGTH, writeRecordTime } from './tlog-format.ts';

export interface TlogSinkOptions {
  dir: string;
  maxFileBytes?: number;
  maxBufferedBytes?: number;
  chunkBytes?: number;
  onError?: (err: Error) => void;
}

export interface TlogSinkCounters {
  frames: number;
  bytes: number;
  droppedFrames: number;
  droppedBytes: number;
  writeErrors: number;
  files: number;
}

interface Pending {
  path: string;
  data: Buffer;
}

const DAY_MS = 86_400_000;

function fileName(atMs: number, n: number): string {
  const iso = new Date(atMs).toISOString(); // 2026-11-29T11:40:55.123Z
  const base = `${iso.slice(0, 10)}_${iso.slice(11, 13)}-${iso.slice(14, 16)}-${iso.slice(17, 19)}`;
  return n > 1 ? `${base}-${n}.tlog` : `${base}.tlog`;
}

export class TlogSink {
  readonly dir: string;
  readonly counters: TlogSinkCounters = { frames: 0, bytes: 0, droppedFrames: 0, droppedBytes: 0, writeErrors: 0, files: 0 };
  /** Every file this sink has started, in order. */
  readonly paths: string[] = [];
  private readonly maxFileBytes: number;
  private readonly maxBufferedBytes: number;
  private readonly chunkBytes: number;
  private readonly onError: (err: Error) => void;
  private path: string | null = null;
  private day = -1;
  private fileBytes = 0;
  private chunk: Buffer | null = null;
  private chunkUsed = 0;
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private writing: Promise<void> | null = null;
  private handle: { path: string; fh: FileHandle } | null = null;
  private closed = false;
  private lastUs = 0;

  constructor(opts: TlogSinkOptions) {
    this.dir = opts.dir;
    this.maxFileBytes = opts.maxFileBytes ?? 64 * 1024 * 1024;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.chunkBytes = Math.min(opts.chunkBytes ?? 256 * 1024, this.maxBufferedBytes);
    this.onError = opts.onError ?? (() => {});
  }

  /** Bytes held in memory for the disk. */
  get bufferedBytes(): number {
    return this.queuedBytes + this.chunkUsed;
  }

  /** Append one frame with its time. Copies the bytes; never blocks. */
  record(timestampUs: number, frame: Uint8Array): void {
    if (timestampUs < this.lastUs) timestampUs = this.lastUs;
    else this.lastUs = timestampUs;
    const length = TLOG_TIME_LENGTH + frame.length;
    if (this.closed || this.queuedBytes + this.chunkUsed + length > this.maxBufferedBytes) {
      this.counters.droppedFrames++;
      this.counters.droppedBytes += length;
      return;
    }
    const atMs = timestampUs / 1000;
    const day = Math.floor(atMs / DAY_MS);
    if (this.path === null || day !== this.day || (this.fileBytes > 0 && this.fileBytes + length > this.maxFileBytes)) {
      this.seal();
      this.startFile(atMs, day);
    }
    if (this.chunk && this.chunkUsed + length > this.chunk.length) this.seal();
    if (!this.chunk) {
      this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, length));
      this.chunkUsed = 0;
    }
    writeRecordTime(this.chunk, this.chunkUsed, timestampUs);
    this.chunk.set(frame, this.chunkUsed + TLOG_TIME_LENGTH);
    this.chunkUsed += length;
    this.fileBytes += length;
    this.counters.frames++;
    this.counters.bytes += length;
  }

  /** Hand the partly filled chunk to the disk (called periodically and at close). */
  seal(): void {
    if (!this.chunk || this.chunkUsed === 0 || this.path === null) return;
    const data = this.chunk.subarray(0, this.chunkUsed);
    this.chunk = null;
    this.queuedBytes += this.chunkUsed;
    this.chunkUsed = 0;
    this.queue.push({ path: this.path, data });
    this.pump();
  }

  /** Seal and wait until everything recorded so far is on disk (or failed). */
  async flush(): Promise<void> {
    this.seal();
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.handle) {
      const { fh } = this.handle;
      this.handle = null;
      await fh.close().catch((err: Error) => this.onError(err));
    }
  }

  private startFile(atMs: number, day: number): void {
    let n = 1;
    let path = join(this.dir, fileName(atMs, n));
    while (this.paths.includes(path)) path = join(this.dir, fileName(atMs, ++n));
    this.path = path;
    this.paths.push(path);
    this.day = day;
    this.fileBytes = 0;
    this.counters.files++;
  }

  private pump(): void {
    if (this.writing) return;
    this.writing = (async () => {
      while (this.queue.length > 0) {
        const item = this.queue[0]!;
        try {
          const fh = await this.fileFor(item.path);
          await fh.write(item.data);
        } catch (err) {
          this.counters.writeErrors++;
          this.counters.droppedBytes += item.data.length;
          this.onError(err as Error);
        }
        this.queue.shift();
        this.queuedBytes -= item.data.length;
      }
      this.writing = null;
    })();
  }

  private async fileFor(path: string): Promise<FileHandle> {
    if (this.handle?.path === path) return this.handle.fh;
    if (this.handle) {
      const old = this.handle.fh;
      this.handle = null;
      await old.close();
    }
    await mkdir(this.dir, { recursive: true });
    const fh = await open(path, 'a');
    this.handle = { path, fh };
    return fh;
  }
}
