import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Probe latencies span fast local health checks to slow public sites. */
const PROBE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The pinger's own signal: how each watched URL answers. Labelled by `target` (bounded by the
 * pinger's URL limit) so availability and latency can be graphed per URL.
 */
export function createProbeMetrics(registry: Registry) {
  return {
    duration: new Histogram({
      name: 'pinger_probe_duration_seconds',
      help: 'Duration of probes sent by the pinger, by target URL.',
      labelNames: ['target'] as const,
      buckets: PROBE_BUCKETS,
      registers: [registry],
    }),
    probes: new Counter({
      name: 'pinger_probes_total',
      help: 'Probes sent by the pinger, by target URL and result (success or failure).',
      labelNames: ['target', 'result'] as const,
      registers: [registry],
    }),
    targets: new Gauge({
      name: 'pinger_targets',
      help: 'Number of URLs the pinger is currently probing.',
      registers: [registry],
    }),
  };
}

export type ProbeMetrics = ReturnType<typeof createProbeMetrics>;
