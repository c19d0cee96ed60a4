/**
 * Clear work item.
 *
 *   sendClear ──MISSION_ACK ACCEPTED──▶ done
 *     │ timeout: resend CLEAR_ALL      └──MISSION_ACK error──▶ failed (e.g. ArduPilot refuses in AUTO)
 */
import { common } from 'mavlink-mappings';
import type { Frame } from '../frame.ts';
import { decodeAs } from '../message.ts';
import { missionResultName } from '../mav-result.ts';
import { WorkItem } from './work-item.ts';

export class MissionClear extends WorkItem<void> {
  start(): void {
    this.send();
    this.arm(this.timeouts.timeoutMs, true);
  }

  handle(frame: Frame): void {
    if (this.finished || frame.msgid !== common.MissionAck.MSG_ID) return;
    const ack = decodeAs(frame, common.MissionAck);
    if ((ack.missionType ?? 0) !== this.missionTypeCode) return;
    if (ack.type === 0) this.succeed();
    else this.fail({ kind: 'rejected', missionResult: missionResultName(ack.type), resultCode: ack.type });
  }

  protected stepName(): string {
    return 'sendClear';
  }

  protected onTimeout(): void {
    this.send();
    this.arm(this.timeouts.timeoutMs, false);
  }

  private send(): void {
    this.channel.send(common.MissionClearAll, this.target);
  }
}
