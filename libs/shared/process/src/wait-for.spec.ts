import { waitFor } from './wait-for';

describe('waitFor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves with the first truthy value, polling at the interval', async () => {
    let calls = 0;
    const result = waitFor(() => (++calls >= 3 ? 'ready' : undefined), { intervalMs: 100 });
    await jest.advanceTimersByTimeAsync(250);
    await expect(result).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  it('treats a throwing check as not yet and names its last error on timeout', async () => {
    const result = waitFor(
      () => {
        throw new Error('ECONNREFUSED');
      },
      { timeoutMs: 1_000, intervalMs: 100, what: 'the server' },
    );
    const failed = expect(result).rejects.toThrow(
      'timed out after 1000 ms waiting for the server: Error: ECONNREFUSED',
    );
    await jest.advanceTimersByTimeAsync(1_100);
    await failed;
  });

  it('stops at once when its signal aborts, with the reason', async () => {
    const controller = new AbortController();
    let calls = 0;
    const result = waitFor(
      () => {
        calls += 1;
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, signal: controller.signal },
    );
    const failed = expect(result).rejects.toThrow('the process exited');
    await jest.advanceTimersByTimeAsync(1_500);
    controller.abort(new Error('the process exited'));
    await jest.advanceTimersByTimeAsync(0);
    await failed;
    expect(calls).toBe(2);
  });
});
