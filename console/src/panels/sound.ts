/** A short two-tone cue for urgent events (Web Audio; silent until the page has had a user gesture). */
const KEY = 'eagle-sound';
let ctx: AudioContext | null = null;

export function soundEnabled(): boolean {
  return localStorage.getItem(KEY) !== 'off';
}

export function setSoundEnabled(on: boolean): void {
  localStorage.setItem(KEY, on ? 'on' : 'off');
}

export function alertCue(): void {
  if (!soundEnabled()) return;
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    const now = ctx.currentTime;
    for (const [i, freq] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, now + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.18 + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(now + i * 0.18);
      osc.stop(now + i * 0.18 + 0.17);
    }
  } catch {
    // no audio here: the visual cue remains
  }
}
