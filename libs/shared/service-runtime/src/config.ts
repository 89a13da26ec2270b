/**
 * Environment configuration, validated once at start.
 *
 * Each variable is described by a small reader that either returns a typed value or throws a
 * `ConfigError` naming the variable and the offending value. `loadConfig` runs every reader and
 * reports all problems at once, so a misconfigured Deployment is fixed in one round trip.
 */

export type Env = Readonly<Record<string, string | undefined>>;
export type EnvReader<T> = (env: Env) => T;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function raw(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function fail(name: string, expected: string, value: string): never {
  throw new ConfigError(`${name} must be ${expected}, got '${value}'`);
}

export interface IntOptions {
  min?: number;
  max?: number;
}

export function intVar(
  name: string,
  fallback: number,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: IntOptions = {},
): EnvReader<number> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    const expected = `an integer from ${min} to ${max}`;
    if (!/^-?\d+$/.test(value)) fail(name, expected, value);
    const parsed = Number(value);
    if (parsed < min || parsed > max) fail(name, expected, value);
    return parsed;
  };
}

export function portVar(name = 'PORT', fallback: number): EnvReader<number> {
  return intVar(name, fallback, { min: 0, max: 65535 });
}

export function enumVar<const T extends string>(
  name: string,
  allowed: readonly T[],
  fallback: T,
): EnvReader<T> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) fail(name, `one of ${allowed.join(', ')}`, value);
    return value as T;
  };
}

export function stringVar(name: string, fallback: string, pattern?: RegExp): EnvReader<string> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return fallback;
    if (pattern && !pattern.test(value)) fail(name, `a string matching ${pattern}`, value);
    return value;
  };
}

export function boolVar(name: string, fallback: boolean): EnvReader<boolean> {
  return (env) => {
    const value = raw(env, name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return fail(name, "'true' or 'false'", value);
  };
}

function parseHttpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(name, 'an absolute http(s) URL', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(name, 'an http(s) URL', value);
  return url;
}

/** A base URL for an upstream service; the trailing slash is dropped so paths can be appended. */
export function urlVar(name: string, fallback: string): EnvReader<string> {
  return (env) => {
    const value = raw(env, name) ?? fallback;
    parseHttpUrl(name, value);
    return value.replace(/\/+$/, '');
  };
}

/** A comma-separated list of http(s) URLs; blanks are ignored, duplicates dropped. */
export function urlListVar(
  name: string,
  fallback: readonly string[],
  { max = 100 }: { max?: number } = {},
): EnvReader<string[]> {
  return (env) => {
    const value = raw(env, name);
    if (value === undefined) return [...fallback];
    const urls = [
      ...new Set(
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
    ];
    for (const url of urls) parseHttpUrl(name, url);
    if (urls.length > max) fail(name, `a list of at most ${max} URLs`, `${urls.length} URLs`);
    return urls;
  };
}

export function optionalStringVar(name: string): EnvReader<string | undefined> {
  return (env) => raw(env, name);
}

export type ConfigSchema = Record<string, EnvReader<unknown>>;
export type ConfigOf<S extends ConfigSchema> = { readonly [K in keyof S]: ReturnType<S[K]> };

export function loadConfig<S extends ConfigSchema>(schema: S, env: Env = process.env): ConfigOf<S> {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, read] of Object.entries(schema)) {
    try {
      config[key] = read(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, problems);
  }
  return config as ConfigOf<S>;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Deliberate faults for drills (e.g. deploying a faulty canary on purpose to see it rolled back),
 * like podinfo's random-error and random-delay flags. All off by default; see fault-injection.ts.
 */
export const faultInjectionConfig = {
  /** Share of requests answered 500 `injected_fault`. */
  errorPercent: intVar('FAULT_ERROR_PERCENT', 0, { max: 100 }),
  /** Latency added to `delayPercent` of requests. */
  delayMs: intVar('FAULT_DELAY_MS', 0, { max: 60_000 }),
  delayPercent: intVar('FAULT_DELAY_PERCENT', 100, { max: 100 }),
};
export type FaultInjection = ConfigOf<typeof faultInjectionConfig>;

/** Settings every service shares; each app adds its own on top. */
export const commonConfig = (defaultPort: number) => ({
  port: portVar('PORT', defaultPort),
  host: stringVar('HOST', '0.0.0.0'),
  logLevel: enumVar('LOG_LEVEL', LOG_LEVELS, 'info'),
  /** How long to keep serving after SIGTERM while endpoints are removed from load balancers. */
  shutdownDelayMs: intVar('SHUTDOWN_DELAY_MS', 0, { max: 60_000 }),
  /** Upper bound for in-flight requests to finish once the server stops accepting. */
  shutdownTimeoutMs: intVar('SHUTDOWN_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 }),
  faults: (env: Env): FaultInjection => loadConfig(faultInjectionConfig, env),
});
