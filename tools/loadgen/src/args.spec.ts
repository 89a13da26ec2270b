import { errorThrownBy } from '@learnathon/testing';
import { DEFAULT_URL, parseCommandLine, UsageError, type LoadgenOptions } from './args';

function optionsOf(argv: string[]): LoadgenOptions {
  const parsed = parseCommandLine(argv);
  if (parsed.command !== 'run') throw new Error(`expected a run, got ${parsed.command}`);
  return parsed.options;
}

const usageErrorOf = (argv: string[]) => errorThrownBy(() => parseCommandLine(argv), UsageError).message;

describe('parseCommandLine: good input', () => {
  it('has defaults that aim at the local frontend with a safe POST body', () => {
    const options = optionsOf([]);
    expect(options.url.href).toBe(`${DEFAULT_URL}/`);
    expect(options).toMatchObject({
      durationSeconds: 10,
      connections: 10,
      rate: undefined,
      warmupSeconds: 0,
      timeoutSeconds: 10,
      json: false,
      progress: false,
      maxErrorRate: undefined,
    });
    expect(options.mix.map((entry) => `${entry.method} ${entry.path}:${entry.weight}`)).toEqual([
      'GET /:1',
      'GET /ping/stats:6',
      'GET /ping/urls:2',
      'POST /url/info:1',
    ]);
    expect(options.infoUrl).toBe('http://127.0.0.1:9000/healthz');
  });

  it('reads every option in long form', () => {
    const options = optionsOf([
      '--url',
      'https://127.0.0.1:8443/app',
      '--duration',
      '1.5',
      '--connections',
      '4',
      '--rate',
      '200',
      '--warmup',
      '2',
      '--timeout',
      '0.5',
      '--mix',
      'POST /url/info:1',
      '--info-url',
      'http://127.0.0.1:4000/healthz',
      '--max-error-rate',
      '0.01',
      '--json',
      '--progress',
    ]);
    expect(options).toMatchObject({
      durationSeconds: 1.5,
      connections: 4,
      rate: 200,
      warmupSeconds: 2,
      timeoutSeconds: 0.5,
      mix: [{ method: 'POST', path: '/url/info', weight: 1 }],
      infoUrl: 'http://127.0.0.1:4000/healthz',
      maxErrorRate: 0.01,
      json: true,
      progress: true,
    });
    expect(options.url.href).toBe('https://127.0.0.1:8443/app');
  });

  it('reads short options and --opt=value', () => {
    const options = optionsOf([
      '-u',
      'http://127.0.0.1:3000',
      '-d',
      '2',
      '-c',
      '3',
      '-r',
      '10',
      '-w',
      '1',
      '-t',
      '5',
      '-m',
      '/ping/stats:1',
      '--max-error-rate=0',
    ]);
    expect(options).toMatchObject({
      durationSeconds: 2,
      connections: 3,
      rate: 10,
      warmupSeconds: 1,
      timeoutSeconds: 5,
      maxErrorRate: 0,
    });
    expect(options.infoUrl).toBe('http://127.0.0.1:3000/healthz');
  });

  it('keeps the default POST body on loopback even for a remote target', () => {
    expect(optionsOf(['--url', 'http://frontend:9000']).infoUrl).toBe('http://127.0.0.1:9000/healthz');
    expect(optionsOf(['--url', 'https://example.test']).infoUrl).toBe('https://127.0.0.1:443/healthz');
  });

  it('answers --help without validating anything else', () => {
    expect(parseCommandLine(['--help'])).toEqual({ command: 'help' });
    expect(parseCommandLine(['-h'])).toEqual({ command: 'help' });
  });
});

describe('parseCommandLine: bad input is one line naming the option', () => {
  it.each([
    [['--url', 'not a url'], "--url must be an absolute http:// or https:// URL, got 'not a url'"],
    [['--url', '127.0.0.1:9000'], "--url must be an absolute http:// or https:// URL, got '127.0.0.1:9000'"],
    [['--url', 'localhost:9000'], "--url must use http or https, got 'localhost' in 'localhost:9000'"],
    [['--url', 'ftp://127.0.0.1/'], "--url must use http or https, got 'ftp' in 'ftp://127.0.0.1/'"],
    [['--url', 'http://127.0.0.1:9000/?a=1'], '--url must not have a query or fragment'],
    [['--url', 'http://user:secret@127.0.0.1:9000'], '--url must not carry credentials'],
    [['--duration', '-1'], "--duration must be a number greater than 0 up to 86400 seconds, got '-1'"],
    [['--duration=-1'], "--duration must be a number greater than 0 up to 86400 seconds, got '-1'"],
    [['-d', '-1'], "--duration must be a number greater than 0 up to 86400 seconds, got '-1'"],
    [['--duration', 'abc'], "--duration must be a number greater than 0 up to 86400 seconds, got 'abc'"],
    [['--duration', '0'], "got '0'"],
    [['--duration', '10s'], "got '10s'"],
    [['--duration', ''], "got ''"],
    [['--connections', '0'], "--connections must be a whole number from 1 to 10000, got '0'"],
    [['--connections', '2.5'], "--connections must be a whole number from 1 to 10000, got '2.5'"],
    [['--connections', 'many'], "--connections must be a whole number from 1 to 10000, got 'many'"],
    [['--rate', '0'], "--rate must be a whole number from 1 to 1000000, got '0'"],
    [['--warmup', '-2'], "--warmup must be a number from 0 up to 3600 seconds, got '-2'"],
    [['--timeout', '0'], "--timeout must be a number greater than 0 up to 600 seconds, got '0'"],
    [['--max-error-rate', '1.5'], "--max-error-rate must be a number from 0 up to 1, got '1.5'"],
    [['--max-error-rate', '5%'], "got '5%'"],
    [['--mix', '/ping/stats'], "--mix entry '/ping/stats' needs a weight, as in '/ping/stats:1'"],
    [['--mix', 'PUT /ping/urls:1'], "--mix entry 'PUT /ping/urls:1' has method 'PUT'"],
    [['--mix', ''], '--mix must list at least one entry'],
    [['--info-url', 'file:///etc/passwd'], "--info-url must use http or https, got 'file'"],
    [['--bogus'], "unknown option '--bogus'"],
    [['-x'], "unknown option '-x'"],
    [['http://127.0.0.1:9000'], "unexpected argument 'http://127.0.0.1:9000'"],
    [['--duration'], "--duration <value>' argument missing"],
    [['--json=yes'], "'--json' does not take an argument"],
  ])('%j', (argv, message) => {
    const error = usageErrorOf(argv);
    expect(error).toContain(message);
    expect(error).not.toContain('\n');
  });
});
