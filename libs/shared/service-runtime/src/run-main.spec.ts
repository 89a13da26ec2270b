import { ConfigError } from './config';
import { runMain } from './run-main';

/** Runs `main` through runMain with process.exit and stderr captured; resolves once it has exited (or not). */
async function run(main: () => Promise<unknown>) {
  const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as () => never);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  runMain('demo', main);
  await new Promise((resolve) => setImmediate(resolve));
  const lines = stderr.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>);
  return { exitCodes: exit.mock.calls.map(([code]) => code), lines };
}

describe('runMain', () => {
  it('leaves a main that started to run on', async () => {
    expect(await run(async () => 'listening')).toEqual({ exitCodes: [], lines: [] });
  });

  it('exits 2 on a configuration error, with one JSON line naming every problem', async () => {
    const problems = [
      "PORT must be an integer from 0 to 65535, got 'x'",
      "LOG_LEVEL must be one of ..., got 'y'",
    ];
    const { exitCodes, lines } = await run(async () => {
      throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, problems);
    });
    expect(exitCodes).toEqual([2]);
    expect(lines).toEqual([
      {
        level: 'fatal',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        service: 'demo',
        msg: `Invalid configuration: ${problems.join('; ')}`,
        problems,
      },
    ]);
  });

  it('exits 1 on any other start-up failure, with the stack in the line', async () => {
    const { exitCodes, lines } = await run(async () => {
      throw new Error('EADDRINUSE 127.0.0.1:3000');
    });
    expect(exitCodes).toEqual([1]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'fatal',
        service: 'demo',
        msg: 'failed to start',
        err: expect.stringMatching(/^Error: EADDRINUSE 127\.0\.0\.1:3000\n\s+at /),
      }),
    ]);
  });
});
