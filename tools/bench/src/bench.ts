import { freePort } from '@learnathon/process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchOptions } from './args';
import type { FixtureRole } from './fixtures';
import { runInterleaved, runLoad, summariseLoad, type LoadTarget } from './load';
import { getJson, startServer, type ServerProcess } from './processes';
import { readProcMemory } from './proc-status';
import { UsageSampler } from './usage-sampler';
import { median } from './stats';
import { evaluateTargets } from './targets';
import type {
  BenchReport,
  LoadResult,
  MachineInfo,
  ProcessUsage,
  ScenarioResult,
  StartupResult,
  TracingCheck,
} from './types';

const APPS = ['pinger', 'frontend', 'details'] as const;
type App = (typeof APPS)[number];

/** Probe targets of the throughput scenarios: a few, like a user's list, so `/ping/stats` has a realistic body. */
const STATS_TARGETS = 5;
const MANY_TARGETS = 100;
const IDLE_SETTLE_MS = 1_000;
/** Prometheus scrapes each target over one connection, one scrape at a time: `/metrics` is loaded the same way. */
const SCRAPE_CONNECTIONS = 1;

/** Pinger's `/ping/stats`: one entry per target, keyed by the SHA-256 hex of its URL. */
type PingerStats = Record<string, { total: number }>;

type ScenarioInput = Omit<
  ScenarioResult,
  'ratio' | 'notes' | 'cpuMicrosPerRequest' | 'baselineCpuMicrosPerRequest'
> & { notes?: string[]; served: number };

function cpuMicrosPerRequest(usage: readonly ProcessUsage[], requests: number): number {
  return (usage.reduce((sum, entry) => sum + entry.cpuMs, 0) * 1000) / requests;
}

interface Compared {
  result: LoadResult;
  baseline: LoadResult;
  usage: ProcessUsage[];
  /** Requests the service answered to the load generator, warm-up included. */
  served: number;
}

/** The `msg` of the per-request access-log line (see service-runtime's observe-requests.ts). */
const ACCESS_LOG_MESSAGE = '"msg":"request"';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: os.loadavg()[0] ?? 0,
  };
}

/** Counts a needle in a file without holding more than the file's text once. */
async function countOccurrences(file: string, needle: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  let count = 0;
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + needle.length))
    count += 1;
  return count;
}

/** Everything one bench run starts, so it can all be stopped however the run ends. */
class Bench {
  private readonly running = new Set<ServerProcess>();
  private logCounter = 0;
  private baseline: ServerProcess | undefined;
  private targetsUrl = '';

  constructor(
    private readonly options: BenchOptions,
    private readonly workDir: string,
    private readonly log: (line: string) => void,
  ) {}

  private appScript(app: App): string {
    return path.resolve('dist/apps', app, 'main.js');
  }

  async start(name: string, script: string, env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const logFile = path.join(this.workDir, `${String(++this.logCounter).padStart(2, '0')}-${name}.log`);
    const server = await startServer({ name, script, port, env, logFile });
    this.running.add(server);
    return server;
  }

