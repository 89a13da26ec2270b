import { freePort, startProcess, waitFor } from '@learnathon/process';
import { builtScript } from '@learnathon/testing';
import { startStack, type Stack } from './support/stack';

/**
 * Services left without their runner or their terminal: the terminal running `npm start` is
 * closed, nobody reads a service's output any more, or the runner itself is killed. Each must
 * still end in stopped services and free ports, not in processes running unseen. Closing the
 * reading end of the output pipes is what a closed terminal looks like to a writer (EPIPE on a
 * pipe, EIO on a terminal).
 */
const SERVICES = ['frontend', 'pinger', 'details'] as const;

describe('a service whose output nobody reads any more', () => {
  it.each(SERVICES)('%s still stops cleanly on SIGTERM', async (service) => {
    const port = await freePort();
    const handle = await startProcess({
      script: builtScript(`apps/${service}/main.js`),
      env: { PORT: String(port), HOST: '127.0.0.1' },
      readyUrl: `http://127.0.0.1:${port}/readyz`,
    });
    handle.child.stdout?.destroy();
    handle.child.stderr?.destroy();
    // SIGKILL after 10 s: a service stuck writing its last log lines would end that way instead.
    expect(await handle.stop('SIGTERM', 10_000)).toBe(0);
  });
});

/** The services' pids, from the line the runner prints once they are all up. */
async function pidsOf(stack: Stack): Promise<number[]> {
  const printed = () => {
    const line = stack.process.output().match(/pids {2,}(.*)/)?.[1] ?? '';
    const pids = [...line.matchAll(/=(\d+)/g)].map((match) => Number(match[1]));
    return pids.length === 4 ? pids : undefined;
  };
  return waitFor(printed, { timeoutMs: 5_000, what: "the runner's pids line" });
}

/** The stack's services still answering within `withinMs`; any left are killed (not leaked). */
async function survivors(stack: Stack, pids: number[], withinMs: number): Promise<string[]> {
  const bases = [stack.frontend, stack.pingerV1, stack.pingerV2, stack.details];
  const answering = async () =>
    (
      await Promise.all(
        bases.map((base) =>
          fetch(`${base}/healthz`).then(
            () => base,
            () => undefined,
          ),
        ),
      )
    ).filter((base): base is string => base !== undefined);
  const allStopped = async () => (await answering()).length === 0;
  await waitFor(allStopped, { timeoutMs: withinMs, intervalMs: 200, what: 'the services to stop' }).catch(
    () => undefined, // the survivors are named below
  );
  const left = await answering();
  if (left.length > 0) for (const pid of pids) killIfRunning(pid);
  return left;
}

function killIfRunning(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already: only the ones still answering matter
  }
}

describe('the local stack without its terminal or its runner', () => {
  it('stops all four services when the terminal closes (SIGHUP), though the runner can no longer write', async () => {
    const stack = await startStack();
    const pids = await pidsOf(stack);
    stack.process.child.stdout?.destroy();
    stack.process.child.stderr?.destroy();
    const exit = await stack.process.stop('SIGHUP', 30_000);
    expect(await survivors(stack, pids, 0)).toEqual([]);
    expect(exit).toBe(0);
  });

  it('has the services stop themselves when the runner is killed (SIGKILL)', async () => {
    const stack = await startStack();
    const pids = await pidsOf(stack);
    expect(await stack.process.stop('SIGKILL')).toBe('SIGKILL');
    // Each polls for its parent every 0.5 s, then shuts down as on SIGTERM.
    expect(await survivors(stack, pids, 10_000)).toEqual([]);
  });
});
