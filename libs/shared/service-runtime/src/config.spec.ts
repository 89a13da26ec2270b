import {
  boolVar,
  commonConfig,
  ConfigError,
  enumVar,
  intVar,
  loadConfig,
  optionalStringVar,
  portVar,
  stringVar,
  urlListVar,
  urlVar,
} from './config';

describe('env readers', () => {
  it('intVar parses integers within bounds and names the variable otherwise', () => {
    const read = intVar('PINGER_INTERVAL_MS', 5000, { min: 100, max: 1000 });
    expect(read({})).toBe(5000);
    expect(read({ PINGER_INTERVAL_MS: ' 250 ' })).toBe(250);
    expect(() => read({ PINGER_INTERVAL_MS: 'abc' })).toThrow(
      "PINGER_INTERVAL_MS must be an integer from 100 to 1000, got 'abc'",
    );
    expect(() => read({ PINGER_INTERVAL_MS: '1.5' })).toThrow(ConfigError);
    expect(() => read({ PINGER_INTERVAL_MS: '99' })).toThrow("got '99'");
    expect(() => read({ PINGER_INTERVAL_MS: '1001' })).toThrow("got '1001'");
    expect(() => read({ PINGER_INTERVAL_MS: '1e3' })).toThrow(ConfigError);
  });

  it('treats an empty or blank value as unset', () => {
    expect(intVar('X', 7)({ X: '' })).toBe(7);
    expect(intVar('X', 7)({ X: '   ' })).toBe(7);
  });

  it('portVar accepts 0 to 65535', () => {
    const read = portVar('PORT', 3000);
    expect(read({ PORT: '0' })).toBe(0);
    expect(read({ PORT: '65535' })).toBe(65535);
    expect(() => read({ PORT: '65536' })).toThrow("PORT must be an integer from 0 to 65535, got '65536'");
    expect(() => read({ PORT: '-1' })).toThrow('PORT');
  });

  it('enumVar accepts only the listed values', () => {
    const read = enumVar('PINGER_VERSION', ['v1', 'v2'], 'v1');
    expect(read({ PINGER_VERSION: 'v2' })).toBe('v2');
    expect(() => read({ PINGER_VERSION: 'v3' })).toThrow("PINGER_VERSION must be one of v1, v2, got 'v3'");
    expect(() => read({ PINGER_VERSION: 'V2' })).toThrow(ConfigError);
  });

  it('boolVar accepts true/false/1/0', () => {
    const read = boolVar('FLAG', false);
    expect(read({ FLAG: 'TRUE' })).toBe(true);
    expect(read({ FLAG: '0' })).toBe(false);
    expect(() => read({ FLAG: 'yes' })).toThrow("FLAG must be 'true' or 'false', got 'yes'");
  });

  it('stringVar checks an optional pattern', () => {
    expect(stringVar('HOST', '0.0.0.0')({})).toBe('0.0.0.0');
    expect(() => stringVar('NAME', 'a', /^[a-z]+$/)({ NAME: 'A1' })).toThrow(
      'NAME must be a string matching',
    );
  });

  it('urlVar accepts http(s) URLs and drops trailing slashes', () => {
    const read = urlVar('PINGER_BASE_URL', 'http://127.0.0.1:3000');
    expect(read({})).toBe('http://127.0.0.1:3000');
    expect(read({ PINGER_BASE_URL: 'http://pinger:3000/' })).toBe('http://pinger:3000');
    expect(() => read({ PINGER_BASE_URL: 'pinger:3000' })).toThrow('PINGER_BASE_URL must be an http(s) URL');
    expect(() => read({ PINGER_BASE_URL: 'not a url' })).toThrow(
      "PINGER_BASE_URL must be an absolute http(s) URL, got 'not a url'",
    );
    expect(() => read({ PINGER_BASE_URL: 'ftp://host/' })).toThrow(ConfigError);
  });

  it('urlListVar splits, trims, dedupes and validates every entry', () => {
    const read = urlListVar('PINGER_TARGETS', ['http://127.0.0.1/'], { max: 2 });
    expect(read({})).toEqual(['http://127.0.0.1/']);
    expect(read({ PINGER_TARGETS: ' http://a/ ,http://a/,, https://b/' })).toEqual([
      'http://a/',
      'https://b/',
    ]);
    expect(() => read({ PINGER_TARGETS: 'http://a/,javascript:alert(1)' })).toThrow(
      'PINGER_TARGETS must be an http(s) URL',
    );
    expect(() => read({ PINGER_TARGETS: 'http://a/,http://b/,http://c/' })).toThrow(
      'PINGER_TARGETS must be a list of at most 2 URLs',
    );
  });

  it('optionalStringVar is undefined when unset', () => {
    expect(optionalStringVar('PINGER_STATE_FILE')({})).toBeUndefined();
    expect(optionalStringVar('PINGER_STATE_FILE')({ PINGER_STATE_FILE: '/tmp/x' })).toBe('/tmp/x');
  });
});

describe('loadConfig', () => {
  it('reports every invalid variable at once', () => {
    const error = (() => {
      try {
        loadConfig(commonConfig(3000), { PORT: 'http', LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT_MS: '5' });
      } catch (caught) {
        return caught as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toHaveLength(3);
    expect(error.message).toContain("PORT must be an integer from 0 to 65535, got 'http'");
    expect(error.message).toContain(
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'",
    );
    expect(error.message).toContain('SHUTDOWN_TIMEOUT_MS');
  });

  it('returns typed defaults for an empty environment', () => {
    expect(loadConfig(commonConfig(4000), {})).toEqual({
      port: 4000,
      host: '0.0.0.0',
      logLevel: 'info',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 10_000,
      faults: { errorPercent: 0, delayMs: 0, delayPercent: 100 },
    });
  });

  it('reads the fault injection settings and names each invalid one', () => {
    const env = { FAULT_ERROR_PERCENT: '25', FAULT_DELAY_MS: '400', FAULT_DELAY_PERCENT: '10' };
    expect(loadConfig(commonConfig(4000), env).faults).toEqual({
      errorPercent: 25,
      delayMs: 400,
      delayPercent: 10,
    });
    const bad = { FAULT_ERROR_PERCENT: '101', FAULT_DELAY_MS: '-5', FAULT_DELAY_PERCENT: 'half' };
    expect(() => loadConfig(commonConfig(4000), bad)).toThrow(
      new ConfigError(
        "Invalid configuration: FAULT_ERROR_PERCENT must be an integer from 0 to 100, got '101'; " +
          "FAULT_DELAY_MS must be an integer from 0 to 60000, got '-5'; " +
          "FAULT_DELAY_PERCENT must be an integer from 0 to 100, got 'half'",
      ),
    );
  });

  it('lets unexpected errors through unchanged', () => {
    const boom = new TypeError('boom');
    expect(() =>
      loadConfig({
        broken: () => {
          throw boom;
        },
      }),
    ).toThrow(boom);
  });
});