  async stop(server: ServerProcess): Promise<void> {
    await server.stop();
    this.running.delete(server);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((server) => this.stop(server)));
  }

  private startFixture(role: FixtureRole, env: Record<string, string> = {}): Promise<ServerProcess> {
    return this.start(role, process.argv[1] as string, { BENCH_ROLE: role, ...env });
  }

  private appEnv(extra: Record<string, string>): Record<string, string> {
    return { LOG_LEVEL: 'info', OTEL_SDK_DISABLED: 'true', ...extra };
  }

  private pingerEnv(targets: number, extra: Record<string, string> = {}): Record<string, string> {
    const urls = Array.from({ length: targets }, (_, index) => `${this.targetsUrl}/target/${index}`);
    return this.appEnv({ PINGER_TARGETS: urls.join(','), ...extra });
  }

  /** Waits until every target has been probed `rounds` times, so `/ping/stats` shows real numbers. */
  private async waitForProbeRounds(pinger: ServerProcess, rounds: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const stats = Object.values(await getJson<PingerStats>(`${pinger.url}/ping/stats`));
      if (stats.length > 0 && stats.every((entry) => entry.total >= rounds)) return;
      await sleep(100);
    }
    throw new Error(`pinger did not finish ${rounds} probe rounds within 30 s`);
  }

  private target(url: string): LoadTarget {
    return { url, connections: this.options.connections };
  }

  /** Unmeasured load; resolves with the number of responses, which the server still served (and logged). */
  async warmUp(url: string): Promise<number> {
    if (this.options.warmupSeconds <= 0) return 0;
    return (await runLoad(this.target(url), this.options.warmupSeconds)).latenciesMs.length;
  }

  async setUp(): Promise<void> {
    const targets = await this.startFixture('targets');
    this.targetsUrl = targets.url;
  }

  // --- start-up -----------------------------------------------------------------------------

  private startupEnv(app: App): Record<string, string> {
    if (app === 'pinger') return this.pingerEnv(STATS_TARGETS);
    if (app === 'frontend')
      return this.appEnv({ PINGER_BASE_URL: this.targetsUrl, DETAILS_BASE_URL: this.targetsUrl });
    return this.appEnv({});
  }

  async measureStartups(): Promise<StartupResult[]> {
    const results: StartupResult[] = [];
    for (const app of APPS) {
      const readyMs: number[] = [];
      const idleRssBytes: number[] = [];
      for (let attempt = 0; attempt < this.options.starts; attempt++) {
        const server = await this.start(app, this.appScript(app), this.startupEnv(app));
        readyMs.push(server.readyMs);
        await sleep(IDLE_SETTLE_MS);
        idleRssBytes.push((await readProcMemory(server.pid))?.rssBytes ?? Number.NaN);
        await this.stop(server);
      }
      results.push({
        service: app,
        readyMs,
        medianReadyMs: median(readyMs),
        idleRssBytes,
        medianIdleRssBytes: median(idleRssBytes),
      });
      this.log(
        `start-up ${app}: ready median ${median(readyMs).toFixed(0)} ms, idle RSS median ${(median(idleRssBytes) / 1024 / 1024).toFixed(1)} MB`,
      );
    }
    return results;
  }

  // --- scenarios ----------------------------------------------------------------------------

  /** The baseline answers the very JSON object the pinger answered, started once and kept warm. */
  private async ensureBaseline(pinger: ServerProcess): Promise<ServerProcess> {
    if (this.baseline) return this.baseline;
    const body = await (await fetch(`${pinger.url}/ping/stats`)).text();
    this.baseline = await this.startFixture('baseline', { BENCH_BASELINE_BODY: body });
    await this.warmUp(`${this.baseline.url}/ping/stats`);
    return this.baseline;
  }

  /** Warm-up, then the service interleaved with the baseline, sampling memory and CPU of every server involved. */
  private async compared(servers: ServerProcess[], url: string): Promise<Compared> {
    const baseline = this.baseline as ServerProcess;
    const sampler = await UsageSampler.start([...servers, baseline].map(({ name, pid }) => ({ name, pid })));
    const warmupRequests = await this.warmUp(url);
    const measured = await runInterleaved(
      this.target(url),
      this.target(`${baseline.url}/ping/stats`),
      this.options.durationSeconds,
      this.options.slices,
    );
    return {
      result: measured.service,
      baseline: measured.baseline,
      usage: await sampler.stop(),
      served: warmupRequests + measured.service.requests,
    };
  }

  private scenario(partial: ScenarioInput): ScenarioResult {
    const { served, ...rest } = partial;
    const ratio = partial.baseline
      ? partial.result.requestsPerSecond / partial.baseline.requestsPerSecond
      : undefined;
    const scenario: ScenarioResult = {
      ...rest,
      notes: partial.notes ?? [],
      ...(ratio === undefined ? {} : { ratio }),
      cpuMicrosPerRequest: cpuMicrosPerRequest(
        partial.usage.filter((entry) => entry.process !== 'baseline'),
        served,
      ),
      ...(partial.baseline
        ? {
            baselineCpuMicrosPerRequest: cpuMicrosPerRequest(
              partial.usage.filter((entry) => entry.process === 'baseline'),
              partial.baseline.requests,
            ),
          }
        : {}),
    };
    const ratioText =
      ratio === undefined
        ? ''
        : ` (${ratio.toFixed(2)} × baseline ${scenario.baseline?.requestsPerSecond.toFixed(0)})`;
    this.log(
      `${scenario.id}: ${scenario.result.requestsPerSecond.toFixed(0)} req/s${ratioText}, p50 ${scenario.result.p50Ms.toFixed(2)} ms, p99 ${scenario.result.p99Ms.toFixed(2)} ms`,
    );
    return scenario;
  }

  async pingerMetrics(): Promise<ScenarioResult> {
    const pinger = await this.start('pinger', this.appScript('pinger'), this.pingerEnv(STATS_TARGETS));
    await this.waitForProbeRounds(pinger, 1);
    await this.ensureBaseline(pinger);
    const measured = await this.compared([pinger], `${pinger.url}/ping/stats`);
    await this.stop(pinger);
    return this.scenario({
      id: 'pinger-metrics',
      title: 'pinger, metrics on, tracing off',
      route: 'GET /ping/stats',
      ...measured,
      logLinesPerRequest: (await countOccurrences(pinger.logFile, ACCESS_LOG_MESSAGE)) / measured.served,
      notes: [`${STATS_TARGETS} probe targets on a local server; OTEL_SDK_DISABLED=true.`],
    });
  }

  async pingerTracing(): Promise<{ scenario: ScenarioResult; tracing: TracingCheck }> {
    const sink = await this.startFixture('otlp-sink');
    const pinger = await this.start(
      'pinger-traced',
      this.appScript('pinger'),
      this.pingerEnv(STATS_TARGETS, {
        OTEL_SDK_DISABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
        OTEL_TRACES_SAMPLER: 'always_on',
      }),
    );
    await this.waitForProbeRounds(pinger, 1);
    const measured = await this.compared([pinger], `${pinger.url}/ping/stats`);
    // Graceful shutdown flushes the spans still queued, so the count is complete once it has exited.
    await this.stop(pinger);
    const received = await getJson<{ exportRequests: number; spans: number }>(`${sink.url}/stats`);
    await this.stop(sink);
    const tracing: TracingCheck = {
      spansReceived: received.spans,
      requestsServed: measured.served,
      exportRequests: received.exportRequests,
    };
    if (received.spans === 0) throw new Error('the OTLP sink received no spans: tracing is not exporting');
    return {
      tracing,
      scenario: this.scenario({
        id: 'pinger-tracing',
        title: 'pinger, metrics and tracing at 100%',
        route: 'GET /ping/stats',
        ...measured,
        notes: [
          `OTEL_TRACES_SAMPLER=always_on, exporting over OTLP/HTTP to a local sink, which received ${received.spans} spans.`,
        ],
      }),
    };
  }

  async frontend(): Promise<ScenarioResult[]> {
    const pinger = await this.start('pinger', this.appScript('pinger'), this.pingerEnv(STATS_TARGETS));
    await this.waitForProbeRounds(pinger, 1);
    const frontend = await this.start(
      'frontend',
      this.appScript('frontend'),
      this.appEnv({ PINGER_BASE_URL: pinger.url, DETAILS_BASE_URL: this.targetsUrl }),
    );
    const proxied = await this.compared([frontend, pinger], `${frontend.url}/ping/stats`);
    const page = await this.compared([frontend, pinger], `${frontend.url}/`);
    await this.stop(frontend);
    await this.stop(pinger);
    return [
      this.scenario({
        id: 'frontend-proxy',
        title: 'frontend, proxied to pinger',
        route: 'GET /ping/stats',
        ...proxied,
        notes: [
          'One proxied hop: frontend → pinger over a keep-alive connection pool; both with metrics on, tracing off.',
        ],
      }),
      this.scenario({
        id: 'frontend-ui',
        title: 'frontend UI page',
        route: 'GET /',
        ...page,
        notes: ['Compared with the same `/ping/stats` baseline, for scale only.'],
      }),
    ];
  }

  async metricsWithManyTargets(): Promise<ScenarioResult> {
    const pinger = await this.start(
      'pinger-100',
      this.appScript('pinger'),
      this.pingerEnv(MANY_TARGETS, { PINGER_INTERVAL_MS: '1000' }),
    );
    await this.waitForProbeRounds(pinger, 3);
    const url = `${pinger.url}/metrics`;
    const sampler = await UsageSampler.start([{ name: pinger.name, pid: pinger.pid }]);
    const scraper = { url, connections: SCRAPE_CONNECTIONS };
    const warmupRequests =
      this.options.warmupSeconds > 0
        ? (await runLoad(scraper, this.options.warmupSeconds)).latenciesMs.length
        : 0;
    const result = summariseLoad([await runLoad(scraper, this.options.durationSeconds)]);
    const usage = await sampler.stop();
    const bytes = (await (await fetch(url)).text()).length;
    await this.stop(pinger);
    return this.scenario({
      id: 'pinger-metrics-100-targets',
      title: 'pinger /metrics, 100 targets',
      route: 'GET /metrics',
      result,
      usage,
      served: warmupRequests + result.requests,
      notes: [
        `${MANY_TARGETS} targets on a local server probed every second during the load; the exposition is ${(bytes / 1024).toFixed(0)} KiB.`,
        `Loaded over ${SCRAPE_CONNECTIONS} connection back to back, the way Prometheus scrapes (at 20 connections the p50 would be ~20 × the service time, which measures queueing, not serving).`,
        `The target is judged by the p50 (mean ${result.meanMs.toFixed(2)} ms).`,
      ],
    });
  }
}

/** Runs every scenario in order and returns the report; all child processes are stopped however it ends. */
export async function runBench(
  options: BenchOptions,
  command: string,
  log: (line: string) => void,
): Promise<BenchReport> {
  const machine = machineInfo();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  const bench = new Bench(options, workDir, log);
  try {
    await bench.setUp();
    const startups = await bench.measureStartups();
    const scenarios = [await bench.pingerMetrics()];
    const traced = await bench.pingerTracing();
    scenarios.push(traced.scenario, ...(await bench.frontend()), await bench.metricsWithManyTargets());
    const partial = { scenarios, startups };
    return {
      generatedAt: new Date().toISOString(),
      command,
      machine,
      settings: {
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        slices: options.slices,
        starts: options.starts,
      },
      scenarios,
      startups,
      tracing: traced.tracing,
      targets: evaluateTargets(partial),
    };
  } finally {
    await bench.stopAll();
    await rm(workDir, { recursive: true, force: true });
  }
}

export function readChanges(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '## What we changed\n\n(no notes file found)';
  }
}
