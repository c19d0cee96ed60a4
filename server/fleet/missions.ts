/** Mission upload, download, clear and start for one drone, with failures as AppErrors. */
import type { MissionItem } from '../contracts/mission.ts';
import { AppError } from '../errors.ts';
import { MissionClear } from '../mavlink/mission-transfer/clear.ts';
import { MissionDownload } from '../mavlink/mission-transfer/download.ts';
import type { MissionType, TransferFailure, TransferResult, TransferTimeouts } from '../mavlink/mission-transfer/types.ts';
import { MissionUpload } from '../mavlink/mission-transfer/upload.ts';
import type { Clock } from '../time/clock.ts';
import type { DroneSession } from './drone-session.ts';
import { fromWireItems, toWireItems } from './mission-items.ts';

export interface MissionServiceOptions {
  clock: Clock;
  timeouts?: Partial<TransferTimeouts>;
}

export class MissionService {
  constructor(private readonly opts: MissionServiceOptions) {}

  async upload(session: DroneSession, type: MissionType, items: MissionItem[]): Promise<{ count: number }> {
    const wire = session.adapter.toVehicleMission(type, toWireItems(items));
    const result = await session.runTransfer(new MissionUpload({ ...this.common(session, type), items: wire }));
    unwrap(result, 'upload');
    if (type === 'mission') session.state.mission.count = items.length;
    session.logger.info({ missionType: type, count: items.length }, 'mission uploaded');
    return { count: items.length };
  }

  async download(session: DroneSession, type: MissionType): Promise<MissionItem[]> {
    return (await this.downloadNumbered(session, type)).items;
  }

  /**
   * The items, and the vehicle's sequence number of the first one (ArduPilot keeps home as item 0,
   * so its first item is 1): MISSION_CURRENT, and so the drone's `mission.current`, counts from it.
   */
  async downloadNumbered(session: DroneSession, type: MissionType): Promise<{ items: MissionItem[]; firstSeq: number }> {
    const wire = unwrap(await session.runTransfer(new MissionDownload(this.common(session, type))), 'download');
    const items = fromWireItems(session.adapter.fromVehicleMission(type, wire));
    return { items, firstSeq: wire.length - items.length };
  }

  async clear(session: DroneSession, type: MissionType): Promise<void> {
    unwrap(await session.runTransfer(new MissionClear(this.common(session, type))), 'clear');
    if (type === 'mission') session.state.mission.count = 0;
  }

  start(session: DroneSession): Promise<void> {
    return session.adapter.startMission(session.control);
  }

  private common(session: DroneSession, missionType: MissionType) {
    return { channel: session.channel, clock: this.opts.clock, missionType, timeouts: this.opts.timeouts };
  }
}

function unwrap<T>(result: TransferResult<T>, what: string): T {
  if (result.ok) return result.value;
  throw failureError(result.failure, what);
}

function failureError(f: TransferFailure, what: string): AppError {
  switch (f.kind) {
    case 'timeout': return new AppError('MISSION_TIMEOUT', `mission ${what}: the drone stopped answering (${f.step}, ${f.attempts} attempts)`, { step: f.step, attempts: f.attempts });
    case 'rejected': return new AppError('MISSION_REJECTED', `mission ${what}: the drone refused (${f.missionResult})`, { missionResult: f.missionResult });
    case 'busy': return new AppError('DRONE_BUSY', `mission ${what}: another mission transfer is running on this drone`);
    case 'cancelled': return new AppError('LINK_LOST', `mission ${what}: cancelled`);
    case 'protocol': return new AppError('MISSION_REJECTED', `mission ${what}: ${f.message}`, { protocol: f.message });
  }
}
