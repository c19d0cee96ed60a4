/**
 * Upload work item (GCS → vehicle), as the MAVLink mission protocol and MAVSDK do it.
 *
 *   sendCount ──MISSION_REQUEST(_INT) seq──▶ sendItems ──request seq (any order)──▶ sendItems
 *     │ timeout: resend COUNT                 │ timeout: resend the last item sent
 *     │                                       └──MISSION_ACK ACCEPTED, every item sent──▶ done
 *     └──MISSION_ACK (count 0 or error)──▶ done / failed        retries used up ──▶ timeout
 *
 * Both MISSION_REQUEST_INT and the legacy MISSION_REQUEST (real ArduCopter) are answered with
 * MISSION_ITEM_INT. A request for an item that was already sent is answered again (it was lost).
 */
import { common } from 'mavlink-mappings';
import type { Frame } from '../frame.ts';
import { decodeAs } from '../message.ts';
import { missionResultName } from '../mav-result.ts';
import type { WireMissionItem } from './types.ts';
import { WorkItem, type WorkItemOptions } from './work-item.ts';

type Step = 'sendCount' | 'sendItems';

export class MissionUpload extends WorkItem<void> {
  private step: Step = 'sendCount';
  private lastSentSeq = -1;
  private readonly sent = new Set<number>();

  constructor(opts: WorkItemOptions & { items: WireMissionItem[] }) {
    super(opts);
    this.items = opts.items;
  }

  private readonly items: WireMissionItem[];

  start(): void {
    this.sendCount();
  }

  handle(frame: Frame): void {
    if (this.finished) return;
    if (frame.msgid === common.MissionRequestInt.MSG_ID || frame.msgid === common.MissionRequest.MSG_ID) {
      const req = frame.msgid === common.MissionRequestInt.MSG_ID ? decodeAs(frame, common.MissionRequestInt) : decodeAs(frame, common.MissionRequest);
      if ((req.missionType ?? 0) !== this.missionTypeCode) return;
      if (req.seq >= this.items.length) {
        this.fail({ kind: 'protocol', message: `vehicle requested item ${req.seq} of ${this.items.length}` });
        return;
      }
      this.step = 'sendItems';
      this.sendItem(req.seq);
      this.arm(this.timeouts.itemTimeoutMs, true);
    } else if (frame.msgid === common.MissionAck.MSG_ID) {
      const ack = decodeAs(frame, common.MissionAck);
      if ((ack.missionType ?? 0) !== this.missionTypeCode) return;
      if (ack.type !== 0) {
        this.fail({ kind: 'rejected', missionResult: missionResultName(ack.type), resultCode: ack.type });
      } else if (this.sent.size === this.items.length) {
        this.succeed();
      } else {
        this.fail({ kind: 'protocol', message: `vehicle accepted after ${this.sent.size} of ${this.items.length} items` });
      }
    }
  }

  protected stepName(): string {
    return this.step;
  }

  protected onTimeout(): void {
    if (this.step === 'sendCount' || this.lastSentSeq < 0) this.sendCountOnly();
    else this.sendItem(this.lastSentSeq);
    this.arm(this.step === 'sendCount' ? this.timeouts.timeoutMs : this.timeouts.itemTimeoutMs, false);
  }

  private sendCount(): void {
    this.sendCountOnly();
    this.arm(this.timeouts.timeoutMs, true);
  }

  private sendCountOnly(): void {
    this.channel.send(common.MissionCount, { ...this.target, count: this.items.length, opaqueId: 0 });
  }

  private sendItem(seq: number): void {
    const item = this.items[seq]!;
    this.lastSentSeq = seq;
    this.sent.add(seq);
    this.channel.send(common.MissionItemInt, {
      ...this.target, seq, frame: item.frame, command: item.command, current: item.current, autocontinue: item.autocontinue,
      param1: item.param1, param2: item.param2, param3: item.param3, param4: item.param4, x: item.x, y: item.y, z: item.z,
    });
  }
}
