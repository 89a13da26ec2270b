/**
 * Test helpers (tagged type:testing): lint lets only specs, end-to-end tests, k8s tests and the
 * bench and image smoke import them. Starting processes, ports and waiting are `@learnathon/process`.
 */
export {
  startLocalStack,
  type LocalStack,
  type StackPorts,
  type StartLocalStackOptions,
} from './local-stack';
export {
  startPrometheus,
  type RunningPrometheus,
  type QueryResult,
  type StartPrometheusOptions,
} from './prometheus';
export { requireBinary, PROMETHEUS_BINARY, PROMTOOL_BINARY } from './binaries';
export { captureLogs, type CapturedLogs, type LogDestination } from './log-capture';
export { builtScript, workspaceRoot } from './dist';
export { errorThrownBy } from './thrown';
export { envCases } from './env-cases';
export { useTempDir } from './temp-dir';
export {
  startEnvoyStandIn,
  type EnvoyStandIn,
  type SidecarTraffic,
  type StreamTraffic,
} from './envoy-stats-stand-in';
