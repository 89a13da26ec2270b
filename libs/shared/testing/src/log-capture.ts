/** Where a logger writes (pino's `DestinationStream` shape). */
export interface LogDestination {
  write(text: string): void;
}

export interface CapturedLogs<L> {
  /** The logger made by the caller's factory, writing into memory. */
  logger: L;
  /** The JSON lines written so far, parsed. */
  lines(): Array<Record<string, unknown>>;
}

/**
 * A real logger whose output is kept in memory for assertions:
 * `captureLogs((destination) => createLogger({ service, version, level, destination }))`.
 * The caller makes the logger, so every library, the service runtime included, can test with it.
 */
export function captureLogs<L>(createLogger: (destination: LogDestination) => L): CapturedLogs<L> {
  const written: string[] = [];
  const destination: LogDestination = {
    write(text) {
      written.push(...text.split('\n').filter(Boolean));
    },
  };
  return {
    logger: createLogger(destination),
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
