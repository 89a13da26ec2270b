import { parseCommandLine, UsageError } from './cli';
import { resolveEngine, ToolError } from './engine';

describe('parseCommandLine', () => {
  it('defaults to docker and the learnathon cluster', () => {
    const options = parseCommandLine(['kind-load'], {});
    expect(options).toMatchObject({
      command: 'kind-load',
      engine: 'docker',
      clusterName: 'learnathon',
      project: undefined,
    });
    expect(parseCommandLine(['build', '--project', 'pinger'], {}).project).toBe('pinger');
  });

  it('takes the engine from CONTAINER_ENGINE, and --engine over it', () => {
    expect(parseCommandLine(['build'], { CONTAINER_ENGINE: 'podman' }).engine).toBe('podman');
    expect(parseCommandLine(['build', '--engine=docker'], { CONTAINER_ENGINE: 'podman' }).engine).toBe(
      'docker',
    );
  });

  it('always uses podman for the smoke test', () => {
    expect(parseCommandLine(['smoke'], { CONTAINER_ENGINE: 'docker' }).engine).toBe('podman');
  });

  it('rejects an unknown option, a missing command and a bad cluster name', () => {
    expect(() => parseCommandLine(['build', '--bogus'], {})).toThrow(UsageError);
    expect(() => parseCommandLine([], {})).toThrow('expected one command');
    expect(() => parseCommandLine(['kind-load', '--cluster-name', 'Bad Name'], {})).toThrow('--cluster-name');
  });
});

describe('resolveEngine', () => {
  it('names the setting that holds an unknown engine', () => {
    expect(() => resolveEngine(undefined, { CONTAINER_ENGINE: 'nerdctl' })).toThrow(
      new ToolError("CONTAINER_ENGINE must be one of docker, podman, got 'nerdctl'"),
    );
    expect(() => resolveEngine('lxc', {})).toThrow('--engine must be one of');
  });
});
