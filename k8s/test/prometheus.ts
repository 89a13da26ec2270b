import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@learnathon/service-runtime/testing';

/** Debian's package; the same binary CI machines install with `apt-get install prometheus`. */
export const PROMETHEUS_BINARY = process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus';
export const PROMTOOL_BINARY = process.env.PROMTOOL_BINARY ?? '/usr/bin/promtool';

/** A configuration that scrapes nothing: enough to parse and evaluate queries. */
export const EMPTY_PROMETHEUS_CONFIG = 'global:\n  scrape_interval: 15s\n';

export interface QueryResult {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown[] };
}

export interface RunningPrometheus {
  baseUrl: string;
  /** An instant query through the HTTP API; a PromQL syntax error comes back as status "error", errorType "bad_data". */
  query(expr: string): Promise<QueryResult>;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** prometheus.yml text; scrape only 127.0.0.1 targets from tests. */
  config?: string;
  readyTimeoutMs?: number;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts a real Prometheus on 127.0.0.1 (free port, data in a temp dir) and waits until it is ready.
 * Used to check that dashboard queries parse, and by live tests that scrape the real services.
 */
export async function startPrometheus({
  config = EMPTY_PROMETHEUS_CONFIG,
  readyTimeoutMs = 20_000,
}: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const workDir = mkdtempSync(join(tmpdir(), 'k8s-prometheus-'));
  const configFile = join(workDir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    await stopProcess(child);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`prometheus exited with ${child.exitCode}: ${output.slice(-2_000)}`);
        return (await fetch(`${baseUrl}/-/ready`)).ok;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `prometheus on ${baseUrl}` },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    baseUrl,
    async query(expr) {
      const response = await fetch(`${baseUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`, {
        signal: AbortSignal.timeout(10_000),
      });
      return (await response.json()) as QueryResult;
    },
    stop,
  };
}
