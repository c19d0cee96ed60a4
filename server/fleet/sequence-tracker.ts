/** Packet-loss estimate from MAVLink sequence numbers, per sending component. */
export class SequenceTracker {
  private readonly next = new Map<number, number>();
  received = 0;
  lost = 0;

  observe(compid: number, seq: number): void {
    this.received++;
    const expected = this.next.get(compid);
    this.next.set(compid, (seq + 1) & 0xff);
    if (expected === undefined) return;
    const gap = (seq - expected) & 0xff;
    // A large gap is a reboot or reordering, not 200 lost frames.
    if (gap > 0 && gap < 128) this.lost += gap;
  }

  get lossPct(): number {
    const total = this.received + this.lost;
    return total === 0 ? 0 : (100 * this.lost) / total;
  }
}
