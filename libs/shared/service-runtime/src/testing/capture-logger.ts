import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logger';
import type { LogLevel } from '../config';

export interface CapturedLogger {
  logger: Logger;
  /** Parsed JSON log lines written so far. */
  lines(): Array<Record<string, unknown>>;
}

/** A real service logger whose lines are kept in memory for assertions. */
export function captureLogger(service = 'test', version = 'v0', level: LogLevel = 'debug'): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ service, version, level, destination });
  return { logger, lines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
