import { parseArgs } from 'node:util';
import { DEFAULT_MIX, MixError, parseMix, type MixEntry } from './mix';

export const DEFAULT_URL = 'http://127.0.0.1:9000';

export interface LoadgenOptions {
  url: URL;
  durationSeconds: number;
  connections: number;
  /** Requests per second over all connections; undefined means as fast as the target answers. */
  rate: number | undefined;
  warmupSeconds: number;
  timeoutSeconds: number;
  mix: MixEntry[];
  /** The `{url}` sent in POST bodies (`POST /url/info` makes details fetch it). */
  infoUrl: string;
  json: boolean;
  progress: boolean;
  /** 0..1; above it the run exits non-zero. Undefined means never. */
  maxErrorRate: number | undefined;
}

export type ParsedCommand = { command: 'help' } | { command: 'run'; options: LoadgenOptions };

/** Bad command-line input; the message is one line that names the option. */
export class UsageError extends Error {}

export const USAGE = `Usage: loadgen [options]

Sends a weighted mix of requests to the learnathon frontend (or any HTTP target) and prints
throughput, latency percentiles, status codes and the share of each x-service-version.

Options:
  -u, --url <url>             target base URL (default ${DEFAULT_URL})
  -d, --duration <seconds>    how long to send load (default 10)
  -c, --connections <n>       concurrent connections (default 10)
  -r, --rate <req/s>          fixed rate over all connections (default: as fast as possible)
  -w, --warmup <seconds>      send load this long first, left out of the results (default 0)
  -t, --timeout <seconds>     per-request timeout (default 10)
  -m, --mix <entries>         weighted routes, "[METHOD ]PATH:WEIGHT" comma-separated
                              (default "${DEFAULT_MIX}")
      --info-url <url>        the {"url"} sent in POST bodies
                              (default http://127.0.0.1:<target port>/healthz)
      --max-error-rate <0-1>  exit 3 when (non-2xx/3xx + errors) / all exceeds this
      --json                  print the summary as JSON on stdout
      --progress              print a progress line every second on stderr (default when it is a TTY)
  -h, --help                  show this help

Exit codes: 0 done, 1 failed, 2 bad input, 3 error rate above --max-error-rate, 130 interrupted.`;

const OPTION_SPEC = {
  url: { type: 'string', short: 'u' },
  duration: { type: 'string', short: 'd' },
  connections: { type: 'string', short: 'c' },
  rate: { type: 'string', short: 'r' },
  warmup: { type: 'string', short: 'w' },
  timeout: { type: 'string', short: 't' },
  mix: { type: 'string', short: 'm' },
  'info-url': { type: 'string' },
  'max-error-rate': { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type RawValues = {
  [K in keyof typeof OPTION_SPEC]?: (typeof OPTION_SPEC)[K]['type'] extends 'string' ? string : boolean;
};

const WHOLE_NUMBER = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

export function parseCommandLine(argv: string[]): ParsedCommand {
  const values = readValues(argv);
  if (values.help) return { command: 'help' };
  const url = targetUrl(values.url ?? DEFAULT_URL);
  return {
    command: 'run',
    options: {
      url,
      durationSeconds: decimal('duration', values.duration ?? '10', {
        min: 0,
        minInclusive: false,
        max: 86_400,
        unit: 'seconds',
      }),
      connections: wholeNumber('connections', values.connections ?? '10', { min: 1, max: 10_000 }),
      rate:
        values.rate === undefined ? undefined : wholeNumber('rate', values.rate, { min: 1, max: 1_000_000 }),
      warmupSeconds: decimal('warmup', values.warmup ?? '0', {
        min: 0,
        minInclusive: true,
        max: 3_600,
        unit: 'seconds',
      }),
      timeoutSeconds: decimal('timeout', values.timeout ?? '10', {
        min: 0,
        minInclusive: false,
        max: 600,
        unit: 'seconds',
      }),
      mix: mix(values.mix ?? DEFAULT_MIX),
      infoUrl:
        values['info-url'] === undefined ? defaultInfoUrl(url) : httpUrl('info-url', values['info-url']).href,
      json: values.json ?? false,
      progress: values.progress ?? false,
      maxErrorRate:
        values['max-error-rate'] === undefined
          ? undefined
          : decimal('max-error-rate', values['max-error-rate'], { min: 0, minInclusive: true, max: 1 }),
    },
  };
}

function readValues(argv: string[]): RawValues {
  try {
    return parseArgs({
      args: joinNegativeValues(argv),
      options: OPTION_SPEC,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

/**
 * `--duration -1` would make parseArgs complain about an "ambiguous" argument; joined into
 * `--duration=-1` (or `-d-1`) it reaches our own check, which says what a valid value looks like.
 */
function joinNegativeValues(argv: string[]): string[] {
  const takesValue = new Set(
    Object.entries(OPTION_SPEC)
      .filter(([, spec]) => spec.type === 'string')
      .flatMap(([name, spec]) => [`--${name}`, ...('short' in spec ? [`-${spec.short}`] : [])]),
  );
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    const next = argv[index + 1];
    if (takesValue.has(arg) && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      index++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = String((error as Error).message ?? error).split('\n')[0] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `${message.replace(/^Unknown option/, 'unknown option')}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument ${message.match(/'[^']*'/)?.[0] ?? ''}: every input is an --option`;
  return message;
}

function targetUrl(text: string): URL {
  const url = httpUrl('url', text);
  if (url.search || url.hash)
    throw new UsageError(`--url must not have a query or fragment (the mix sets the paths), got '${text}'`);
  if (url.username || url.password)
    throw new UsageError(
      `--url must not carry credentials, got '${url.protocol}//${url.host}' with a user name`,
    );
  return url;
}

function httpUrl(option: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--${option} must be an absolute http:// or https:// URL, got '${text}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--${option} must use http or https, got '${url.protocol.replace(/:$/, '')}' in '${text}'`,
    );
  }
  return url;
}

/** The target's own health check on loopback: a default POST body must never point beyond this machine. */
function defaultInfoUrl(target: URL): string {
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return `${target.protocol}//127.0.0.1:${port}/healthz`;
}

function wholeNumber(option: string, text: string, { min, max }: { min: number; max: number }): number {
  const value = WHOLE_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got '${text}'`);
  return value;
}

interface DecimalRange {
  min: number;
  minInclusive: boolean;
  max: number;
  unit?: string;
}

function decimal(option: string, text: string, { min, minInclusive, max, unit }: DecimalRange): number {
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  const aboveMin = minInclusive ? value >= min : value > min;
  if (aboveMin && value <= max) return value;
  const lower = minInclusive ? `from ${min}` : `greater than ${min}`;
  throw new UsageError(
    `--${option} must be a number ${lower} up to ${max}${unit ? ` ${unit}` : ''}, got '${text}'`,
  );
}

function mix(text: string): MixEntry[] {
  try {
    return parseMix(text);
  } catch (error) {
    if (error instanceof MixError) throw new UsageError(`--mix ${error.message}`);
    throw error;
  }
}
