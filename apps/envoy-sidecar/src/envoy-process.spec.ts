import { EnvoyProcess, exitStatus, runToCompletion } from './envoy-process';

/** Real child processes: the Node binary stands in for any executable here. */
const node = process.execPath;

describe('EnvoyProcess', () => {
  it('reports the exit code and keeps the output', async () => {
    const run = await EnvoyProcess.start(
      node,
      ['-e', 'console.error("bad config: no listeners"); process.exit(3)'],
      {
        forwardOutput: false,
      },
    );
    expect(run.pid).toEqual(expect.any(Number));
    expect(await run.exited).toEqual({ code: 3, signal: null });
    expect(run.alive).toBe(false);
    expect(run.output()).toContain('bad config: no listeners');
  });

  it('stops a child with SIGTERM, and with SIGKILL when it ignores SIGTERM', async () => {
    const polite = await EnvoyProcess.start(node, ['-e', 'setInterval(() => {}, 1000)'], {
      forwardOutput: false,
    });
    expect(await polite.stop(5_000)).toEqual({ code: null, signal: 'SIGTERM' });

    const stubborn = await EnvoyProcess.start(
      node,
      ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'],
      { forwardOutput: false },
    );
    while (!stubborn.output().includes('up')) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await stubborn.stop(200)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('treats a binary that cannot be started as exit 127 with the reason', async () => {
    const run = await EnvoyProcess.start('/nonexistent/envoy', [], { forwardOutput: false });
    expect(exitStatus(await run.exited)).toBe(127);
    expect(run.output()).toContain('could not be started');
  });
});

describe('exitStatus', () => {
  it('maps a signal to 128 + its number, like a shell', () => {
    expect(exitStatus({ code: 0, signal: null })).toBe(0);
    expect(exitStatus({ code: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitStatus({ code: null, signal: 'SIGTERM' })).toBe(143);
  });
});

describe('runToCompletion', () => {
  it('returns status and output, and kills a run that hangs', async () => {
    expect(await runToCompletion(node, ['-e', 'console.log("ok")'], 5_000)).toEqual({
      status: 0,
      output: 'ok',
    });
    const hung = await runToCompletion(node, ['-e', 'setInterval(() => {}, 1000)'], 200);
    expect(hung.status).toBe(137);
  });
});
