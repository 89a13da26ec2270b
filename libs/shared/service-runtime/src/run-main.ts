import { ConfigError } from './config';

/**
 * Runs an app's async main. A configuration error is printed as one JSON line naming the variable
 * and exits 2; any other start-up failure exits 1. Either way the process never hangs.
 */
export function runMain(service: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    const isConfig = error instanceof ConfigError;
    const line = {
      level: 'fatal',
      time: new Date().toISOString(),
      service,
      msg: isConfig ? error.message : 'failed to start',
      ...(isConfig ? { problems: error.problems } : { err: String((error as Error)?.stack ?? error) }),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(isConfig ? 2 : 1);
  });
}
