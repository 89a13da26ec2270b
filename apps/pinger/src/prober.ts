import type { ProbeMetrics } from './probe-metrics';
import type { Logger } from '@learnathon/service-runtime';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import type { Readable } from 'node:stream';
import type { ProbeResult } from './stats';

/** Bodies are counted, not kept; counting stops here so a huge download cannot stall a round. */
export const MAX_COUNTED_BYTES = 1024 * 1024;

/**
 * Probes in flight at once: enough for slow targets to overlap, few enough that a round of a long
 * list neither floods the event loop (a scrape or a user request waits behind it) nor the network.
 */
export const PROBE_CONCURRENCY = 16;

export interface ProberOptions {
  intervalMs: number;
  timeoutMs: number;
  /** The URLs to probe, read afresh each round so additions take effect on the next one. */
  urls: () => readonly string[];
  onResult: (result: ProbeResult) => void;
  metrics: ProbeMetrics;
  logger: Logger;
  client?: AxiosInstance;
}

function countBytes(stream: Readable, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes >= limit) {
        stream.destroy();
        resolve(limit);
      }
    });
    stream.once('end', () => resolve(bytes));
    stream.once('error', reject);
  });
}

/**
 * Probes every URL once per interval, PROBE_CONCURRENCY at a time. A round never overlaps the next: the next
 * one is scheduled when the current one has finished, `intervalMs` after it started (or at once if
 * it took longer). Every probe ends within `timeoutMs`, so a dead target cannot stall the loop.
 */
export class Prober {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly client: AxiosInstance;

  constructor(private readonly options: ProberOptions) {
    this.client =
      options.client ??
      axios.create({
        timeout: options.timeoutMs,
        maxRedirects: 5,
        responseType: 'stream',
        validateStatus: () => true,
        decompress: false,
      });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops scheduling and waits for the round in flight, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round over all URLs, at most PROBE_CONCURRENCY at a time; exposed for tests. */
  async runRound(): Promise<void> {
    const queue = [...this.options.urls()];
    const worker = async () => {
      for (let url = queue.shift(); url !== undefined; url = queue.shift())
        this.options.onResult(await this.probe(url));
    };
    await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, queue.length) }, worker));
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const startedAt = Date.now();
      this.running = this.runRound().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(Math.max(0, this.options.intervalMs - (Date.now() - startedAt)));
      });
    }, delayMs);
  }

  async probe(url: string): Promise<ProbeResult> {
    const { metrics, logger, timeoutMs } = this.options;
    const started = process.hrtime.bigint();
    const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
    let result: ProbeResult;
    try {
      const response = await this.client.get<Readable>(url, { signal: AbortSignal.timeout(timeoutMs) });
      const responseSize = await countBytes(response.data, MAX_COUNTED_BYTES);
      const ok = response.status >= 200 && response.status < 400;
      result = { url, ok, latencyMs: elapsedMs(), statusCode: response.status, responseSize };
    } catch (error) {
      const code = isAxiosError(error) ? (error.code ?? 'ERROR') : 'ERROR';
      const statusCode = code === 'ERR_CANCELED' || code === 'ECONNABORTED' ? 'ETIMEDOUT' : code;
      result = { url, ok: false, latencyMs: elapsedMs(), statusCode, responseSize: 0 };
      logger.debug({ url, status_code: statusCode }, 'probe failed');
    }
    metrics.duration.observe({ target: url }, result.latencyMs / 1000);
    metrics.probes.inc({ target: url, result: result.ok ? 'success' : 'failure' });
    return result;
  }
}
