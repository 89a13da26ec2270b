import { Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceIdentity {
  /** Service name, e.g. `pinger`; becomes the `service` label on every metric. */
  service: string;
  /** Service version, e.g. `v2`; becomes the `version` label on every metric. */
  version: string;
}

/**
 * One registry per service. The `service` and `version` default labels let a single dashboard
 * compare v1 and v2 of the same service side by side (the canary analysis depends on them).
 */
export function createRegistry({ service, version }: ServiceIdentity, { processMetrics = true } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service, version });
  if (processMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}
