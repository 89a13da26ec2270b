import { freePort, startProcess } from '@learnathon/process';
import { builtScript } from '@learnathon/testing';
import { startStack } from './support/stack';

/**
 * What happens when nobody reads a process's output any more: the terminal running `npm start`
 * is closed, or the runner is gone. Both must still end in stopped processes and free ports.
 * Here the reading end of the output pipes is closed, which is what a closed terminal looks like
 * to a writer (EPIPE on a pipe, EIO on a terminal).
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

describe('closing the terminal of the local stack (SIGHUP)', () => {
  it('stops all four services, though the runner can no longer write', async () => {
    const stack = await startStack();
    const pids = [...(stack.process.output().match(/pids {2,}(.*)/)?.[1] ?? '').matchAll(/=(\d+)/g)].map(
      (match) => Number(match[1]),
    );
    expect(pids).toHaveLength(4);
    stack.process.child.stdout?.destroy();
    stack.process.child.stderr?.destroy();
    const exit = await stack.process.stop('SIGHUP', 30_000);

    const bases = [stack.frontend, stack.pingerV1, stack.pingerV2, stack.details];
    const answering = await Promise.all(
      bases.map((base) =>
        fetch(`${base}/healthz`).then(
          () => base,
          () => undefined,
        ),
      ),
    );
    // Services left running are stopped here (by the pids the runner printed), not left behind.
    if (answering.some(Boolean)) for (const pid of pids) process.kill(pid, 'SIGKILL');
    expect(answering.filter(Boolean)).toEqual([]);
    expect(exit).toBe(0);
  });
});
