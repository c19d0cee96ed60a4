/**
 * How long a text takes to say, estimated from the text: about 4 Chinese (CJK) characters a
 * second and 2.5 words a second for Latin-script words, with a pause between repeats. Used by the
 * simulated speaker to play for a realistic time, and by the server to expect when a broadcast ends.
 */
export const CJK_CHARS_PER_S = 4;
export const WORDS_PER_S = 2.5;
export const REPEAT_PAUSE_MS = 800;
const MIN_PASS_MS = 500;

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/gu;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’\-.]*/gu;

/** One pass over the text, in milliseconds. */
export function speechPassMs(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const words = text.replace(CJK, ' ').match(WORD)?.length ?? 0;
  return Math.max(MIN_PASS_MS, Math.round((cjk / CJK_CHARS_PER_S + words / WORDS_PER_S) * 1000));
}

/** The whole request: every repeat and the pauses between them. */
export function speechDurationMs(text: string, repeat: number): number {
  const n = Math.max(1, Math.round(repeat));
  return speechPassMs(text) * n + REPEAT_PAUSE_MS * (n - 1);
}
