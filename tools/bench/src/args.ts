import { parseArgs } from 'node:util';

export interface BenchOptions {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** Starts per service for the ready-time median. */
  starts: number;
  /** Alternating baseline/service slices the measured duration is split into. */
  slices: number;
  /** Where benchmarks.md and benchmarks.json are written. */
  outDir: string;
  quick: boolean;
  /** Exit 3 when a target is missed (for CI); otherwise misses are only reported. */
  check: boolean;
  /** Only re-render benchmarks.md from the benchmarks.json in `outDir` (after editing the notes). */
  renderOnly: boolean;
}

export type ParsedCommand = { command: 'help' } | { command: 'run'; options: BenchOptions };

/** Bad command-line input; the message is one line that names the option. */
export class UsageError extends Error {}

export const DEFAULT_OUT_DIR = 'docs';
/** Quick runs are for local iteration; they never overwrite the committed report unless asked to. */
export const QUICK_OUT_DIR = 'tmp/bench';

const FULL = { duration: 10, warmup: 3, starts: 5 };
const QUICK = { duration: 3, warmup: 1, starts: 3 };

export const USAGE = `Usage: node dist/tools/bench/main.js [options]   (or: NX_DAEMON=false npx nx run bench:bench [-- options])

Starts the built services as child processes on 127.0.0.1, loads them with autocannon side by side
with a bare Express baseline, and writes benchmarks.md and benchmarks.json.

Options:
  -d, --duration <seconds>   measured load per scenario (default ${FULL.duration}; quick ${QUICK.duration})
  -w, --warmup <seconds>     unmeasured load before each scenario (default ${FULL.warmup}; quick ${QUICK.warmup})
  -c, --connections <n>      concurrent connections (default 20)
      --starts <n>           starts per service for ready time and idle RSS (default ${FULL.starts}; quick ${QUICK.starts})
      --slices <n>           alternating baseline/service slices per scenario (default 5)
      --out-dir <dir>        where the report goes (default ${DEFAULT_OUT_DIR}; quick ${QUICK_OUT_DIR})
  -q, --quick                short run for local iteration
      --check                exit 3 when any target is missed (default: report only)
      --render-only          rewrite benchmarks.md from the benchmarks.json already in --out-dir
  -h, --help                 show this help

Exit codes: 0 done, 1 failed to run, 2 bad input, 3 a target missed (with --check).`;

const OPTION_SPEC = {
  duration: { type: 'string', short: 'd' },
  warmup: { type: 'string', short: 'w' },
  connections: { type: 'string', short: 'c' },
  starts: { type: 'string' },
  slices: { type: 'string' },
  'out-dir': { type: 'string' },
  quick: { type: 'boolean', short: 'q' },
  check: { type: 'boolean' },
  'render-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const WHOLE_NUMBER = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

export function parseBenchArgs(argv: readonly string[]): ParsedCommand {
  const values = readValues(argv);
  if (values.help) return { command: 'help' };
  const quick = values.quick ?? false;
  const defaults = quick ? QUICK : FULL;
  const durationSeconds = decimal('duration', values.duration, defaults.duration, { min: 0.5, max: 600 });
  const slices = wholeNumber('slices', values.slices, 5, { min: 1, max: 50 });
  if (durationSeconds / slices < 0.5) {
    throw new UsageError(
      `--duration ${durationSeconds} split into ${slices} slices gives slices under 0.5 s; use fewer --slices`,
    );
  }
  return {
    command: 'run',
    options: {
      durationSeconds,
      warmupSeconds: decimal('warmup', values.warmup, defaults.warmup, { min: 0, max: 120 }),
      connections: wholeNumber('connections', values.connections, 20, { min: 1, max: 1_000 }),
      starts: wholeNumber('starts', values.starts, defaults.starts, { min: 1, max: 50 }),
      slices,
      outDir: outDir(values['out-dir'] ?? (quick ? QUICK_OUT_DIR : DEFAULT_OUT_DIR)),
      quick,
      check: values.check ?? false,
      renderOnly: values['render-only'] ?? false,
    },
  };
}

function readValues(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTION_SPEC, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const message = String((error as Error).message ?? error).split('\n')[0] ?? '';
    throw new UsageError(message.replace(/^Unknown option/, 'unknown option'));
  }
}

interface Range {
  min: number;
  max: number;
}

function wholeNumber(
  option: string,
  text: string | undefined,
  fallback: number,
  { min, max }: Range,
): number {
  if (text === undefined) return fallback;
  const value = WHOLE_NUMBER.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got '${text}'`);
  return value;
}

function decimal(option: string, text: string | undefined, fallback: number, { min, max }: Range): number {
  if (text === undefined) return fallback;
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new UsageError(`--${option} must be a number of seconds from ${min} to ${max}, got '${text}'`);
  return value;
}

function outDir(text: string): string {
  if (text.trim() === '') throw new UsageError('--out-dir must not be empty');
  return text;
}
