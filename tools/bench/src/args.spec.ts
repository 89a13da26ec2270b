import { parseBenchArgs, QUICK_OUT_DIR, UsageError } from './args';

function optionsOf(argv: string[]) {
  const parsed = parseBenchArgs(argv);
  if (parsed.command !== 'run') throw new Error('expected a run');
  return parsed.options;
}

describe('parseBenchArgs', () => {
  it('defaults to the targets’ load: 20 connections, 10 s after a 3 s warm-up, 5 starts, report in docs', () => {
    expect(optionsOf([])).toEqual({
      durationSeconds: 10,
      warmupSeconds: 3,
      connections: 20,
      starts: 5,
      slices: 5,
      outDir: 'docs',
      quick: false,
      check: false,
      renderOnly: false,
    });
  });

  it('makes --quick short and keeps its report out of docs, while explicit values still win', () => {
    expect(optionsOf(['--quick'])).toMatchObject({
      durationSeconds: 3,
      warmupSeconds: 1,
      starts: 3,
      outDir: QUICK_OUT_DIR,
      quick: true,
    });
    expect(optionsOf(['-q', '--duration', '4', '--out-dir', 'docs'])).toMatchObject({
      durationSeconds: 4,
      outDir: 'docs',
    });
  });

  it('reads every option', () => {
    expect(
      optionsOf(['-d', '2.5', '-w', '0', '-c', '8', '--starts', '2', '--slices', '2', '--out-dir', 'out']),
    ).toEqual({
      durationSeconds: 2.5,
      warmupSeconds: 0,
      connections: 8,
      starts: 2,
      slices: 2,
      outDir: 'out',
      quick: false,
      check: false,
      renderOnly: false,
    });
    expect(optionsOf(['--check']).check).toBe(true);
    expect(optionsOf(['--render-only']).renderOnly).toBe(true);
  });

  it('answers --help without running', () => {
    expect(parseBenchArgs(['--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [['--duration', 'ten'], "--duration must be a number of seconds from 0.5 to 600, got 'ten'"],
    [['--duration', '0'], "--duration must be a number of seconds from 0.5 to 600, got '0'"],
    [['--connections', '0'], "--connections must be a whole number from 1 to 1000, got '0'"],
    [['--connections', '2.5'], "--connections must be a whole number from 1 to 1000, got '2.5'"],
    [['--starts=-1'], "--starts must be a whole number from 1 to 50, got '-1'"],
    [
      ['--duration', '1', '--slices', '5'],
      '--duration 1 split into 5 slices gives slices under 0.5 s; use fewer --slices',
    ],
    [['--out-dir', ' '], '--out-dir must not be empty'],
  ])('rejects %j with a message naming the option', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(new UsageError(message));
  });

  it('rejects unknown options and stray arguments', () => {
    expect(() => parseBenchArgs(['--durations', '3'])).toThrow(/unknown option '--durations'/);
    expect(() => parseBenchArgs(['fast'])).toThrow(UsageError);
  });
});
