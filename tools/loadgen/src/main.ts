import { parseCommandLine, USAGE, UsageError } from './args';
import { formatProgress } from './progress';
import { runLoad } from './run';
import { buildSummary, EXIT_CODES, exitCodeFor, formatSummary } from './summary';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

async function main(argv: string[]): Promise<number> {
  const parsed = parseOrExplain(argv);
  if (typeof parsed === 'number') return parsed;
  if (parsed.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_CODES.ok;
  }
  const options = parsed.options;
  const interrupt = stopOnSignals();
  const showProgress = options.progress || process.stderr.isTTY === true;
  const outcome = await runLoad(options, {
    signal: interrupt.signal,
    ...(showProgress ? { onProgress: (sample) => process.stderr.write(`${formatProgress(sample)}\n`) } : {}),
  });
  if (!outcome) {
    process.stderr.write('loadgen: interrupted during warm-up; nothing was measured\n');
    return EXIT_CODES.interrupted;
  }
  const summary = buildSummary(options, outcome);
  process.stdout.write(
    options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, options.maxErrorRate),
  );
  return exitCodeFor(summary, options.maxErrorRate);
}

function parseOrExplain(argv: string[]): ReturnType<typeof parseCommandLine> | number {
  try {
    return parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`loadgen: ${error.message} (see --help)\n`);
    return EXIT_CODES.badInput;
  }
}

/**
 * The first Ctrl-C (or SIGTERM, e.g. `docker stop`) ends the run early and still prints the
 * summary; a second one quits at once. Handled explicitly because as PID 1 in a container Node
 * would otherwise ignore both.
 */
function stopOnSignals(): AbortController {
  const controller = new AbortController();
  const onFirstSignal = () => {
    process.stderr.write('loadgen: stopping, press Ctrl-C again to quit without a summary\n');
    controller.abort();
    for (const signal of STOP_SIGNALS) {
      process.removeListener(signal, onFirstSignal);
      process.once(signal, () => process.exit(EXIT_CODES.interrupted));
    }
  };
  for (const signal of STOP_SIGNALS) process.once(signal, onFirstSignal);
  return controller;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`loadgen: run failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = EXIT_CODES.failed;
  },
);
