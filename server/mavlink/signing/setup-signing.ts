/**
 * Pushes a signing key to a vehicle with SETUP_SIGNING. The message has no acknowledgement, so it
 * is sent a few times, spaced out; the caller cannot know whether the vehicle took it, only see
 * later whether the vehicle's frames verify under the new key.
 */
import { common } from 'mavlink-mappings';
import type { VehicleChannel } from '../channel.ts';
import type { Clock } from '../../time/clock.ts';
import { assertKey } from './signature.ts';
import { MAX_SIGNING_TIMESTAMP } from './timestamp.ts';

export interface SetupSigningOptions {
  key: Uint8Array;
  /** The vehicle's starting timestamp (10 µs units since 2015-01-01). */
  initialTimestamp: number;
  clock: Clock;
  sends?: number;
  spacingMs?: number;
}

/** Resolves with the number of times the message was sent. */
export async function pushSigningKey(channel: VehicleChannel, opts: SetupSigningOptions): Promise<number> {
  assertKey(opts.key);
  if (!Number.isSafeInteger(opts.initialTimestamp) || opts.initialTimestamp < 0 || opts.initialTimestamp > MAX_SIGNING_TIMESTAMP) {
    throw new Error('initialTimestamp must be a 48-bit count of 10 µs units');
  }
  const sends = opts.sends ?? 3;
  const fields = {
    targetSystem: channel.target.sysid, targetComponent: channel.target.compid,
    secretKey: [...opts.key], initialTimestamp: BigInt(opts.initialTimestamp),
  };
  for (let i = 0; i < sends; i++) {
    if (i > 0) await new Promise<void>((resolve) => opts.clock.setTimeout(resolve, opts.spacingMs ?? 100));
    channel.send(common.SetupSigning, fields);
  }
  return sends;
}
