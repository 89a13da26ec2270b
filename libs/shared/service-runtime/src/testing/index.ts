/**
 * Test helpers for services of this repo: free ports, real child processes, captured logs.
 * A second entry point (`@learnathon/service-runtime/testing`), never imported by production code.
 */
export { freePort, waitFor } from './net';
export { startProcess, type ProcessHandle, type StartProcessOptions } from './process';
export { captureLogger, type CapturedLogger } from './capture-logger';
export {
  startPrometheus,
  requireBinary,
  PROMETHEUS_BINARY,
  PROMTOOL_BINARY,
  type RunningPrometheus,
  type QueryResult,
  type StartPrometheusOptions,
} from './prometheus';
