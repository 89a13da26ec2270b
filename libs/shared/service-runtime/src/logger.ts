import { activeTraceIds } from '@learnathon/tracing';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  version: string;
  level: LogLevel;
  /** Where lines go; stdout unless a test captures them. */
  destination?: DestinationStream;
}

/**
 * JSON lines on stdout, one object per event, with `trace_id`/`span_id` of the active span so a
 * log line leads straight to its trace. Field names follow the OpenTelemetry log data model.
 *
 * Writes are synchronous: at `info` a service logs a handful of lines, not one per request, and an
 * asynchronous stdout can hang the exit. pino re-writes a line still in flight from its exit hook,
 * and when nobody reads stdout any more (the local stack's runner was killed, a pipe closed) that
 * write fails with EPIPE and is retried forever, so SIGTERM never ends the process.
 */
export function createLogger({ service, version, level, destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service, version },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => activeTraceIds() ?? {},
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
