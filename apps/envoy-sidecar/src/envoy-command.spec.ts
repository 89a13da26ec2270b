import { epochArgs, isStillInitializing, parseBaseId, validateArgs } from './envoy-command';

const options = { concurrency: 2, drainTimeS: 5, parentShutdownTimeS: 10, baseIdPath: '/dev/shm/x/base-id' };

describe('Envoy command lines', () => {
  it('validates with --mode validate and the config path', () => {
    expect(validateArgs('/etc/envoy/envoy.json')).toEqual([
      '--mode',
      'validate',
      '-c',
      '/etc/envoy/envoy.json',
    ]);
  });

  it('starts epoch 0 with a dynamic base id written to the base id path', () => {
    const args = epochArgs('/c.json', 0, undefined, options);
    expect(args).toEqual([
      '-c',
      '/c.json',
      '--restart-epoch',
      '0',
      '--use-dynamic-base-id',
      '--base-id-path',
      '/dev/shm/x/base-id',
      '--concurrency',
      '2',
      '--drain-time-s',
      '5',
      '--parent-shutdown-time-s',
      '10',
    ]);
  });

  it('starts later epochs with the base id epoch 0 picked, never the dynamic flag', () => {
    const args = epochArgs('/c.json', 3, '417', options);
    expect(args.slice(0, 6)).toEqual(['-c', '/c.json', '--restart-epoch', '3', '--base-id', '417']);
    expect(args).not.toContain('--use-dynamic-base-id');
  });

  it('refuses a later epoch without a base id', () => {
    expect(() => epochArgs('/c.json', 1, undefined, options)).toThrow('epoch 1 needs the base id of epoch 0');
  });

  it("recognises Envoy's 'still initializing' refusal and nothing else", () => {
    expect(
      isStillInitializing(
        '[critical][main] error initializing config: previous envoy process is still initializing',
      ),
    ).toBe(true);
    expect(isStillInitializing('unable to bind domain socket with base_id=1')).toBe(false);
  });

  it('reads the base id file and rejects anything but an integer', () => {
    expect(parseBaseId('1234\n', '/p')).toBe('1234');
    expect(() => parseBaseId('', '/p')).toThrow("/p should hold Envoy's base id, got ''");
    expect(() => parseBaseId('12a', '/p')).toThrow("got '12a'");
  });
});
