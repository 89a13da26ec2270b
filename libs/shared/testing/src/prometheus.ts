import { freePort, getJson, startProcess } from '@learnathon/process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROMETHEUS_BINARY, requireBinary } from './binaries';

export interface QueryResult {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string] }> };
}

export interface RunningPrometheus {
  baseUrl: string;
  /** The temporary folder with its config and data, removed by `stop()`. */
  workDir: string;
  /** An instant query over the HTTP API; a PromQL error comes back as status "error", errorType "bad_data". */
  query(expr: string): Promise<QueryResult>;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** prometheus.yml text (JSON is valid YAML). Scrape only 127.0.0.1 targets from tests. */
  config?: string;
  /** Extra files written next to the config, e.g. rule files it names. */
  files?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** A real Prometheus on 127.0.0.1 (free port, data in a temporary folder), ready when this resolves. */
export async function startPrometheus({
  config = 'global:\n  scrape_interval: 15s\n',
  files = {},
  readyTimeoutMs = 30_000,
}: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const binary = requireBinary(PROMETHEUS_BINARY, 'prometheus');
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'test-prometheus-'));
  await writeFile(path.join(workDir, 'prometheus.yml'), config);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(workDir, name), text);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const handle = await startProcess({
    command: binary,
    name: 'prometheus',
    args: [
      `--config.file=${path.join(workDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    readyUrl: `${baseUrl}/-/ready`,
    readyTimeoutMs,
  }).catch(async (error: unknown) => {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  });
  return {
    baseUrl,
    workDir,
    async query(expr) {
      const query = new URLSearchParams({ query: expr });
      return (await getJson<QueryResult>(`${baseUrl}/api/v1/query?${query}`)).body;
    },
    async stop() {
      await handle.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
