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
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
