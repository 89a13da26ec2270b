import { freePort, startProcess } from '@learnathon/service-runtime/testing';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemBinary } from './paths';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Prometheus {
  url: string;
  /** Runs an instant query; throws with Prometheus' message on a query it refuses. */
  query(expr: string): Promise<Sample[]>;
  stop(): Promise<void>;
}

/** A real Prometheus (Debian package) on 127.0.0.1 scraping the given jobs every second. */
export async function startPrometheus(jobs: Record<string, string[]>): Promise<Prometheus> {
  const binary = systemBinary(PROMETHEUS_BIN, 'prometheus');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'e2e-prometheus-'));
  const scrapeConfigs = Object.entries(jobs).map(([job, targets]) => ({ job_name: job, static_configs: [{ targets }] }));
  const config = { global: { scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: scrapeConfigs };
  // JSON is valid YAML, so the config needs no YAML writer.
  await writeFile(path.join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const handle = await startProcess({
    command: binary,
    args: [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    readyUrl: `${url}/-/ready`,
    readyTimeoutMs: 30_000,
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });

  const query = async (expr: string): Promise<Sample[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; error?: string; data?: { result: Sample[] } };
    if (body.status !== 'success') throw new Error(`Prometheus refused '${expr}': ${body.error}`);
    return body.data?.result ?? [];
  };
  const stop = async () => {
    await handle.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { url, query, stop };
}
