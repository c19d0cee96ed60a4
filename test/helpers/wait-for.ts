/** Wait for a condition with a deadline: no sleep-and-hope. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, opts: { timeoutMs?: number; what: string; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${opts.timeoutMs ?? 5000} ms waiting for ${opts.what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 20));
  }
}
