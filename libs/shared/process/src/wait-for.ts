export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What is awaited, for the timeout message ("http://127.0.0.1:3000/readyz to answer 200"). */
  what?: string;
  /** Stops waiting at once when aborted (e.g. the process being waited on has exited). */
  signal?: AbortSignal;
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function abortReason(signal: AbortSignal, what: string): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(`gave up waiting for ${what}`);
}

/**
 * Polls `check` until it returns a truthy value, the deadline passes or `signal` aborts. A check
 * that throws counts as "not yet" (a server that is not listening yet refuses connections); the
 * last error is named in the timeout message.
 */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 10_000, intervalMs = 50, what = 'condition', signal }: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw abortReason(signal, what);
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    await pause(intervalMs, signal);
  }
  if (signal?.aborted) throw abortReason(signal, what);
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}
