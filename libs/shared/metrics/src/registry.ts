import { Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceIdentity {
  /** Service name, e.g. `pinger`; becomes the `service` label on every metric. */
  service: string;
  /** Service version, e.g. `v2`; becomes the `version` label on every metric. */
  version: string;
}

/**
 * prom-client gauges whose `_total` suffix `promtool check metrics` rejects (it is reserved for
 * counters). Each is the sum of a per-type gauge prom-client also exports (`nodejs_active_handles`, ...).
 */
const MISNAMED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * One registry per service. The `service` and `version` default labels let a single dashboard
 * compare v1 and v2 of the same service side by side (the canary analysis depends on them).
 */
export function createRegistry(
  { service, version }: ServiceIdentity,
  { processMetrics = true } = {},
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service, version });
  if (processMetrics) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }
  return registry;
}
