/** The data model of one bench run: what `docs/benchmarks.json` holds and the report renders. */

/** One load run (or several interleaved slices of one) against one URL. */
export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Responses with a status outside 200-299. */
  non2xx: number;
  /** Socket errors and timeouts: requests that got no response at all. */
  socketErrors: number;
}

/** Memory and CPU of one server process over a scenario (warm-up included). */
export interface ProcessUsage {
  process: string;
  /** Highest VmRSS seen while sampling every ~100 ms. */
  peakRssBytes: number;
  /** The kernel's own high-water mark (VmHWM) at the end, which also catches peaks between samples. */
  hwmBytes: number;
  /** CPU time (user + system) the process used; divided by requests served it is the cost per request, which other load on the machine skews far less than throughput. */
  cpuMs: number;
}

export type ScenarioId =
  'pinger-metrics' | 'pinger-tracing' | 'frontend-proxy' | 'frontend-ui' | 'pinger-metrics-100-targets';

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  /** Method and path under load, e.g. `GET /ping/stats`. */
  route: string;
  result: LoadResult;
  /** The bare Express baseline, run interleaved with this scenario; absent when not compared. */
  baseline?: LoadResult;
  /** result.requestsPerSecond / baseline.requestsPerSecond. */
  ratio?: number;
  usage: ProcessUsage[];
  /** Server CPU per request served, in microseconds: all service processes of the scenario together, and the baseline's. */
  cpuMicrosPerRequest: number;
  baselineCpuMicrosPerRequest?: number;
  /** Access-log lines written per request served: ~1 means logging is on the hot path. */
  logLinesPerRequest?: number;
  notes: string[];
}

export interface StartupResult {
  service: string;
  /** Spawn to first `/readyz` 200, one per start. */
  readyMs: number[];
  medianReadyMs: number;
  /** VmRSS once settled after start, one per start. */
  idleRssBytes: number[];
  medianIdleRssBytes: number;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1-minute load average at the start: other work on the machine skews every number. */
  loadAverageAtStart: number;
}

export interface BenchSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** The measured duration is split into this many alternating baseline/service slices. */
  slices: number;
  starts: number;
}

export type TargetStatus = 'pass' | 'fail' | 'not measured';

export interface TargetCheck {
  id: string;
  description: string;
  comparison: '>=' | '<=';
  threshold: number;
  unit: string;
  measured: number | undefined;
  status: TargetStatus;
}

export interface TracingCheck {
  /** Spans the local OTLP sink received during the tracing scenario. */
  spansReceived: number;
  /** Requests the load generator sent the traced pinger (warm-up and measured); readiness and stats polls add a few spans more. */
  requestsServed: number;
  exportRequests: number;
}

export interface BenchReport {
  generatedAt: string;
  command: string;
  machine: MachineInfo;
  settings: BenchSettings;
  scenarios: ScenarioResult[];
  startups: StartupResult[];
  tracing: TracingCheck | undefined;
  targets: TargetCheck[];
}
