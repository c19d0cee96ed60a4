/**
 * Download work item (vehicle → GCS).
 *
 *   requestList ──MISSION_COUNT n──▶ requestItems ──MISSION_ITEM(_INT) seq──▶ requestItems (next missing)
 *     │ timeout: resend REQUEST_LIST    │ timeout: re-request the missing item
 *     └──COUNT 0──▶ send ACK, done      └──all n items──▶ send MISSION_ACK ACCEPTED, done
 */
import { common } from 'mavlink-mappings';
import type { Frame } from '../frame.ts';
import { decodeAs } from '../message.ts';
import { missionResultName } from '../mav-result.ts';
import type { WireMissionItem } from './types.ts';
import { WorkItem } from './work-item.ts';

type Step = 'requestList' | 'requestItems';

export class MissionDownload extends WorkItem<WireMissionItem[]> {
  private step: Step = 'requestList';
  private count = 0;
  private readonly received = new Map<number, WireMissionItem>();

  start(): void {
    this.requestList();
    this.arm(this.timeouts.timeoutMs, true);
  }

  handle(frame: Frame): void {
    if (this.finished) return;
    switch (frame.msgid) {
      case common.MissionCount.MSG_ID: {
        const msg = decodeAs(frame, common.MissionCount);
        if ((msg.missionType ?? 0) !== this.missionTypeCode || this.step !== 'requestList') return;
        this.count = msg.count;
        if (this.count === 0) return this.complete();
        this.step = 'requestItems';
        this.requestNext(true);
        return;
      }
      case common.MissionItemInt.MSG_ID:
      case common.MissionItem.MSG_ID: {
        if (this.step !== 'requestItems') return;
        const item = frame.msgid === common.MissionItemInt.MSG_ID ? decodeAs(frame, common.MissionItemInt) : fromFloatItem(decodeAs(frame, common.MissionItem));
        if ((item.missionType ?? 0) !== this.missionTypeCode || item.seq >= this.count) return;
        this.received.set(item.seq, {
          seq: item.seq, frame: item.frame, command: item.command, current: item.current, autocontinue: item.autocontinue,
          param1: item.param1, param2: item.param2, param3: item.param3, param4: item.param4, x: item.x, y: item.y, z: item.z,
        });
        if (this.received.size === this.count) return this.complete();
        this.requestNext(true);
        return;
      }
      case common.MissionAck.MSG_ID: {
        const ack = decodeAs(frame, common.MissionAck);
        if ((ack.missionType ?? 0) !== this.missionTypeCode || ack.type === 0) return;
        this.fail({ kind: 'rejected', missionResult: missionResultName(ack.type), resultCode: ack.type });
      }
    }
  }

  protected stepName(): string {
    return this.step;
  }

  protected onTimeout(): void {
    if (this.step === 'requestList') {
      this.requestList();
      this.arm(this.timeouts.timeoutMs, false);
    } else {
      this.requestNext(false);
    }
  }

  private requestList(): void {
    this.channel.send(common.MissionRequestList, this.target);
  }

  private requestNext(fresh: boolean): void {
    let seq = 0;
    while (this.received.has(seq)) seq++;
    this.channel.send(common.MissionRequestInt, { ...this.target, seq });
    this.arm(this.timeouts.itemTimeoutMs, fresh);
  }

  private complete(): void {
    this.channel.send(common.MissionAck, { ...this.target, type: 0 });
    this.succeed([...this.received.values()].sort((a, b) => a.seq - b.seq));
  }
}

function fromFloatItem(item: common.MissionItem) {
  return { ...item, x: Math.round(item.x * 1e7), y: Math.round(item.y * 1e7) };
}
