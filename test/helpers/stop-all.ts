/** Close what a test started, in order (simulator before server), skipping what never started. */
export async function stopAll(...parts: Array<{ close(): Promise<void> } | null | undefined>): Promise<void> {
  for (const p of parts) await p?.close();
}
